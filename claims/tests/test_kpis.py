"""Claim KPIs: 8D on-time rate and reaction time as REFERENCE §1 defines them, ages, costs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from claims import kpis
from claims.models import ClaimCost, ClaimCostSheet, EightDStep
from customers.tests.factories import PartFactory

from .factories import decided_claim


def at(day: int, month: int = 1, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, month, day, hour))


JANUARY = (at(1, hour=0), at(1, 2, hour=0))


@pytest.fixture
def part(customer_a):
    return PartFactory(customer=customer_a)


def with_d8(claim, due, submitted=None):
    return EightDStep.objects.create(
        claim=claim,
        customer=claim.customer,
        code="D8",
        due_at=due,
        submitted_at=submitted,
        status="submitted" if submitted else "draft",
    )


@pytest.mark.django_db
class TestOnTimeRate:
    def test_counts_only_eight_ds_due_in_the_period(self, part, engineer):
        on_time = decided_claim(part, dt.date(2025, 12, 10), 1, actor=engineer)
        late = decided_claim(part, dt.date(2025, 12, 11), 1, actor=engineer)
        overdue = decided_claim(part, dt.date(2025, 12, 12), 1, actor=engineer)
        not_yet_due = decided_claim(part, dt.date(2025, 12, 13), 1, actor=engineer)
        next_month = decided_claim(part, dt.date(2025, 12, 14), 1, actor=engineer)
        with_d8(on_time, due=at(10), submitted=at(9))
        with_d8(late, due=at(10), submitted=at(12))
        with_d8(overdue, due=at(10))
        with_d8(not_yet_due, due=at(30))
        with_d8(next_month, due=at(3, 2), submitted=at(2, 2))
        figures = kpis.eight_d_on_time(*JANUARY, now=at(20))
        assert (figures.on_time, figures.late, figures.open_overdue) == (1, 1, 1)
        assert figures.rate == Decimal("33.3")

    def test_rejected_claims_have_no_8d_to_count(self, part, engineer):
        rejected = decided_claim(
            part, dt.date(2025, 12, 10), 1, actor=engineer, responsibility="rejected"
        )
        with_d8(rejected, due=at(10))
        assert kpis.eight_d_on_time(*JANUARY, now=at(20)).rate is None


@pytest.mark.django_db
def test_mean_reaction_time_in_hours(part, engineer):
    fast = decided_claim(part, dt.date(2026, 1, 5), 1, actor=engineer)
    slow = decided_claim(part, dt.date(2026, 1, 6), 1, actor=engineer)
    decided_claim(part, dt.date(2026, 1, 7), 1, actor=engineer)  # no containment yet
    type(fast).objects.filter(pk=fast.pk).update(
        reaction_at=fast.notified_at + dt.timedelta(hours=6)
    )
    type(slow).objects.filter(pk=slow.pk).update(
        reaction_at=slow.notified_at + dt.timedelta(hours=30)
    )
    assert kpis.mean_reaction_hours(*JANUARY) == Decimal("18.0")
    assert kpis.mean_reaction_hours(*JANUARY, customer_id=0) is None


@pytest.mark.django_db
def test_open_claims_by_age(part, engineer):
    now = at(31, 3)
    for days in (1, 7, 8, 30, 31, 91, 400):
        decided_claim(part, (now - dt.timedelta(days=days)).date(), 1, actor=engineer)
    decided_claim(part, dt.date(2026, 3, 1), 1, actor=engineer, status="closed")
    counts = kpis.open_by_age(now=now)
    assert counts == {"0-7": 2, "8-30": 2, "31-90": 1, "90+": 2}


@pytest.mark.django_db
def test_cost_of_poor_quality_sums_lines_per_currency(part, engineer):
    claim = decided_claim(part, dt.date(2026, 1, 5), 1, actor=engineer)
    sheet = ClaimCostSheet.objects.create(claim=claim, customer=claim.customer)
    for quantity, rate, currency, factor in (
        ("1.5", "40", "EUR", 100),
        ("3", "0.3333", "EUR", 100),
        ("10", "100", "USD", 50),
    ):
        ClaimCost.objects.create(
            sheet=sheet,
            claim=claim,
            customer=claim.customer,
            category="sorting",
            quantity=Decimal(quantity),
            unit="h",
            rate=Decimal(rate),
            currency=currency,
            technical_factor_percent=factor,
            created_by=engineer,
        )
    assert kpis.cost_of_poor_quality(*JANUARY) == {
        "EUR": Decimal("61.00"),
        "USD": Decimal("500.00"),
    }


@pytest.mark.django_db
def test_pareto_of_parts_largest_first(customer_a, engineer):
    big, small = PartFactory(customer=customer_a), PartFactory(customer=customer_a)
    decided_claim(small, dt.date(2026, 1, 5), 2, actor=engineer)
    decided_claim(big, dt.date(2026, 1, 6), 9, actor=engineer)
    decided_claim(big, dt.date(2026, 1, 7), 1, actor=engineer, kind="field")
    assert kpis.pareto("part", *JANUARY) == [(big.part_number, 10), (small.part_number, 2)]
    assert kpis.pareto("kind", *JANUARY) == [("0 km", 11), ("Field", 1)]


@pytest.mark.django_db
def test_pareto_of_defect_sources_with_labels(part, engineer):
    decided_claim(part, dt.date(2026, 1, 5), 4, actor=engineer, defect_source="logistics")
    decided_claim(part, dt.date(2026, 1, 6), 7, actor=engineer, defect_source="manufacturing")
    decided_claim(part, dt.date(2026, 1, 7), 1, actor=engineer)
    assert kpis.pareto("source", *JANUARY) == [
        ("Manufacturing (own process)", 7),
        ("Logistics (packaging, labelling, mixed parts, transport)", 4),
        ("Not classified", 1),
    ]
