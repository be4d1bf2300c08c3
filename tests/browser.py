"""Browser fixtures: one headless Debian Chromium per test session, a fresh context per test.

A plugin of the root conftest (``pytest_plugins``), so that every suite with browser tests shares
the one browser: a second ``sync_playwright()`` in the same process fails.
"""

import contextlib
import os
import threading
import time
from pathlib import Path

import pytest
from django.db import connections

from customers.demo import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are still
# synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser(live_server):
    # Requesting live_server here makes the browser close first: its open keep-alive sockets
    # keep request threads (each with a database connection) alive until then.
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install the chromium package to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Django keeps connections per context, and Playwright's sync API runs its own context: a
    # connection opened on either side of that boundary would outlive the session and keep
    # PostgreSQL from dropping the test database.
    connections.close_all()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        _wait_for_request_threads()
        connections.close_all()


def _wait_for_request_threads(timeout: float = 10.0) -> None:
    """Let the live server's request threads finish and close their database connections.

    Otherwise PostgreSQL refuses to drop the test database ("being accessed by other users").
    """
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(max(0.0, deadline - time.monotonic()))


class ConsoleLog:
    """Errors the page reported: console errors (CSP violations among them) and uncaught ones."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _on_console(self, message):
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")


@pytest.fixture
def page(browser):
    with _fresh_page(browser) as page:
        yield page


@pytest.fixture
def other_page(browser):
    """A second, separate browser session: another user signed in at the same time."""
    with _fresh_page(browser) as page:
        yield page


@contextlib.contextmanager
def _fresh_page(browser):
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.console = ConsoleLog(page)
    try:
        yield page
    finally:
        context.close()


def sign_in(page, live_server, email: str, password: str = DEMO_PASSWORD):
    """Submit the login form; returns the response of the page it lands on."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation() as navigation:
        page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_load_state("networkidle")
    return navigation.value
