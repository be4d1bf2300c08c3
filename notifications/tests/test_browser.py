"""The bell and the notification pages in Chromium: visible, clickable and without sideways
scrolling at 1440, 1024 and 390 px, for our staff (side navigation) and customers (top nav)."""

import re

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD
from tests.browser import sign_in

from .factories import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1440, 1024, 390)
PAGES = ("/", "/notifications/", "/notifications/preferences/")


@pytest.mark.parametrize("who", ["engineer", "user_a"])
def test_the_bell_and_the_pages_fit_every_width(page, live_server, request, who):
    expect = pytest.importorskip("playwright.sync_api").expect
    user = request.getfixturevalue(who)
    NotificationFactory(
        recipient=user, title="A long title of a notification " * 6, body="Detail " * 80, url="/"
    )
    NotificationFactory.create_batch(2, recipient=user, url="/")
    sign_in(page, live_server, user.email, DEFAULT_PASSWORD)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in PAGES:
            page.goto(f"{live_server.url}{path}")
            expect(page.get_by_test_id("notification-bell")).to_be_visible()
            expect(page.get_by_test_id("notification-count")).to_have_text("3")
            wider = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert wider <= 0, f"{path} at {width} px scrolls sideways by {wider} px"
        page.goto(f"{live_server.url}/")
        page.get_by_test_id("notification-bell").click()
        page.wait_for_url(re.compile(r"/notifications/$"))
    page.get_by_role("button", name=re.compile("Mark read")).first.click()
    expect(page.get_by_test_id("notification-count")).to_have_text("2")
    page.get_by_role("button", name="Mark all read").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("notification-count")).to_have_count(0)
    assert page.console.errors == []
