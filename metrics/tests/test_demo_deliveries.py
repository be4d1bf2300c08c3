"""Demo deliveries: 24 months for every demo part, plausible volumes, idempotent seeding."""

import datetime as dt
import io

import pytest

from claims import demo as claims_demo
from customers.demo import PARTS, seed_demo
from customers.models import Customer, Part
from metrics import demo, ppm
from metrics.models import Delivery
from metrics.ppm import Scope

TODAY = dt.date(2026, 3, 10)
FIRST_DAY = dt.date(2024, 4, 1)  # 24 months ending March 2026


@pytest.fixture
def seeded(db):
    seed_demo(today=TODAY)
    demo.seed(today=TODAY)


def _snapshot():
    return set(Delivery.objects.values_list("delivery_note", "part_id", "ship_date", "quantity"))


def test_every_demo_part_has_24_months_of_weekly_deliveries(seeded):
    demo_parts = {(row[0], row[1]) for rows in PARTS.values() for row in rows}
    parts = [p for p in Part.objects.all() if (p.part_number, p.revision) in demo_parts]
    assert len(parts) == len(demo_parts)
    for part in parts:
        deliveries = Delivery.objects.filter(part=part)
        months = {(d.year, d.month) for d in deliveries.dates("ship_date", "month")}
        assert len(months) == 24, part.part_number
        assert deliveries.earliest("ship_date").ship_date >= FIRST_DAY
        assert deliveries.latest("ship_date").ship_date <= TODAY
        # Weekly-ish: one or two shipments in most of the ~100 weeks.
        assert 85 <= deliveries.count() <= 2 * 106, part.part_number
        assert all(d.customer_id == part.customer_id for d in deliveries)
        assert all(d.plant_id == part.plant_id for d in deliveries)
        assert all(d.ship_date.weekday() < 5 for d in deliveries)


def test_seeding_again_creates_nothing(seeded):
    before = _snapshot()
    out = io.StringIO()
    demo.seed(today=TODAY, stdout=out)
    assert _snapshot() == before
    assert "0 created" in out.getvalue()


def test_seeding_is_deterministic_and_a_later_month_only_adds(seeded):
    before = _snapshot()
    Delivery.objects.all().delete()
    demo.seed(today=TODAY)
    assert _snapshot() == before

    demo.seed(today=dt.date(2026, 4, 20))
    after = _snapshot()
    assert before < after
    added = after - before
    assert all(
        dt.date(2026, 3, 10) < ship_date <= dt.date(2026, 4, 20) for *_, ship_date, _q in added
    )


def test_a_stored_demo_delivery_is_left_as_it_is(seeded):
    delivery = Delivery.objects.order_by("pk").first()
    Delivery.objects.filter(pk=delivery.pk).update(quantity=1)
    demo.seed(today=TODAY)
    assert Delivery.objects.get(pk=delivery.pk).quantity == 1


def test_demo_ppm_is_plausible_against_the_demo_claims(seeded):
    claims_demo.seed(today=TODAY)
    for customer in Customer.objects.all():
        scope = Scope(customer_id=customer.pk)
        rolling = ppm.window(scope, "r12", TODAY)
        assert 1_000_000 < rolling.delivered < 100_000_000
        assert rolling.ppm_0km is not None
        assert 10 <= rolling.ppm_0km <= 1000, (customer.code, rolling.ppm_0km)


def test_summary_names_the_deliveries(seeded):
    out = io.StringIO()
    demo.summary(stdout=out)
    assert f"{Delivery.objects.count()} demo deliveries since 2024-04" in out.getvalue()
