"""A Redis cache that is away makes pages slower, never an error page."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_server_away(settings):
    # Nothing listens on port 9 of this machine: every cache call fails to connect.
    settings.CACHES = {
        "default": {"BACKEND": "core.cache.TolerantRedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }


def test_cache_calls_are_misses_while_the_server_is_away(cache_server_away):
    cache.set("key", "value")
    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.add("key", "value") is False
    assert cache.get_many(["key"]) == {}
    assert cache.incr("key") == 1
    assert cache.delete("key") is False


def test_cached_pages_and_the_throttled_api_answer(cache_server_away, client_for, engineer):
    staff = client_for(engineer)
    for name in ("claims:claim-list", "metrics:dashboard", "claims:inbox"):
        assert staff.get(reverse(name)).status_code == 200, name
    anonymous = Client()  # the throttle counts anonymous calls in the cache
    assert anonymous.get("/api/v1/claims/").status_code in (401, 403)


def test_a_redis_cache_url_selects_the_tolerant_backend():
    settings_read = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; "
         "print(settings.CACHES['default']['BACKEND'])"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cqm_portal.settings",
             "CACHE_URL": "redis://127.0.0.1:9/1"},
        capture_output=True, text=True, check=True, cwd=settings.BASE_DIR,
    )  # fmt: skip
    assert settings_read.stdout.strip() == "core.cache.TolerantRedisCache"
