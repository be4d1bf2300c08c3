"""Quality records and their history cannot be altered through the admin site.

The admin is for looking things up: no page adds, changes, deletes or reverts a claim, and no
historical model has pages of its own.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from claims import costs
from claims.models import Claim, ClaimCostSheet
from claims.tests.factories import decided_claim, file_claim
from customers.tests.factories import PartFactory

pytestmark = pytest.mark.django_db

HISTORICAL_MODELS = [
    model for model in apps.get_models() if model.__name__.startswith("Historical")
]


def test_there_are_historical_models_to_protect():
    names = {model.__name__ for model in HISTORICAL_MODELS}
    assert {"HistoricalClaim", "HistoricalUser", "HistoricalClaimCostSheet"} <= names


@pytest.mark.parametrize("model", HISTORICAL_MODELS, ids=lambda model: model.__name__)
def test_historical_models_have_no_admin_pages(model):
    assert model not in admin.site._registry
    for page in ("changelist", "add", "change", "delete"):
        args = [1] if page in ("change", "delete") else []
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def test_history_revert_is_switched_off(settings):
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


@pytest.fixture
def closed_claim(engineer, customer_a):
    return decided_claim(
        PartFactory(customer=customer_a),
        dt.date(2026, 2, 2),
        12,
        actor=engineer,
        status=Claim.Status.CLOSED,
        closed_at=timezone.now(),
        customer_reference="QN-CLOSED-0815",
    )


def form_data(form) -> dict:
    """What a browser would send back for an admin form, with one field changed by the caller."""
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if value is None:
            continue
        if isinstance(value, dt.datetime):
            data[f"{name}_0"] = value.date().isoformat()
            data[f"{name}_1"] = value.time().strftime("%H:%M:%S")
        else:
            data[name] = getattr(value, "pk", value)
    return data


def _snapshot(claim: Claim) -> tuple:
    claim.refresh_from_db()
    return claim.symptom, claim.status, claim.closed_at, claim.history.count()


def test_closed_claim_change_page_shows_but_never_saves(client_for, admin_user, closed_claim):
    client = client_for(admin_user)
    url = reverse("admin:claims_claim_change", args=[closed_claim.pk])
    before = _snapshot(closed_claim)

    page = client.get(url)
    posted = client.post(url, {"symptom": "Rewritten in the admin", "status": "containment"})

    assert page.status_code == 200
    assert "QN-CLOSED-0815" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert 'name="symptom"' not in page.content.decode()
    assert posted.status_code == 403
    assert _snapshot(closed_claim) == before


def test_closed_claim_cannot_be_added_or_deleted_in_the_admin(client_for, admin_user, closed_claim):
    client = client_for(admin_user)
    delete_url = reverse("admin:claims_claim_delete", args=[closed_claim.pk])

    assert client.get(reverse("admin:claims_claim_add")).status_code == 403
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Claim.objects.filter(pk=closed_claim.pk).exists()


def test_claim_history_can_be_read_but_not_written_back(client_for, admin_user, closed_claim):
    client = client_for(admin_user)
    version = closed_claim.history.earliest()
    url = reverse("admin:claims_claim_simple_history", args=[closed_claim.pk, version.history_id])
    page = client.get(url)
    data = {**form_data(page.context["adminform"].form), "symptom": "Reverted in the admin"}
    before = _snapshot(closed_claim)

    posted = client.post(url, {**data, "status": Claim.Status.CONTAINMENT})

    assert page.status_code == 200
    assert "Revert" not in page.content.decode()
    assert (
        client.get(reverse("admin:claims_claim_history", args=[closed_claim.pk])).status_code == 200
    )
    assert posted.status_code == 403
    assert _snapshot(closed_claim) == before


def test_cost_sheet_history_cannot_be_written_back(client_for, admin_user, engineer, user_a):
    claim = file_claim(actor=user_a, part=PartFactory(customer=user_a.customer))
    costs.cost_line_add(
        claim=claim,
        actor=engineer,
        category="sorting",
        description="Sorting of 500 suspect parts",
        quantity="12",
        unit="h",
        rate="48.00",
    )
    sheet = costs.costs_release(claim=claim, actor=engineer)
    client = client_for(admin_user)
    version = sheet.history.earliest()
    url = reverse("admin:claims_claimcostsheet_simple_history", args=[sheet.pk, version.history_id])
    data = form_data(client.get(url).context["adminform"].form)
    released = ClaimCostSheet.objects.get(pk=sheet.pk).status

    posted = client.post(url, data)

    assert posted.status_code == 403
    assert ClaimCostSheet.objects.get(pk=sheet.pk).status == released


def test_every_admin_with_history_refuses_to_write_a_version_back():
    from simple_history.admin import SimpleHistoryAdmin

    from core.admin import HistoryAdmin

    with_history = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert with_history
    assert all(isinstance(model_admin, HistoryAdmin) for model_admin in with_history)


def test_customer_history_cannot_be_written_back(client_for, admin_user, customer_a):
    client = client_for(admin_user)
    version = customer_a.history.earliest()
    url = reverse(
        "admin:customers_customer_simple_history", args=[customer_a.pk, version.history_id]
    )
    data = {**form_data(client.get(url).context["adminform"].form), "name": "Renamed via history"}

    posted = client.post(url, data)

    assert posted.status_code == 403
    customer_a.refresh_from_db()
    assert customer_a.name == "Autowerk AG"
