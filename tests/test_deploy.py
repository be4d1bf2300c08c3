"""Production settings: `check --deploy` is clean, a missing secret key stops the start, and the
security headers and cookie flags are really sent."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
static_storage = settings.STORAGES["staticfiles"]["BACKEND"]
# Hashed static files need a collectstatic run first (slow: it compresses every asset); the
# headers and cookies under test do not depend on how static files are named.
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
    response = Client().get("/accounts/login/", secure=True, HTTP_HOST="cqm.example.com")
    plain_http = Client().get("/accounts/login/", HTTP_HOST="cqm.example.com")
csrf = response.cookies.get(settings.CSRF_COOKIE_NAME)
print(json.dumps({
    "status": response.status_code,
    "http_status": plain_http.status_code,
    "http_location": plain_http.get("Location", ""),
    "hsts": response.get("Strict-Transport-Security", ""),
    "csp": response.get("Content-Security-Policy", ""),
    "csrf_cookie_secure": bool(csrf and csrf["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "debug": settings.DEBUG,
    "static_storage": static_storage,
    "referrer_policy": response.get("Referrer-Policy", ""),
    "x_frame_options": response.get("X-Frame-Options", ""),
    "content_type_options": response.get("X-Content-Type-Options", ""),
    "staff_2fa_required": settings.CQM_STAFF_2FA_REQUIRED,
    "otp_admin_hides_keys": settings.OTP_ADMIN_HIDE_SENSITIVE_DATA,
    "lockout_cool_off_hours": settings.AXES_COOLOFF_TIME,
    "lockout_parameters": settings.AXES_LOCKOUT_PARAMETERS,
}))
"""

DEVELOPMENT_PROBE = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({"debug": settings.DEBUG, "staff_2fa_required": settings.CQM_STAFF_2FA_REQUIRED}))
"""


def _production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "DATABASE_URL", "EMAIL_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cqm_portal.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="cqm.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        CQM_VAR_DIR=str(tmp_path / "var"),
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def _run(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path)
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output
    assert "WARNINGS:" not in output


@pytest.mark.parametrize("secret_key", [None, ""])
def test_production_refuses_to_start_without_a_secret_key(tmp_path, secret_key):
    env = _production_env(tmp_path)
    env.pop("DJANGO_SECRET_KEY")
    if secret_key is not None:
        env["DJANGO_SECRET_KEY"] = secret_key

    result = _run(["manage.py", "check"], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.fixture(scope="module")
def production_probe(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("probe")
    result = _run(["-c", PROBE], _production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure(production_probe):
    assert production_probe["debug"] is False
    assert production_probe["session_cookie_secure"] is True
    assert production_probe["session_cookie_httponly"] is True
    assert production_probe["csrf_cookie_secure"] is True
    assert production_probe["ssl_redirect"] is True
    assert production_probe["http_status"] == 301
    assert production_probe["http_location"] == "https://cqm.example.com/accounts/login/"


def test_production_sends_hsts_and_csp(production_probe):
    assert production_probe["status"] == 200
    hsts = production_probe["hsts"]
    max_age = int(hsts.split("max-age=")[1].split(";")[0])
    assert max_age >= 31_536_000
    assert "includeSubDomains" in hsts
    assert "default-src 'self'" in production_probe["csp"]


def test_production_serves_hashed_static_files(production_probe):
    assert production_probe["static_storage"].startswith("whitenoise.")


@pytest.mark.django_db
def test_login_page_sends_a_strict_csp(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_production_sends_the_other_security_headers(production_probe):
    assert production_probe["referrer_policy"] == "same-origin"
    assert production_probe["x_frame_options"] == "DENY"
    assert production_probe["content_type_options"] == "nosniff"


def test_production_requires_two_factor_for_staff(production_probe):
    assert production_probe["staff_2fa_required"] is True
    assert production_probe["otp_admin_hides_keys"] is True


def test_production_lockout_is_temporary_and_per_account_and_address(production_probe):
    assert production_probe["lockout_cool_off_hours"] > 0
    assert production_probe["lockout_parameters"] == [["username", "ip_address"]]


def test_development_starts_without_two_factor(tmp_path):
    env = _production_env(tmp_path, DJANGO_DEBUG="1", DJANGO_SECRET_KEY=None)

    result = _run(["-c", DEVELOPMENT_PROBE], env)

    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe == {"debug": True, "staff_2fa_required": False}
