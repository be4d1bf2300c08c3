"""seed_volume at a tiny scale: the counts, tenancy of every row, numbering and working pages."""

import datetime as dt

import pytest
from django.core.management import CommandError
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from claims.models import Claim, ClaimEvent, EightDStep
from core.models import Action, Sequence
from core.numbering import next_number
from customers.models import Customer, Part
from customers.volume import CUSTOMER_USER_EMAIL, ENGINEER_EMAIL
from metrics.models import Delivery

from .conftest import VOLUME_TODAY, seed_tiny_volume

pytestmark = pytest.mark.django_db


def test_counts_and_tenancy(volume):
    volume_claims = Claim.objects.filter(part__part_number__startswith="VOL-")
    assert Customer.objects.filter(code__startswith="VOL").count() == 2
    assert Part.objects.filter(part_number__startswith="VOL-").count() == 6
    assert volume_claims.count() == 100
    assert Delivery.objects.filter(delivery_note__startswith="VOL-DN-").count() == 1_000
    # Every row belongs to the customer of the part (or claim) it hangs off.
    assert not volume_claims.exclude(customer=F("part__customer")).exists()
    assert not Delivery.objects.exclude(customer=F("part__customer")).exists()
    assert not EightDStep.objects.exclude(customer=F("claim__customer")).exists()
    assert not ClaimEvent.objects.exclude(customer=F("claim__customer")).exists()
    # 8D content: every acknowledged claim has its nine steps, closed ones all approved.
    closed = volume_claims.filter(status=Claim.Status.CLOSED).first()
    assert closed.steps.filter(status=EightDStep.Status.APPROVED).count() == 9
    assert closed.steps.get(code="D8").content["closure_summary"]
    assert Action.objects.filter(object_id=closed.pk, kind="corrective").exists()
    # Five years, older claims final, and every open status appears at some volume.
    dates = sorted(volume_claims.values_list("notified_at", flat=True))
    assert dates[0].date() >= VOLUME_TODAY - dt.timedelta(days=5 * 365)
    assert dates[-1].date() <= VOLUME_TODAY
    assert volume_claims.exclude(status__in=Claim.FINAL_STATUSES).exists()

    _numbers_continue_the_sequences()


def _numbers_continue_the_sequences():
    numbers = list(Claim.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    latest_year = max(int(number.split("-")[1]) for number in numbers)
    last = Sequence.objects.get(prefix="CL", year=latest_year).last_value
    in_year = [n for n in numbers if n.startswith(f"CL-{latest_year}-")]
    assert last == len(in_year) == max(int(n.split("-")[2]) for n in in_year)
    assert next_number("CL", year=latest_year) == f"CL-{latest_year}-{last + 1:05d}"


def test_is_deterministic_and_refuses_to_seed_twice(volume):
    first = list(Claim.objects.order_by("number").values_list("number", "part__part_number"))
    with pytest.raises(CommandError, match="already holds volume data"):
        seed_tiny_volume()
    assert "nothing to do" in seed_tiny_volume("--if-missing")
    seed_tiny_volume("--reset")
    again = list(Claim.objects.order_by("number").values_list("number", "part__part_number"))
    assert again == first
    assert Claim.objects.count() == 100


def test_if_missing_adds_the_share_of_an_app_seeded_since_and_keeps_the_rest(volume):
    from metrics import volume as metrics_volume

    claims = list(Claim.objects.order_by("pk").values_list("pk", "number"))
    deliveries = Delivery.objects.count()
    metrics_volume.reset(None)  # as if the metrics app had joined after the seed
    assert not Delivery.objects.exists()

    output = seed_tiny_volume("--if-missing")
    assert "Seeding" in output and "deliveries" in output
    assert Delivery.objects.count() == deliveries
    assert list(Claim.objects.order_by("pk").values_list("pk", "number")) == claims
    assert "nothing to do" in seed_tiny_volume("--if-missing")


def test_portal_pages_work_on_it(volume, client):
    engineer = User.objects.get(email=ENGINEER_EMAIL)
    claim = Claim.objects.filter(status=Claim.Status.CLOSED).first()
    client.force_login(engineer)
    for url in (
        reverse("claims:claim-list"),
        reverse("claims:claim-list") + "?status=closed&sort=-notified_at",
        reverse("claims:claim-detail", args=[claim.pk]),
        reverse("customers:part-list"),
        reverse("metrics:dashboard"),
        "/api/v1/claims/",
        f"/api/v1/claims/{claim.pk}/",
        f"/api/v1/metrics/ppm/?customer={claim.customer_id}",
        "/api/v1/metrics/ppm/",
    ):
        assert client.get(url).status_code == 200, url
    # The customer user sees only their own company's claims; another's is a 404.
    customer_user = User.objects.get(email=CUSTOMER_USER_EMAIL)
    client.force_login(customer_user)
    api = client.get("/api/v1/claims/").json()
    assert api["results"]
    assert all(
        Claim.objects.get(pk=row["id"]).customer_id == customer_user.customer_id
        for row in api["results"]
    )
    other = Claim.objects.exclude(customer=customer_user.customer).first()
    assert client.get(reverse("claims:claim-detail", args=[other.pk])).status_code == 404


def _bench_urls() -> list[str]:
    """The endpoints ``make bench`` measures, for a recent closed claim of the first customer."""
    customer = User.objects.get(email=CUSTOMER_USER_EMAIL).customer_id
    claim = (
        Claim.objects.filter(customer_id=customer, status=Claim.Status.CLOSED)
        .order_by("-created_at")
        .first()
    )
    return [
        reverse("claims:claim-list"),
        reverse("claims:claim-list") + f"?status=closed&customer={customer}&severity=major",
        reverse("claims:claim-detail", args=[claim.pk]),
        reverse("metrics:dashboard"),
        reverse("customers:part-list"),
        "/api/v1/claims/",
        f"/api/v1/claims/{claim.pk}/",
        "/api/v1/parts/",
        f"/api/v1/metrics/ppm/?customer={customer}",
        "/api/v1/metrics/ppm/",
    ]


def _query_counts(client) -> dict[str, int]:
    counts = {}
    for url in _bench_urls():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url.split("?")[0].rstrip("0123456789/")] = len(queries)
    return counts


def test_bench_endpoints_cost_the_same_queries_at_four_times_the_volume(volume, client):
    client.force_login(User.objects.get(email=ENGINEER_EMAIL))
    small = _query_counts(client)

    seed_tiny_volume("--reset", "--scale", "0.002")  # the last --scale wins: 400 claims, 24 parts
    assert Claim.objects.count() == 400
    client.force_login(User.objects.get(email=ENGINEER_EMAIL))

    assert _query_counts(client) == small
