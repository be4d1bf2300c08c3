"""The dashboard page for staff and the scorecard every customer sees of their own company."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.tests.factories import decided_claim
from customers.tests.factories import PartFactory, PlantFactory

from .factories import deliver

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("metrics:dashboard")
SCORECARD = reverse("metrics:scorecard")
MARCH = {"month": "2025-03"}


@pytest.fixture
def plants():
    return PlantFactory(code="PLNORTH", name="North"), PlantFactory(code="PLSOUTH", name="South")


@pytest.fixture
def figures(customer_a, customer_b, plants, engineer):
    """March 2025: A ships 20,000 with 2 defects (100 ppm), B 43,210 with 30 (694.28 ppm).

    Nothing ships in February, so its ppm is "n/a".
    """
    part_a = PartFactory(customer=customer_a, plant=plants[0], part_number="AW-100")
    part_b = PartFactory(customer=customer_b, plant=plants[1], part_number="BR-200")
    deliver(part_a, dt.date(2025, 3, 3), 20_000)
    deliver(part_b, dt.date(2025, 3, 4), 43_210)
    decided_claim(part_a, dt.date(2025, 3, 5), 2, actor=engineer)
    decided_claim(
        part_b,
        dt.date(2025, 3, 6),
        30,
        actor=engineer,
        defect_source=Claim.DefectSource.MANUFACTURING,
    )
    return part_a, part_b


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _window(html: str, kind: str, window: str) -> str:
    """The ppm shown on a card (kind "0km"/"field") for a window ("month", "ytd", "r12")."""
    card = html.split(f'data-ppm="{kind}"', 1)[1]
    cell = card.split(f'data-window="{window}"', 1)[1]
    return re.search(r"data-value>([^<]*)<", cell)[1].strip()


def _table_row(html: str, month: str) -> str:
    return html.split(f'data-month="{month}"', 1)[1].split("</tr>", 1)[0]


class TestAccess:
    def test_staff_see_the_dashboard(self, client_for, engineer, manager):
        assert client_for(engineer).get(DASHBOARD).status_code == 200
        assert client_for(manager).get(DASHBOARD).status_code == 200

    def test_customer_users_are_sent_to_their_scorecard(self, client_for, user_a):
        response = client_for(user_a).get(DASHBOARD)
        assert response.status_code == 302 and response.url == SCORECARD

    def test_anonymous_visitors_sign_in_first(self, client):
        for url in (DASHBOARD, SCORECARD):
            response = client.get(url)
            assert response.status_code == 302 and "/accounts/login/" in response.url

    def test_nav_links(self, client_for, engineer, user_a):
        assert f'href="{DASHBOARD}"' in _html(client_for(engineer).get(reverse("core:home")))
        assert f'href="{SCORECARD}"' in _html(client_for(user_a).get(reverse("core:home")))


class TestDashboardFigures:
    def test_company_figures_pool_every_customer(self, client_for, engineer, figures):
        html = _html(client_for(engineer).get(DASHBOARD, MARCH))
        # 32 defects in 63,210 parts.
        assert _window(html, "0km", "month") == "506.25"
        assert "63,210 parts delivered" in html
        assert _window(html, "field", "month") == "0.00"

    def test_figures_follow_every_change_of_the_data(self, client_for, engineer, figures):
        """The figures are cached between requests, but never past a change of the data."""
        client = client_for(engineer)
        assert _window(_html(client.get(DASHBOARD, MARCH)), "0km", "month") == "506.25"
        deliver(figures[0], dt.date(2025, 3, 20), 36_790)  # 100,000 parts now
        assert _window(_html(client.get(DASHBOARD, MARCH)), "0km", "month") == "320.00"
        decided_claim(figures[0], dt.date(2025, 3, 21), 8, actor=engineer)
        assert _window(_html(client.get(DASHBOARD, MARCH)), "0km", "month") == "400.00"

    def test_customer_filter_narrows_every_figure(self, client_for, engineer, figures, customer_a):
        html = _html(client_for(engineer).get(DASHBOARD, {**MARCH, "customer": customer_a.pk}))
        assert _window(html, "0km", "month") == "100.00"
        assert _window(html, "0km", "r12") == "100.00"
        assert "694.28" not in html and "43,210" not in html

    def test_plant_filter_uses_deliveries_and_claims_of_that_plant(
        self, client_for, engineer, figures, plants
    ):
        html = _html(client_for(engineer).get(DASHBOARD, {**MARCH, "plant": plants[1].pk}))
        assert _window(html, "0km", "month") == "694.28"
        assert "20,000" not in html
        assert "deliveries count by shipping plant" in html
        open_claims = html.split('data-tile="open_claims"', 1)[1]
        assert re.search(r"data-value>1<", open_claims)  # of the two open claims, one is South's
        assert "AW-100" not in html and "BR-200" in html  # the parts Pareto

    def test_target_colours_the_figure(self, client_for, engineer, figures, customer_a):
        customer_a.requirements.ppm_target_0km = 150
        customer_a.requirements.save()
        html = _html(client_for(engineer).get(DASHBOARD, {**MARCH, "customer": customer_a.pk}))
        assert 'data-window="month" data-state="good"' in html
        assert "Target 150.00 ppm" in html
        company = _html(client_for(engineer).get(DASHBOARD, MARCH))
        assert 'data-window="month" data-state="bad"' in company  # 506.25 > 50

    def test_month_without_deliveries_is_not_applicable(self, client_for, engineer, figures):
        html = _html(client_for(engineer).get(DASHBOARD, {"month": "2025-02"}))
        assert _window(html, "0km", "month") == "n/a"
        assert 'data-window="month" data-state="none"' in html
        row = _table_row(html, "2025-02")
        assert row.count("n/a") == 2 and "0.00" not in row
        assert "506.25" in _table_row(_html(client_for(engineer).get(DASHBOARD, MARCH)), "2025-03")

    def test_period_sets_the_months_of_table_and_trend(self, client_for, engineer, figures):
        client = client_for(engineer)
        twelve = _html(client.get(DASHBOARD, MARCH))
        twenty_four = _html(client.get(DASHBOARD, {**MARCH, "months": 24}))
        assert twelve.count("<tr data-month=") == 12
        assert twenty_four.count("<tr data-month=") == 24
        assert 'data-month="2024-04"' in twelve and 'data-month="2023-04"' in twenty_four

    def test_kpi_tiles_and_defect_source_pareto(self, client_for, engineer, figures):
        html = _html(client_for(engineer).get(DASHBOARD, MARCH))
        for tile in ("incidents", "ipb", "on_time", "reaction", "open_claims", "cost"):
            assert f'data-tile="{tile}"' in html
        incidents = html.split('data-tile="incidents"', 1)[1]
        assert re.search(r"data-value>2<", incidents)
        assert "Manufacturing (own process)" in html  # the Pareto's bar label
        assert "BR-200" in html

    def test_charts_are_inline_svg_with_a_label_and_no_inline_css(
        self, client_for, engineer, figures
    ):
        html = _html(client_for(engineer).get(DASHBOARD, MARCH))
        charts = re.findall(r"<svg\b[^>]*>", html)
        assert len(charts) == 5
        assert all('role="img"' in tag and "aria-label=" in tag for tag in charts)
        svg = html[html.index("<svg") :]
        assert "style=" not in svg and "<style" not in svg

    def test_ppap_changes_and_audits_show_their_key_figures(self, client_for, engineer, figures):
        html = _html(client_for(engineer).get(DASHBOARD, MARCH))
        for key in ("ppap", "changes", "audits"):
            assert f'data-module="{key}"' in html
        assert 'data-figure="first_time_approval_rate"' in html
        assert 'data-figure="overdue_findings"' in html
        # No PPAP decision in the month: the rate is not computable, not 0.
        rate = html[html.index('data-figure="first_time_approval_rate"') :]
        assert rate.index("n/a") < rate.index("</dd>")

    def test_empty_state_without_any_data(self, client_for, engineer):
        html = _html(client_for(engineer).get(DASHBOARD))
        assert "No figures for this selection yet" in html
        assert "<svg" not in html

    def test_wrong_filters_are_explained_and_defaults_shown(self, client_for, engineer, figures):
        html = _html(client_for(engineer).get(DASHBOARD, {"month": "2999-01", "months": "7"}))
        assert "Choose a month that has begun." in html
        assert "Select a valid choice." in html
        assert 'aria-invalid="true"' in html

    def test_numbers_use_thousands_separators(self, client_for, engineer, customer_a):
        part = PartFactory(customer=customer_a)
        deliver(part, dt.date(2025, 3, 3), 1_234_567)
        html = _html(client_for(engineer).get(DASHBOARD, MARCH))
        assert "1,234,567 parts delivered" in html
        assert _window(html, "0km", "month") == "0.00"


class TestScorecard:
    def test_customer_sees_only_their_own_company(self, client_for, user_a, figures):
        html = _html(client_for(user_a).get(SCORECARD, MARCH))
        assert "Autowerk AG" in html
        assert _window(html, "0km", "month") == "100.00"
        assert "20,000 parts delivered" in html
        for foreign in ("Brenner Motors", "694.28", "43,210", "BR-200", "506.25"):
            assert foreign not in html

    def test_figures_follow_a_new_delivery(self, client_for, user_a, figures):
        client = client_for(user_a)
        assert _window(_html(client.get(SCORECARD, MARCH)), "0km", "month") == "100.00"
        deliver(figures[0], dt.date(2025, 3, 20), 20_000)
        assert _window(_html(client.get(SCORECARD, MARCH)), "0km", "month") == "50.00"

    def test_a_customer_in_the_query_string_is_ignored(
        self, client_for, user_a, customer_b, figures
    ):
        html = _html(client_for(user_a).get(SCORECARD, {**MARCH, "customer": customer_b.pk}))
        assert _window(html, "0km", "month") == "100.00"
        assert "Brenner Motors" not in html and "694.28" not in html
        assert 'name="customer"' not in html  # no customer to choose

    def test_internal_figures_stay_internal(self, client_for, user_a, figures):
        html = _html(client_for(user_a).get(SCORECARD, MARCH))
        for tile in ("on_time", "reaction", "open_claims"):
            assert f'data-tile="{tile}"' in html
        assert 'data-tile="cost"' not in html and 'data-tile="overdue_actions"' not in html
        assert len(re.findall(r"<svg\b", html)) == 2

    def test_staff_choose_a_customer(self, client_for, manager, customer_b, figures):
        client = client_for(manager)
        assert "Choose a customer" in _html(client.get(SCORECARD))
        html = _html(client.get(SCORECARD, {**MARCH, "customer": customer_b.pk}))
        assert _window(html, "0km", "month") == "694.28"
        assert "Brenner Motors" in html

    def test_staff_without_a_customer_see_every_customer_worst_first(
        self, client_for, manager, customer_a, customer_b, figures
    ):
        html = _html(client_for(manager).get(SCORECARD, MARCH))
        overview = html[html.index('data-testid="scorecard-overview"') :]
        assert overview.index("Brenner Motors") < overview.index("Autowerk AG")
        assert f'href="?customer={customer_b.pk}&amp;month=2025-03"' in overview
        assert "694.28" in overview and "100.00" in overview
        assert "Choose a customer" not in html

    def test_dashboard_links_to_the_chosen_customers_scorecard(
        self, client_for, engineer, customer_a, figures
    ):
        html = _html(client_for(engineer).get(DASHBOARD, {**MARCH, "customer": customer_a.pk}))
        assert f"{SCORECARD}?customer={customer_a.pk}&amp;month=2025-03" in html
