import datetime as dt
from decimal import Decimal

import pytest

from claims.tests.factories import decided_claim
from customers.tests.factories import PartFactory
from metrics.kpis import kpis_for

from .factories import deliver


@pytest.mark.django_db
class TestKpiSet:
    def test_customer_scope_uses_its_targets_and_only_its_figures(
        self, customer_a, customer_b, engineer
    ):
        customer_a.requirements.ppm_target_0km = Decimal("25")
        customer_a.requirements.save()
        part_a, part_b = PartFactory(customer=customer_a), PartFactory(customer=customer_b)
        deliver(part_a, dt.date(2026, 3, 2), 20_000)
        deliver(part_b, dt.date(2026, 3, 2), 80_000)
        decided_claim(part_a, dt.date(2026, 3, 5), 2, actor=engineer)
        decided_claim(part_b, dt.date(2026, 3, 5), 8, actor=engineer)

        mine = kpis_for(dt.date(2026, 3, 31), customer=customer_a)
        assert mine.targets.ppm_0km == Decimal("25")
        assert mine.month_counts.ppm_0km == Decimal("100.00")
        company = kpis_for(dt.date(2026, 3, 1))
        assert company.month_counts.delivered == 100_000
        assert company.month_counts.ppm_0km == Decimal("100.00")
        assert company.open_claims == 2 and mine.open_claims == 1

    def test_year_to_date_and_rolling_year_pool_different_months(self, customer_a, engineer):
        part = PartFactory(customer=customer_a)
        deliver(part, dt.date(2025, 6, 2), 90_000)
        deliver(part, dt.date(2026, 2, 2), 10_000)
        decided_claim(part, dt.date(2025, 6, 5), 9, actor=engineer)
        figures = kpis_for(dt.date(2026, 3, 1), customer=customer_a)
        assert figures.ytd.delivered == 10_000 and figures.ytd.ppm_0km == Decimal("0.00")
        assert figures.rolling_12.ppm_0km == Decimal("90.00")
        assert figures.month_counts.ppm_0km is None  # nothing shipped in March

    def test_ppap_changes_and_audits_report_their_figures(self):
        figures = kpis_for(dt.date(2026, 3, 1))
        assert set(figures.module_sections) == {"ppap", "changes", "audits"}
        ppap = {figure.key: figure.value for figure in figures.module_sections["ppap"]}
        assert ppap["first_time_approval_rate"] is None
        assert ppap["waiting_for_decision"] == 0
