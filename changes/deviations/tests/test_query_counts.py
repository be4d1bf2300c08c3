"""The register page, the API list and the export cost the same queries for few or many rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from changes.models import Deviation
from customers.tests.factories import PartFactory

from .factories import deviation_fields

pytestmark = pytest.mark.django_db
FEW, MANY = 3, 40


def _bulk(count, parts, owner, start=0):
    fields = deviation_fields()
    fields.pop("expires_on")
    rows = Deviation.objects.bulk_create(
        Deviation(
            **fields,
            number=f"DEV-Q-{index:04d}",
            customer_id=parts[index % len(parts)].customer_id,
            status="approved",
            requested_at="2026-01-01T00:00:00Z",
            expires_on=dt.date.today() + dt.timedelta(days=index % 20),
            owner=owner,
            created_by=owner,
        )
        for index in range(start, start + count)
    )
    Deviation.parts.through.objects.bulk_create(
        Deviation.parts.through(deviation=row, part=parts[index % len(parts)])
        for index, row in enumerate(rows)
    )


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
        assert response.status_code == 200
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize("who", ["engineer", "user_a"])
def test_list_queries_do_not_grow_with_rows(
    request, who, engineer, customer_a, customer_b, client_for, api_client_for
):
    user = request.getfixturevalue(who)
    parts = [PartFactory(customer=customer_a), PartFactory(customer=customer_b)]
    page, api = client_for(user), api_client_for(user)
    calls = [
        lambda: page.get(reverse("changes:deviation-list"), {"expiring": "on"}),
        lambda: api.get("/api/v1/deviations/"),
        lambda: page.get(reverse("changes:deviation-export")),
    ]
    _bulk(FEW, parts, engineer)
    few = [_queries(call) for call in calls]
    _bulk(MANY, parts, engineer, start=FEW)
    many = [_queries(call) for call in calls]
    assert many == few
    assert max(many) <= 20
