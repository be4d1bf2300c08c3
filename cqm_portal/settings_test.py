"""Test settings: the production settings module with fast, isolated, in-process services."""

import tempfile

from .settings import *  # noqa: F403
from .settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="cqm-test-media-")
# Hashed static storage breaks the live server used by browser tests (404 on assets).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
AXES_FAILURE_LIMIT = 5
LANGUAGE_CODE = "en"
# Off for the general suite: browser tests sign the demo staff in through the form, and most
# tests sign in with `client_for`. Tests of the rule switch it on with the `settings` fixture;
# `client_for` then signs staff in with a verified second factor.
CQM_STAFF_2FA_REQUIRED = False
# The demo's two-year past takes half a minute to write: only tests/test_demo_history.py asks.
CQM_DEMO_PAST_MONTHS = 0
