"""The dashboard, the scorecard and the ppm endpoint read as many queries for 50,000 deliveries as
for 1,000: every figure is aggregated in the database."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from claims.tests.factories import decided_claim
from customers.tests.factories import PartFactory, PlantFactory
from metrics.models import Delivery

pytestmark = pytest.mark.django_db

FIRST_DAY = dt.date(2023, 4, 1)  # deliveries spread over the 24 months to March 2025
DAYS = 730


@pytest.fixture
def parts(customer_a, customer_b, engineer):
    plants = PlantFactory(code="PLNORTH"), PlantFactory(code="PLSOUTH")
    parts = [
        PartFactory(customer=customer, plant=plant)
        for customer in (customer_a, customer_b)
        for plant in plants
    ]
    for number, part in enumerate(parts):
        decided_claim(part, dt.date(2025, 3, 5), number + 1, actor=engineer)
        decided_claim(part, dt.date(2024, 11, 5), number + 2, actor=engineer, kind="field")
    return parts


def add_deliveries(parts, start: int, count: int) -> None:
    Delivery.objects.bulk_create(
        (
            Delivery(
                customer_id=parts[n % len(parts)].customer_id,
                part=parts[n % len(parts)],
                plant_id=parts[n % len(parts)].plant_id,
                ship_date=FIRST_DAY + dt.timedelta(days=n % DAYS),
                quantity=100 + n % 50,
                delivery_note=f"QC-{n:06d}",
            )
            for n in range(start, start + count)
        ),
        batch_size=5_000,
    )


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def _count_before_and_after_growth(parts, client, requests) -> tuple[list[int], list[int]]:
    add_deliveries(parts, 0, 1_000)
    ContentType.objects.get_for_model(Claim)  # cached per process: a query only the first time
    few = [_queries(client, url, params) for url, params in requests]
    add_deliveries(parts, 1_000, 49_000)
    assert Delivery.objects.count() == 50_000
    many = [_queries(client, url, params) for url, params in requests]
    return few, many


def test_dashboard_and_scorecard_queries_do_not_grow(
    client_for, engineer, parts, customer_a, user_a
):
    staff = client_for(engineer)
    plant = parts[0].plant_id
    requests = [
        (reverse("metrics:dashboard"), {"month": "2025-03"}),
        (reverse("metrics:dashboard"), {"month": "2025-03", "months": 24, "plant": plant}),
        (reverse("metrics:scorecard"), {"month": "2025-03", "customer": customer_a.pk}),
    ]
    few, many = _count_before_and_after_growth(parts, staff, requests)
    assert few == many


def test_ppm_endpoint_queries_do_not_grow(api_client_for, engineer, parts, customer_a):
    api = api_client_for(engineer)
    url = "/api/v1/metrics/ppm/"
    requests = [
        (url, {"from": "2023-04", "to": "2025-03"}),
        (url, {"customer": customer_a.pk, "granularity": "quarter", "to": "2025-03"}),
        (url, {"part": parts[1].pk, "plant": parts[1].plant_id, "window": "r12", "to": "2025-03"}),
        ("/api/v1/metrics/kpis/", {"month": "2025-03"}),
    ]
    few, many = _count_before_and_after_growth(parts, api, requests)
    assert few == many
    # The KPI set reads ppm, claims and actions, plus the PPAP, change and audit figures.
    assert max(many) <= 16
