"""Every demo login signs in through the real login page and lands on its home page."""

import pytest

from customers.demo import demo_logins
from tests.browser import CHROMIUM
from tests.browser import sign_in as sign_in_as

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: browser tests need Chromium"
    ),
]

LOGINS = {login.email: login for login in demo_logins()}
CUSTOMER_LOGINS = [login.email for login in LOGINS.values() if login.customer_name]
INTERNAL_LOGINS = [login.email for login in LOGINS.values() if not login.customer_name]


def sign_in(page, live_server, email: str, password: str | None = None):
    return sign_in_as(page, live_server, email, password or LOGINS[email].password)


def _path(page, live_server) -> str:
    return page.url.removeprefix(live_server.url) or "/"


@pytest.mark.parametrize("email", CUSTOMER_LOGINS)
def test_customer_user_lands_on_their_portal(page, live_server, demo, email):
    response = sign_in(page, live_server, email)

    assert response.status == 200
    assert _path(page, live_server) == "/"
    brand = page.locator("nav .navbar-brand")
    assert LOGINS[email].customer_name in brand.inner_text()
    assert page.locator("#sidenav").count() == 0
    others = {login.customer_name for login in LOGINS.values()} - {LOGINS[email].customer_name, ""}
    body = page.locator("body").inner_text()
    assert not any(name in body for name in others)
    assert page.console.errors == []


@pytest.mark.parametrize("email", INTERNAL_LOGINS)
def test_internal_user_lands_on_the_workbench(page, live_server, demo, email):
    response = sign_in(page, live_server, email)

    assert response.status == 200
    assert _path(page, live_server) == "/"
    sidebar = page.locator("#sidenav")
    assert "My actions" in sidebar.inner_text()
    assert LOGINS[email].full_name in sidebar.inner_text()
    assert page.console.errors == []


def test_customer_user_gets_403_on_a_staff_page(page, live_server, demo):
    sign_in(page, live_server, CUSTOMER_LOGINS[0])

    response = page.goto(f"{live_server.url}/customers/")

    assert response.status == 403


def test_wrong_password_stays_on_the_login_page(page, live_server, demo):
    response = sign_in(page, live_server, "engineer@demo.example", password="not-the-password")

    assert response.status == 200
    assert _path(page, live_server) == "/accounts/login/"
    assert page.locator("#sidenav").count() == 0
    assert page.console.errors == []


def test_static_assets_and_scripts_load(page, live_server, transactional_db):
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)

    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("networkidle")

    assert failed == []
    assert page.evaluate("typeof window.bootstrap") == "object"
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.console.errors == []
