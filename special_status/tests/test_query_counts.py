"""The register page and the API list cost the same queries for few or many statuses."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customers.tests.factories import PartFactory, PlantFactory
from special_status.models import ExitCriterion, SpecialStatus

pytestmark = pytest.mark.django_db
FEW, MANY = 3, 40
KINDS = SpecialStatus.Kind.values
STATUSES = (SpecialStatus.Status.OPEN, SpecialStatus.Status.EXIT_REQUESTED)


def _bulk(count, parts, plant, owner, start=0):
    """``count`` statuses of every kind, each with parts, a plant and three criteria."""
    rows = SpecialStatus.objects.bulk_create(
        SpecialStatus(
            number=f"SS-Q-{index:04d}",
            customer_id=parts[index % len(parts)].customer_id,
            kind=KINDS[index % len(KINDS)],
            status=STATUSES[index % 2],
            started_on=timezone.localdate() - dt.timedelta(days=index),
            reason=f"Reason {index}",
            owner=owner,
            created_by=owner,
            exit_requested_at=timezone.now() if index % 2 else None,
        )
        for index in range(start, start + count)
    )
    SpecialStatus.parts.through.objects.bulk_create(
        SpecialStatus.parts.through(specialstatus=row, part=parts[index % len(parts)])
        for index, row in enumerate(rows)
    )
    SpecialStatus.plants.through.objects.bulk_create(
        SpecialStatus.plants.through(specialstatus=row, plant=plant) for row in rows
    )
    ExitCriterion.objects.bulk_create(
        ExitCriterion(
            special_status=row,
            customer_id=row.customer_id,
            position=position,
            text=f"Criterion {position}",
            met=position == 1,
            met_on=timezone.localdate() if position == 1 else None,
        )
        for row in rows
        for position in (1, 2, 3)
    )


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["engineer", "user_a"])
def test_register_queries_do_not_grow_with_statuses(
    request, who, engineer, customer_a, customer_b, client_for, api_client_for
):
    user = request.getfixturevalue(who)
    parts = [PartFactory(customer=customer_a), PartFactory(customer=customer_b)]
    plant = PlantFactory(code="QCOUNT")
    page, api = client_for(user), api_client_for(user)
    calls = [
        lambda: page.get(reverse("special_status:status-list")),
        lambda: page.get(reverse("special_status:status-list"), {"in_force": "on", "q": "SS"}),
        lambda: api.get("/api/v1/special-statuses/"),
    ]
    _bulk(FEW, parts, plant, engineer)
    few = [_queries(call) for call in calls]
    _bulk(MANY, parts, plant, engineer, start=FEW)
    many = [_queries(call) for call in calls]
    assert many == few
    assert max(many) <= 20
    shown = page.get(reverse("special_status:status-list")).context["statuses"]
    assert {row.criteria_met for row in shown} == {1} and {row.criteria_total for row in shown} == {
        3
    }
