"""Production defaults: kept database connections, sessions in the shared cache, layout links.

Sessions: ``core.sessions`` (Django's ``cached_db`` with its gaps closed) is chosen when the cache
is shared by every web process. These tests switch it on over the test settings' local memory
cache, or over a Redis cache that is not there (an outage).
"""

from __future__ import annotations

import runpy
import socket

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import clear_script_prefix, reverse, set_script_prefix

from accounts.services import sessions_end_all
from accounts.tests.factories import DEFAULT_PASSWORD
from core.context_processors import LAYOUT_ROUTES, layout_urls

CACHED_SESSIONS = "core.sessions"
DATABASE_SESSIONS = "django.contrib.sessions.backends.db"
PROFILE_URL = reverse("accounts:profile")
LOGIN_URL = reverse("accounts:login")


# --- settings read from the environment ---------------------------------------------------------


def production_settings(monkeypatch, **environment) -> dict:
    """The settings module evaluated afresh with ``environment`` (unset where None)."""
    for name, value in environment.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings.BASE_DIR / "cqm_portal" / "settings.py"))


def test_database_connections_are_kept_for_a_minute_and_checked_by_default(monkeypatch):
    values = production_settings(monkeypatch, DJANGO_CONN_MAX_AGE=None)

    database = values["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(("setting", "seconds"), [("0", 0), ("300", 300)])
def test_how_long_connections_are_kept_comes_from_the_environment(monkeypatch, setting, seconds):
    values = production_settings(monkeypatch, DJANGO_CONN_MAX_AGE=setting)

    assert values["DATABASES"]["default"]["CONN_MAX_AGE"] == seconds


@pytest.mark.parametrize(
    ("cache_url", "engine"),
    [
        (None, DATABASE_SESSIONS),  # local memory: one cache per process
        ("redis://127.0.0.1:6379/1", CACHED_SESSIONS),
    ],
)
def test_sessions_use_the_cache_only_when_every_process_shares_it(monkeypatch, cache_url, engine):
    values = production_settings(monkeypatch, CACHE_URL=cache_url, DJANGO_SESSION_ENGINE=None)

    assert values["SESSION_ENGINE"] == engine


def test_the_session_engine_can_be_chosen(monkeypatch):
    values = production_settings(
        monkeypatch, CACHE_URL=None, DJANGO_SESSION_ENGINE="django.contrib.sessions.backends.cache"
    )

    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"


# --- cached sessions ----------------------------------------------------------------------------


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = CACHED_SESSIONS
    cache.clear()
    yield
    cache.clear()


def session_queries(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if "django_session" in query["sql"]]


def test_a_signed_in_request_reads_its_session_from_the_cache(cached_sessions, engineer):
    browser = Client()
    browser.force_login(engineer)
    assert browser.get(PROFILE_URL).status_code == 200

    with CaptureQueriesContext(connection) as queries:
        response = browser.get(PROFILE_URL)

    assert response.status_code == 200
    assert session_queries(queries) == []


def test_a_session_survives_a_cache_clear(cached_sessions, engineer):
    browser = Client()
    browser.force_login(engineer)
    assert browser.get(PROFILE_URL).status_code == 200

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(PROFILE_URL)

    assert response.status_code == 200
    assert engineer.full_name in response.content.decode()
    assert len(session_queries(queries)) == 1  # read once from the database, then cached again


def test_a_session_from_before_the_switch_keeps_working(settings, engineer):
    settings.SESSION_ENGINE = DATABASE_SESSIONS
    browser = Client()
    browser.force_login(engineer)

    settings.SESSION_ENGINE = CACHED_SESSIONS
    cache.clear()
    switched = Client()  # a client loads the session middleware, and its engine, on first use
    switched.cookies = browser.cookies

    assert switched.get(PROFILE_URL).status_code == 200


def test_signing_a_user_out_everywhere_ends_the_cached_sessions(cached_sessions, engineer):
    browser = Client()
    browser.force_login(engineer)
    assert browser.get(PROFILE_URL).status_code == 200

    assert sessions_end_all(user=engineer) == 1

    response = browser.get(PROFILE_URL)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_signing_out_ends_the_cached_session_for_a_copied_cookie(cached_sessions, engineer):
    browser = Client()
    browser.force_login(engineer)
    copied = Client()
    copied.cookies = browser.cookies.copy()
    assert copied.get(PROFILE_URL).status_code == 200

    browser.post(reverse("accounts:logout"))

    assert copied.get(PROFILE_URL).status_code == 302


# --- a cache outage signs nobody out and refuses nobody -----------------------------------------


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def cache_away(settings):
    """Cached sessions over the portal's Redis cache, with no Redis listening."""
    settings.SESSION_ENGINE = CACHED_SESSIONS
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
        }
    }


def test_with_the_cache_away_people_sign_in_and_stay_signed_in(cache_away, engineer):
    browser = Client()

    signed_in = browser.post(LOGIN_URL, {"username": engineer.email, "password": DEFAULT_PASSWORD})

    assert signed_in.status_code == 302, signed_in.content.decode()[-2000:]
    assert Session.objects.count() == 1
    page = browser.get(PROFILE_URL)
    assert page.status_code == 200
    assert engineer.full_name in page.content.decode()


def test_with_the_cache_away_a_cached_session_is_read_from_the_database(settings, engineer):
    settings.SESSION_ENGINE = CACHED_SESSIONS
    browser = Client()
    browser.force_login(engineer)
    assert browser.get(PROFILE_URL).status_code == 200
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
        }
    }

    after_outage = Client()
    after_outage.cookies = browser.cookies

    assert after_outage.get(PROFILE_URL).status_code == 200
    after_outage.post(reverse("accounts:logout"))
    assert Session.objects.count() == 0


# --- the layout's links -------------------------------------------------------------------------


def test_layout_links_are_reversed_once_and_match_the_routes(db):
    first, second = layout_urls(), layout_urls()

    assert first is second
    assert dict(first) == {name: reverse(route) for name, route in LAYOUT_ROUTES.items()}


def test_layout_links_follow_the_script_prefix(db):
    set_script_prefix("/portal/")
    try:
        prefixed = layout_urls()
    finally:
        clear_script_prefix()

    assert prefixed["home"] == "/portal" + reverse("core:home")
    assert layout_urls()["home"] == reverse("core:home")


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("engineer", ["core:my-actions", "claims:inbox", "metrics:delivery-list", "api-docs"]),
        ("user_a", ["claims:claim-list", "customers:part-list", "accounts:logout", "api-docs"]),
    ],
)
def test_the_menus_link_to_the_routes(request, client_for, persona, links):
    page = client_for(request.getfixturevalue(persona)).get(PROFILE_URL).content.decode()

    for route in links:
        assert f'="{reverse(route)}"' in page
    assert f'href="{reverse("admin:index")}"' not in page  # still only for staff
