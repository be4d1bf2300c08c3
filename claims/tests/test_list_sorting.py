"""Sortable columns on the claims list and the inbox."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Claim, EightDStep
from customers.tests.factories import PartFactory

from .factories import file_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(user_a, engineer):
    """Three acknowledged claims that sort differently by number, severity and part."""
    parts = [PartFactory(customer=user_a.customer, part_number=f"P-{n}") for n in ("300", "100")]
    first = file_claim(actor=user_a, part=parts[0], severity="minor")
    second = file_claim(actor=user_a, part=parts[1], severity="safety")
    third = file_claim(actor=user_a, part=parts[0], severity="major")
    for claim in (first, second, third):
        services.claim_acknowledge(claim=claim, actor=engineer)
    return first, second, third


def _numbers(client, url_name, **query):
    response = client.get(reverse(url_name), query)
    assert response.status_code == 200
    return [claim.number for claim in response.context["claims"]]


def _numbers_of(*claims):
    return [claim.number for claim in claims]


@pytest.mark.parametrize("url_name", ["claims:claim-list", "claims:inbox"])
def test_number_ascending_and_descending(client_for, engineer, three, url_name):
    client = client_for(engineer)
    first, second, third = three

    assert _numbers(client, url_name, ordering="number") == _numbers_of(first, second, third)
    assert _numbers(client, url_name, ordering="-number") == _numbers_of(third, second, first)


def test_severity_sorts_by_rank_not_alphabet(client_for, user_a, three):
    first, second, third = three  # minor, safety, major
    client = client_for(user_a)

    assert _numbers(client, "claims:claim-list", ordering="severity") == _numbers_of(
        second, third, first
    )
    assert _numbers(client, "claims:claim-list", ordering="-severity") == _numbers_of(
        first, third, second
    )


def test_part_ties_are_broken_in_the_same_direction(client_for, engineer, three):
    first, second, third = three  # P-300, P-100, P-300
    client = client_for(engineer)

    assert _numbers(client, "claims:claim-list", ordering="part") == _numbers_of(
        second, first, third
    )
    assert _numbers(client, "claims:claim-list", ordering="-part") == _numbers_of(
        third, first, second
    )


def test_next_due_puts_claims_without_a_deadline_last(client_for, engineer, three):
    first, second, third = three
    now = timezone.now()
    EightDStep.objects.filter(claim=first).update(due_at=now + dt.timedelta(days=3))
    EightDStep.objects.filter(claim=second).update(due_at=now + dt.timedelta(days=1))
    EightDStep.objects.filter(claim=third).update(due_at=None)
    client = client_for(engineer)

    assert _numbers(client, "claims:claim-list", ordering="next_due") == _numbers_of(
        second, first, third
    )
    assert _numbers(client, "claims:claim-list", ordering="-next_due") == _numbers_of(
        first, second, third
    )


def test_inbox_keeps_its_urgency_order_without_a_choice(client_for, engineer, user_a, three):
    first, second, third = three
    new = file_claim(actor=user_a)  # submitted, not yet acknowledged: the most urgent
    EightDStep.objects.filter(claim=second).update(due_at=timezone.now() - dt.timedelta(days=1))

    numbers = _numbers(client_for(engineer), "claims:inbox")

    assert numbers[:2] == [new.number, second.number]  # then the overdue one
    assert sorted(numbers[2:]) == _numbers_of(first, third)
    assert numbers != sorted(numbers)  # not merely by number


def test_sorting_keeps_the_filters_and_is_kept_by_the_filters(client_for, engineer, three):
    first, second, third = three
    services.claim_start_review(claim=third, actor=engineer)
    client = client_for(engineer)

    response = client.get(
        reverse("claims:claim-list"), {"status": "acknowledged", "ordering": "-number"}
    )

    assert [claim.number for claim in response.context["claims"]] == _numbers_of(second, first)
    html = response.content.decode()
    # The active column shows its direction and links to the reverse, keeping the status filter.
    assert 'aria-sort="descending"' in html
    assert "bi-sort-down" in html
    assert "?status=acknowledged&amp;ordering=number" in html
    assert "?status=acknowledged&amp;ordering=severity" in html
    # The filter form carries the chosen order along.
    assert '<input type="hidden" name="ordering" value="-number"' in html


def test_pages_keep_the_order(client_for, engineer, user_a, monkeypatch):
    monkeypatch.setattr("claims.views.CLAIMS_PER_PAGE", 2)
    part = PartFactory(customer=user_a.customer)
    claims = [file_claim(actor=user_a, part=part) for _ in range(3)]
    client = client_for(engineer)

    page_one = client.get(reverse("claims:claim-list"), {"ordering": "number"})
    page_two = client.get(reverse("claims:claim-list"), {"ordering": "number", "page": 2})

    assert "ordering=number&amp;page=2" in page_one.content.decode()
    shown = [c.number for c in page_one.context["claims"]] + [
        c.number for c in page_two.context["claims"]
    ]
    assert shown == _numbers_of(*claims)


@pytest.mark.parametrize("value", ["nonsense", "-symptom", "number,bogus", "pk", "__class__"])
def test_unknown_ordering_values_are_ignored(client_for, engineer, three, value):
    client = client_for(engineer)

    for url_name in ("claims:claim-list", "claims:inbox"):
        response = client.get(reverse(url_name), {"ordering": value})
        assert response.status_code == 200
        assert len(response.context["claims"]) == 3


def test_export_follows_the_chosen_order(client_for, engineer, three):
    first, second, third = three

    response = client_for(engineer).get(reverse("claims:claim-export"), {"ordering": "-number"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")

    rows = [line.split(",")[0] for line in body.splitlines()[1:]]
    assert rows == _numbers_of(third, second, first)


def test_api_keeps_its_own_ordering_parameter(api_client_for, engineer, three):
    first, second, third = three
    api = api_client_for(engineer)

    ascending = api.get("/api/v1/claims/", {"ordering": "number"})
    descending = api.get("/api/v1/claims/", {"ordering": "-number", "severity": "minor"})

    assert ascending.status_code == 200
    assert [row["number"] for row in _results(ascending)] == _numbers_of(first, second, third)
    assert [row["number"] for row in _results(descending)] == [first.number]
    assert Claim.objects.count() == 3


def _results(response):
    data = response.json()
    return data["results"] if isinstance(data, dict) else data
