"""The demo has a believable past: two years of claims written at the moments they happened.

Seeded once for the module with the demo's past switched on (the rest of the suite leaves it off:
CQM_DEMO_PAST_MONTHS = 0 in the test settings), around a fixed day.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from audits.selectors import kpi_figures
from claims import kpis
from claims.models import Claim, ClaimEvent
from core.management.commands.seed_demo import demo_modules
from metrics import dashboard
from metrics.ppm import add_months

TODAY = dt.date(2026, 3, 10)


@pytest.fixture(scope="module")
def demo_with_past(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(CQM_DEMO_PAST_MONTHS=21),
    ):
        for module in demo_modules():
            module.seed(today=TODAY)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def past(demo_with_past, db):
    """The demo world with its past, for one test."""


def _month_bounds(month: dt.date, months: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(add_months(month, 1 - months), dt.time()))
    end = timezone.make_aware(dt.datetime.combine(add_months(month, 1), dt.time()))
    return start, end


@pytest.mark.usefixtures("past")
class TestDemoPast:
    month = dashboard.last_complete_month(TODAY)

    def test_every_one_of_the_last_twelve_months_has_closed_claims(self):
        opened_closed = kpis.opened_and_closed_by_month(*_month_bounds(self.month, 12))
        months = [add_months(self.month, -back) for back in range(12)]
        assert all(opened_closed.get(month, (0, 0))[1] > 0 for month in months), opened_closed

    def test_the_dashboard_shows_a_realistic_on_time_rate_and_reaction_time(self):
        tiles = {
            tile.key: tile
            for tile in dashboard.dashboard_content(self.month, 12, None, None)["tiles"]
        }
        rate = Decimal(tiles["on_time"].value.rstrip(" %"))
        assert Decimal(50) <= rate <= Decimal(100), tiles["on_time"]
        over_year = kpis.eight_d_on_time(*_month_bounds(self.month, 12)).rate
        assert Decimal(50) <= over_year < Decimal(100)  # some 8Ds were late, most were not
        hours = kpis.mean_reaction_hours(*_month_bounds(self.month, 12))
        assert hours is not None and hours < 48

    def test_ppm_goes_up_and_down_over_the_year(self):
        rows = dashboard.ppm_rows(
            dashboard.dashboard_content(self.month, 12, None, None)["figures"].months
        )
        values = [
            Decimal(row["ppm_0km"].replace(",", "")) for row in rows if not row["no_deliveries"]
        ]
        assert len(set(values)) > 6 and min(values) < max(values) / 2

    def test_the_latest_vda_grade_is_shown(self):
        start, end = _month_bounds(self.month, 1)
        figures = {figure.key: figure.value for figure in kpi_figures(start, end)}
        assert figures["latest_grade"]

    def test_records_are_dated_when_they_happened_not_when_the_demo_was_built(self):
        claims = Claim.objects.exclude(status="draft")
        assert all(abs(c.created_at - c.notified_at) < dt.timedelta(hours=1) for c in claims)
        oldest = claims.order_by("notified_at").first()
        assert oldest.notified_at.date() < TODAY - dt.timedelta(days=600)
        closed = ClaimEvent.objects.filter(action="customer_accept_8d", claim=oldest)
        assert closed.get().created_at.date() < TODAY - dt.timedelta(days=500)

    def test_no_claim_shows_an_overdue_step_from_before_it_was_filed(self):
        for claim in Claim.objects.exclude(status="draft").prefetch_related("steps"):
            for step in claim.steps.all():
                if step.due_at is not None:
                    assert step.due_at >= claim.created_at - dt.timedelta(hours=1), (claim, step)
