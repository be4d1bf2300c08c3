"""The dashboard and the customer scorecard in Chromium: charts and tiles render, the filters work,
and the pages raise no console error (a Content-Security-Policy violation is one)."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import User
from claims.models import Claim
from claims.tests.factories import decided_claim
from customers.models import Part
from metrics import demo as metrics_demo
from metrics.ppm import add_months, month_start
from tests.browser import CHROMIUM, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: browser tests need Chromium"
    ),
]

MANAGER = "manager@demo.example"
CUSTOMER = "quality@autowerk.example"
OTHER_CUSTOMERS = ("Brenner", "Caldera")
SOURCES = (Claim.DefectSource.MANUFACTURING, Claim.DefectSource.SUPPLIER_MATERIAL, "")


@pytest.fixture
def figures(demo):
    """The demo's 24 months of deliveries and a few accepted claims in the last complete month."""
    metrics_demo.seed()
    manager = User.objects.get(email=MANAGER)
    last_month = add_months(month_start(timezone.localdate()), -1)
    parts = Part.objects.filter(part_number__in=["HN-21-1001", "HN-21-1010", "HN-21-1020"])
    for number, part in enumerate(parts.order_by("part_number")):
        decided_claim(
            part,
            last_month + dt.timedelta(days=number + 2),
            4 * (number + 1),
            actor=manager,
            defect_source=SOURCES[number],
        )


def _charts(page):
    return page.locator("[data-chart] svg[role=img]")


def test_manager_reads_and_filters_the_dashboard(page, live_server, figures):
    sign_in(page, live_server, MANAGER)
    with page.expect_navigation():
        page.locator("#sidenav").get_by_role("link", name="Dashboard").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == "Quality dashboard"
    assert _charts(page).count() == 5
    assert all(_charts(page).nth(n).get_attribute("aria-label") for n in range(5))
    assert _charts(page).first.bounding_box()["width"] > 200  # scales with its card
    for tile in ("incidents", "on_time", "reaction", "open_claims", "overdue_actions", "cost"):
        assert page.locator(f'[data-tile="{tile}"] [data-value]').inner_text().strip()
    month = page.locator('[data-ppm="0km"] [data-window="month"] [data-value]').inner_text()
    assert month != "n/a" and "." in month
    assert page.locator("[data-ppm-table] tbody tr").count() == 12
    assert "Manufacturing (own process)" in page.locator('[data-chart="sources"]').inner_text()
    assert page.locator('[data-module="ppap"]').count() == 1

    page.select_option("select[name=customer]", label="Autowerk AG")
    page.select_option("select[name=months]", "24")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")

    assert "Autowerk AG" in page.locator("[data-scope]").inner_text()
    assert page.locator("[data-ppm-table] tbody tr").count() == 24
    assert page.get_by_role("link", name="Scorecard of this customer").count() == 1
    assert page.console.errors == []


def test_customer_reads_their_own_scorecard(page, live_server, figures):
    sign_in(page, live_server, CUSTOMER)
    with page.expect_navigation():
        page.locator("#portalnav").get_by_role("link", name="Scorecard").click()
    page.wait_for_load_state("networkidle")

    assert page.url.endswith("/metrics/scorecard/")
    assert "Autowerk" in page.locator("h1").inner_text()
    assert _charts(page).count() == 2
    for tile in ("on_time", "reaction", "open_claims"):
        assert page.locator(f'[data-tile="{tile}"]').count() == 1
    assert page.locator('[data-tile="cost"]').count() == 0
    assert page.locator("select[name=customer]").count() == 0
    body = page.locator("body").inner_text()
    assert not any(name in body for name in OTHER_CUSTOMERS)

    response = page.goto(f"{live_server.url}/metrics/")  # the staff dashboard sends them back
    assert response.ok and page.url.endswith("/metrics/scorecard/")
    assert page.console.errors == []
