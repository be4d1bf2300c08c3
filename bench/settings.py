"""Settings of ``make bench`` and its gunicorn: production mode plus the floor views.

Production mode matters: DEBUG keeps every SQL statement in memory and serves static files
through Django, which would measure something no user ever sees. The bench talks plain HTTP on
127.0.0.1, so the HTTPS redirect and secure cookies are off, and the staff second factor is not
asked for (the bench signs in through prepared sessions). The cache is Redis at ``CACHE_URL``
(default: ``REDIS_URL``, else the local Redis); without a Redis the pages are served uncached.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key-on-a-loopback-server")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("CQM_STAFF_2FA_REQUIRED", "0")
# As in production: one cache that every worker shares (Redis), and sessions read through it.
os.environ.setdefault("CACHE_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))

from cqm_portal.settings import *  # noqa: F403
from cqm_portal.settings import INSTALLED_APPS, STORAGES

# The `bench` management command lives in this app: only a bench process has it.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No collectstatic step before a bench: serve the source files, as whitenoise would the hashed.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# `make bench` measures the cached pages a second time on a server without the cache.
if os.environ.get("CQM_BENCH_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
