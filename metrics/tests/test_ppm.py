"""ppm rules of REFERENCE §5: pooled counts, n/a without deliveries, only our claims count."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from claims.models import Claim
from claims.tests.factories import decided_claim
from customers.tests.factories import PartFactory, PlantFactory
from metrics import ppm
from metrics.ppm import Counts, Scope

from .factories import deliver

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


@pytest.fixture
def part(customer_a):
    return PartFactory(customer=customer_a)


class TestCounts:
    def test_ppm_is_defects_per_million_delivered(self):
        counts = Counts(delivered=40_000, defects_0km=3, defects_field=1, incidents_0km=2)
        assert counts.ppm_0km == Decimal("75.00")
        assert counts.ppm_field == Decimal("25.00")
        assert counts.ipb == Decimal("50000.00")

    def test_no_deliveries_gives_no_figure_not_zero(self):
        counts = Counts(delivered=0, defects_0km=5, incidents_0km=1)
        assert counts.ppm_0km is None and counts.ppm_field is None and counts.ipb is None

    def test_pooling_adds_counts_instead_of_averaging_rates(self):
        january = Counts(delivered=1_000, defects_0km=1)  # 1000 ppm
        february = Counts(delivered=99_000, defects_0km=0)  # 0 ppm
        assert ppm.pooled([january, february]).ppm_0km == Decimal("10.00")
        average_of_rates = (january.ppm_0km + february.ppm_0km) / 2
        assert average_of_rates == Decimal("500.00")  # what a naive dashboard would show

    def test_rates_round_half_up_at_the_end(self):
        assert Counts(delivered=8, defects_0km=1).ppm_0km == Decimal("125000.00")
        assert Counts(delivered=3, defects_0km=1).ppm_0km == Decimal("333333.33")
        assert Counts(delivered=400_000_000, defects_0km=1).ppm_0km == Decimal("0.00")


@pytest.mark.django_db
class TestFromTheDatabase:
    def test_monthly_counts_per_kind(self, part, engineer):
        deliver(part, dt.date(2026, 1, 5), 30_000)
        deliver(part, dt.date(2026, 1, 28), 10_000)
        deliver(part, dt.date(2026, 2, 3), 50_000)
        decided_claim(part, dt.date(2026, 1, 20), 4, actor=engineer)
        decided_claim(part, dt.date(2026, 2, 10), 1, actor=engineer, kind="field")
        months = ppm.monthly_counts(Scope(customer_id=part.customer_id), JAN, MAR)
        assert months[JAN] == Counts(delivered=40_000, defects_0km=4, incidents_0km=1)
        assert months[FEB] == Counts(delivered=50_000, defects_field=1, incidents_field=1)
        assert months[MAR].ppm_0km is None  # no deliveries in March: n/a
        assert months[JAN].ppm_0km == Decimal("100.00")

    @pytest.mark.parametrize(
        "fields",
        [
            {
                "responsibility": "rejected",
                "rejection_code": "no_fault_found",
                "status": "rejected",
            },
            {"responsibility": "rejected", "rejection_code": "not_our_responsibility"},
            {"responsibility": "", "status": "under_review"},
            {"status": "cancelled"},
        ],
    )
    def test_only_claims_accepted_as_ours_count(self, part, engineer, fields):
        deliver(part, dt.date(2026, 1, 5), 10_000)
        decided_claim(part, dt.date(2026, 1, 6), 7, actor=engineer, **fields)
        counts = ppm.window(Scope(), "r3", JAN)
        assert counts.defects_0km == 0 and counts.incidents == 0
        assert counts.ppm_0km == Decimal("0.00")

    def test_quantity_charged_to_ppm_counts_not_the_suspect_quantity(self, part, engineer):
        deliver(part, dt.date(2026, 1, 5), 10_000)
        decided_claim(part, dt.date(2026, 1, 6), 2, actor=engineer, suspect_qty=500)
        assert ppm.window(Scope(), "r3", JAN).defects_0km == 2

    def test_rolling_twelve_months_pools_exactly_twelve_months(self, part, engineer):
        for month in range(1, 13):
            deliver(part, dt.date(2025, month, 15), 1_000)
        deliver(part, dt.date(2024, 12, 15), 1_000_000)  # thirteen months back: outside
        decided_claim(part, dt.date(2024, 12, 20), 99, actor=engineer)
        decided_claim(part, dt.date(2025, 1, 2), 3, actor=engineer)
        decided_claim(part, dt.date(2025, 12, 31), 1, actor=engineer, kind="field")
        counts = ppm.window(Scope(), "r12", dt.date(2025, 12, 31))
        assert counts == Counts(
            delivered=12_000, defects_0km=3, defects_field=1, incidents_0km=1, incidents_field=1
        )
        assert counts.ppm_0km == Decimal("250.00")

    def test_year_to_date_starts_in_january(self, part, engineer):
        deliver(part, dt.date(2025, 12, 1), 5_000)
        deliver(part, dt.date(2026, 2, 1), 2_000)
        assert ppm.window(Scope(), "ytd", dt.date(2026, 3, 15)).delivered == 2_000

    def test_quarters_pool_their_months(self, part, engineer):
        deliver(part, dt.date(2026, 1, 5), 1_000)
        deliver(part, dt.date(2026, 3, 5), 99_000)
        decided_claim(part, dt.date(2026, 1, 6), 1, actor=engineer)
        quarters = ppm.series(Scope(), JAN, dt.date(2026, 6, 1), "quarter")
        assert [q.label for q in quarters] == ["2026 Q1", "2026 Q2"]
        assert quarters[0].counts.ppm_0km == Decimal("10.00")
        assert quarters[1].counts.ppm_0km is None

    def test_scope_by_plant_and_part(self, customer_a, engineer):
        north, south = PlantFactory(), PlantFactory()
        part_north = PartFactory(customer=customer_a, plant=north)
        part_south = PartFactory(customer=customer_a, plant=south)
        deliver(part_north, dt.date(2026, 1, 5), 1_000)
        deliver(part_south, dt.date(2026, 1, 5), 3_000)
        decided_claim(part_south, dt.date(2026, 1, 9), 3, actor=engineer)
        assert ppm.window(Scope(plant_id=north.pk), "r3", JAN).ppm_0km == Decimal("0.00")
        assert ppm.window(Scope(part_id=part_south.pk), "r3", JAN).ppm_0km == Decimal("1000.00")
        by_plant = ppm.breakdown("plant", Scope(), JAN, JAN)
        assert by_plant[south.pk] == Counts(delivered=3_000, defects_0km=3, incidents_0km=1)
        assert by_plant[north.pk].delivered == 1_000

    def test_claims_without_deliveries_show_up_in_the_breakdown_as_na(
        self, customer_a, customer_b, engineer
    ):
        part_a, part_b = PartFactory(customer=customer_a), PartFactory(customer=customer_b)
        deliver(part_a, dt.date(2026, 1, 5), 1_000)
        decided_claim(part_b, dt.date(2026, 1, 9), 1, actor=engineer)
        by_customer = ppm.breakdown("customer", Scope(), JAN, JAN)
        assert by_customer[customer_b.pk].ppm_0km is None
        assert by_customer[customer_b.pk].incidents == 1


@pytest.mark.django_db
def test_months_follow_the_time_zone_of_each_call(customer_a, engineer):
    """The SQL of a scope and period is built once, but its month boundaries are per time zone."""
    part = PartFactory(customer=customer_a)
    claim = decided_claim(part, dt.date(2025, 3, 1), 5, actor=engineer)
    # 03:00 UTC on 1 March: already March in Berlin, still February in Detroit.
    Claim.objects.filter(pk=claim.pk).update(
        notified_at=dt.datetime(2025, 3, 1, 3, 0, tzinfo=dt.UTC)
    )
    scope = Scope(customer_id=customer_a.pk)
    months = {}
    for zone in ("Europe/Berlin", "America/Detroit", "Europe/Berlin"):
        with timezone.override(zone):
            counts = ppm.monthly_counts(scope, dt.date(2025, 2, 1), dt.date(2025, 3, 1))
        months[zone] = [month for month, figures in counts.items() if figures.defects_0km]
    assert months["Europe/Berlin"] == [dt.date(2025, 3, 1)]
    assert months["America/Detroit"] == [dt.date(2025, 2, 1)]
