"""``DeliveryMonth`` is the deliveries summed per part and month, whatever wrote the deliveries.

The database keeps it (triggers of migration 0004), so these tests write deliveries every way the
product does — the import (new notes and corrections through one upsert), bulk inserts, updates
and deletes outside any service — and compare it with the sums computed from the deliveries.
"""

import datetime as dt

import pytest
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from customers.tests.factories import PartFactory, PlantFactory
from metrics import ppm
from metrics.models import Delivery, DeliveryMonth
from metrics.services import deliveries_import

from .factories import deliver

pytestmark = pytest.mark.django_db


def summed_from_deliveries() -> dict:
    rows = (
        Delivery.objects.annotate(month=TruncMonth("ship_date"))
        .values("customer_id", "part_id", "plant_id", "month")
        .annotate(quantity=Sum("quantity"))
        .order_by()
    )
    return {
        (r["customer_id"], r["part_id"], r["plant_id"], r["month"]): r["quantity"] for r in rows
    }


def stored_months() -> dict:
    return {
        (r.customer_id, r.part_id, r.plant_id, r.month): r.quantity
        for r in DeliveryMonth.objects.all()
    }


@pytest.fixture
def bracket(customer_a):
    return PartFactory(part_number="4711-100", customer=customer_a, plant=PlantFactory(code="PL01"))


def record(note, ship_date, quantity, part="4711-100"):
    return {
        "delivery_note": note,
        "customer_code": "AUTOWERK",
        "part_number": part,
        "ship_date": ship_date,
        "quantity": quantity,
    }


def test_import_and_its_corrections_keep_the_months_exact(engineer, customer_a, bracket):
    other = PartFactory(part_number="4711-200", customer=customer_a, plant=bracket.plant)
    result = deliveries_import(
        actor=engineer,
        rows=[
            record("DN-1", "2026-01-15", 1000),
            record("DN-2", "2026-01-31", 500),
            record("DN-3", "2026-02-01", 700, part="4711-200"),
        ],
    )
    assert result.ok and result.created == 3
    january = dt.date(2026, 1, 1)
    assert stored_months() == {
        (customer_a.pk, bracket.pk, bracket.plant_id, january): 1500,
        (customer_a.pk, other.pk, bracket.plant_id, dt.date(2026, 2, 1)): 700,
    }
    # One upsert: DN-2 moves to March with a new quantity, DN-3 changes part, DN-4 is new.
    result = deliveries_import(
        actor=engineer,
        rows=[
            record("DN-2", "2026-03-02", 450),
            record("DN-3", "2026-02-01", 700),
            record("DN-4", "2026-01-20", 20),
        ],
    )
    assert (result.created, result.updated) == (1, 2)
    assert (
        stored_months()
        == summed_from_deliveries()
        == {
            (customer_a.pk, bracket.pk, bracket.plant_id, january): 1020,
            (customer_a.pk, bracket.pk, bracket.plant_id, dt.date(2026, 2, 1)): 700,
            (customer_a.pk, bracket.pk, bracket.plant_id, dt.date(2026, 3, 1)): 450,
        }
    ), "the part of DN-3 moved, so the other part's February is gone, not left at 0"


def test_writes_outside_the_import_keep_the_months_exact(customer_a, bracket):
    deliveries = [deliver(bracket, dt.date(2026, 5, day), 100 * day) for day in range(1, 11)]
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries[:3]]).update(
        ship_date=dt.date(2026, 6, 30)
    )
    Delivery.objects.filter(pk=deliveries[4].pk).update(quantity=1)
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries[7:]]).delete()
    assert stored_months() == summed_from_deliveries()
    assert stored_months()[(customer_a.pk, bracket.pk, bracket.plant_id, dt.date(2026, 6, 1))] == (
        100 + 200 + 300
    )
    Delivery.objects.all().delete()
    assert not DeliveryMonth.objects.exists()


def test_ppm_reads_the_months_and_pools_them(customer_a, bracket):
    deliver(bracket, dt.date(2026, 4, 3), 400_000)
    deliver(bracket, dt.date(2026, 4, 28), 600_000)
    deliver(bracket, dt.date(2026, 5, 2), 250_000)
    months = ppm.monthly_counts(
        ppm.Scope(customer_id=customer_a.pk), dt.date(2026, 3, 1), dt.date(2026, 5, 1)
    )
    assert [counts.delivered for counts in months.values()] == [0, 1_000_000, 250_000]
    breakdown = ppm.breakdown("part", ppm.Scope(), dt.date(2026, 4, 1), dt.date(2026, 5, 1))
    assert breakdown[bracket.pk].delivered == 1_250_000
