"""Two-factor sign-in: set-up, the code page after the password, backup codes, the staff rule."""

import base64
import datetime as dt
import re
import time

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.services import token_create
from accounts.tests.factories import DEFAULT_PASSWORD
from accounts.two_factor import setup_device, two_factor_enable

LOGIN_URL = reverse("accounts:login")
HOME_URL = reverse("core:home")
PROFILE_URL = reverse("accounts:profile")
OVERVIEW_URL = reverse("accounts:two-factor")
SETUP_URL = reverse("accounts:two-factor-setup")
VERIFY_URL = reverse("accounts:two-factor-verify")
DISABLE_URL = reverse("accounts:two-factor-disable")
BACKUP_CODES_URL = reverse("accounts:two-factor-backup-codes")
CUSTOMERS_API = "/api/v1/customers/"


# --- codes as an authenticator app computes them ------------------------------------------------


def _time_step(device) -> int:
    return (int(time.time()) - device.t0) // device.step


def _code_at(device, step: int) -> str:
    drift = step - _time_step(device)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def app_code(device) -> str:
    """The code the app shows now; one step later when the current one was used already."""
    device.refresh_from_db()
    step = max(_time_step(device) + device.drift, device.last_t + 1)
    return _code_at(device, step)


def wrong_code(device) -> str:
    near = _time_step(device) + device.drift
    valid = {_code_at(device, step) for step in range(near - 3, near + 4)}
    return next(code for code in ("000000", "111111", "123456") if code not in valid)


def allow_next_try(device) -> None:
    """django-otp makes the next try wait after a failure: move that failure into the past."""
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )


def enable_two_factor(user) -> tuple[TOTPDevice, list[str]]:
    device = setup_device(user)
    return device, two_factor_enable(device=device)


def sign_in(client, user, next_url=None):
    data = {"username": user.email, "password": DEFAULT_PASSWORD}
    url = LOGIN_URL
    if next_url:
        data["next"] = next_url
        url = f"{LOGIN_URL}?next={next_url}"
    return client.post(url, data)


def is_signed_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def is_verified(client, device) -> bool:
    return client.session.get(DEVICE_ID_SESSION_KEY) == device.persistent_id


@pytest.fixture
def staff_rule_on(settings):
    settings.CQM_STAFF_2FA_REQUIRED = True
    return settings


# --- set-up -------------------------------------------------------------------------------------


def test_setup_shows_qr_code_and_key_then_a_code_switches_it_on(client_for, user_a):
    client = client_for(user_a)

    page = client.get(SETUP_URL)

    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user_a)
    assert device.confirmed is False
    html = page.content.decode()
    qr_code = re.search(r'<img [^>]*src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert qr_code, html
    assert base64.b64decode(qr_code.group(1)).decode().startswith("<svg")
    secret = page.context["secret"].replace(" ", "")
    assert base64.b32decode(secret) == device.bin_key
    assert page.context["secret"] in html
    assert client.get(SETUP_URL).context["secret"] == page.context["secret"]  # stable on reload

    response = client.post(SETUP_URL, {"code": app_code(device)})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    device.refresh_from_db()
    assert device.confirmed is True
    shown = response.context["codes"]
    assert len(shown) == 10
    stored = StaticToken.objects.filter(device__user=user_a).values_list("token", flat=True)
    assert sorted(stored) == sorted(shown)
    for code in shown:
        assert code in response.content.decode()
    assert is_verified(client, device)
    assert "Two-factor sign-in is on." in response.content.decode()
    # Shown once: the overview counts them but never shows them again.
    overview = client.get(OVERVIEW_URL).content.decode()
    assert "10 of 10 backup codes left" in overview
    assert not any(code in overview for code in shown)


def test_wrong_setup_code_is_refused_and_the_app_stays_unconfirmed(client_for, user_a):
    client = client_for(user_a)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=user_a)

    response = client.post(SETUP_URL, {"code": wrong_code(device)})

    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert response.context["form"].errors["code"]
    device.refresh_from_db()
    assert device.confirmed is False
    assert not StaticDevice.objects.filter(user=user_a).exists()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_failed_code_makes_the_next_try_wait(client_for, user_a):
    client = client_for(user_a)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=user_a)
    client.post(SETUP_URL, {"code": wrong_code(device)})

    too_soon = client.post(SETUP_URL, {"code": app_code(device)})

    assert "Too many wrong codes. Wait" in too_soon.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    allow_next_try(device)
    assert client.post(SETUP_URL, {"code": app_code(device)}).status_code == 200
    device.refresh_from_db()
    assert device.confirmed is True


# --- the code page after the password -----------------------------------------------------------


def test_password_alone_does_not_sign_in_a_user_with_an_app(client, user_a):
    device, _codes = enable_two_factor(user_a)

    response = sign_in(client, user_a, next_url=PROFILE_URL)

    assert response.status_code == 302
    assert response.url == VERIFY_URL
    assert not is_signed_in(client, user_a)
    assert client.get(PROFILE_URL).url.startswith(LOGIN_URL)

    page = client.get(VERIFY_URL)
    assert page.status_code == 200
    assert "Enter your sign-in code" in page.content.decode()
    wrong = client.post(VERIFY_URL, {"code": wrong_code(device)})
    assert wrong.status_code == 200
    assert "This code is not right" in wrong.content.decode()
    assert not is_signed_in(client, user_a)

    allow_next_try(device)
    response = client.post(VERIFY_URL, {"code": app_code(device)})

    assert response.status_code == 302
    assert response.url == PROFILE_URL  # "next" survived both steps
    assert is_signed_in(client, user_a)
    assert is_verified(client, device)
    assert client.get(PROFILE_URL).status_code == 200


def test_foreign_next_is_ignored_after_the_code(client, user_a):
    device, _codes = enable_two_factor(user_a)

    sign_in(client, user_a, next_url="https://evil.example/")
    response = client.post(VERIFY_URL, {"code": app_code(device)})

    assert response.url == HOME_URL


def test_backup_code_works_once(client, user_a):
    _device, codes = enable_two_factor(user_a)
    sign_in(client, user_a)

    response = client.post(VERIFY_URL, {"code": codes[0].upper()}, follow=True)

    assert response.redirect_chain[-1][0] == HOME_URL
    assert is_signed_in(client, user_a)
    assert "9 backup codes are left" in response.content.decode()
    assert StaticToken.objects.filter(device__user=user_a).count() == 9

    client.post(reverse("accounts:logout"))
    sign_in(client, user_a)
    again = client.post(VERIFY_URL, {"code": codes[0]})

    assert again.status_code == 200
    assert "This code is not right" in again.content.decode()
    assert not is_signed_in(client, user_a)
    allow_next_try(StaticDevice.objects.get(user=user_a))
    assert client.post(VERIFY_URL, {"code": codes[1]}).url == HOME_URL


def test_wrong_codes_count_towards_the_sign_in_lockout(client, user_a):
    device, _codes = enable_two_factor(user_a)
    sign_in(client, user_a)

    for _attempt in range(4):
        assert client.post(VERIFY_URL, {"code": wrong_code(device)}).status_code == 200
        allow_next_try(device)
    assert AccessAttempt.objects.get(username=user_a.email).failures_since_start == 4
    locked = client.post(VERIFY_URL, {"code": wrong_code(device)})

    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    allow_next_try(device)
    # Even the right code no longer helps: the password step starts again after the cool-off.
    assert client.post(VERIFY_URL, {"code": app_code(device)}).status_code == 429
    assert not is_signed_in(client, user_a)
    assert sign_in(client, user_a).status_code == 429


def test_code_page_forgets_a_password_entered_long_ago(client, user_a):
    device, _codes = enable_two_factor(user_a)
    sign_in(client, user_a)
    session = client.session
    session["accounts_two_factor_pending"]["since"] -= 11 * 60
    session.save()

    response = client.post(VERIFY_URL, {"code": app_code(device)})

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert not is_signed_in(client, user_a)


def test_code_page_without_a_password_goes_to_sign_in(client, db):
    response = client.get(VERIFY_URL)

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")


# --- the staff rule -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["engineer", "manager", "admin_user"])
def test_staff_are_sent_to_set_up_on_every_page(db, client, request, staff_rule_on, persona):
    user = request.getfixturevalue(persona)

    response = sign_in(client, user, next_url=PROFILE_URL)

    assert response.url == PROFILE_URL
    for url in (PROFILE_URL, HOME_URL, reverse("claims:claim-list"), "/admin/"):
        sent = client.get(url)
        assert sent.status_code == 302, url
        assert sent.url == f"{SETUP_URL}?next={url.replace('/', '%2F')}"
    assert client.get(SETUP_URL).status_code == 200
    assert client.get(reverse("javascript-catalog")).status_code == 200
    for let_through in ("/static/css/app.css", "/healthz"):
        assert not client.get(let_through).get("Location", "").startswith(SETUP_URL)


def test_staff_set_up_then_continue_where_they_were_going(client, engineer, staff_rule_on):
    sign_in(client, engineer)
    client.get(HOME_URL)
    page = client.get(SETUP_URL, {"next": PROFILE_URL})
    device = TOTPDevice.objects.get(user=engineer)

    response = client.post(SETUP_URL, {"code": app_code(device), "next": PROFILE_URL})

    assert response.status_code == 200
    assert "Your role requires two-factor sign-in" in page.content.decode()
    assert f'href="{PROFILE_URL}"' in response.content.decode()
    assert client.get(PROFILE_URL).status_code == 200
    assert client.get(reverse("claims:claim-list")).status_code == 200


def test_staff_with_an_app_must_enter_the_code(client, admin_user, staff_rule_on):
    device, _codes = enable_two_factor(admin_user)

    response = sign_in(client, admin_user, next_url="/admin/")

    assert response.url == VERIFY_URL
    assert not is_signed_in(client, admin_user)
    response = client.post(VERIFY_URL, {"code": app_code(device)})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_nobody_signs_in_through_the_admin_sign_in_form(client, admin_user):
    enable_two_factor(admin_user)
    admin_login = reverse("admin:login")

    form = client.get(admin_login, {"next": "/admin/claims/"})
    posted = client.post(admin_login, {"username": admin_user.email, "password": DEFAULT_PASSWORD})

    assert form.status_code == 302
    assert form.url == f"{LOGIN_URL}?next=%2Fadmin%2Fclaims%2F"
    assert posted.status_code == 302
    assert posted.url.startswith(LOGIN_URL)
    assert not is_signed_in(client, admin_user)


def test_staff_session_from_before_the_rule_is_sent_to_the_code_page(client, admin_user, settings):
    enable_two_factor(admin_user)
    client.force_login(admin_user)  # signed in while the rule was off
    settings.CQM_STAFF_2FA_REQUIRED = True

    sent = client.get("/admin/")
    htmx = client.get(HOME_URL, HTTP_HX_REQUEST="true")
    logout = client.post(reverse("accounts:logout"))

    assert sent.status_code == 302
    assert sent.url == f"{VERIFY_URL}?next=%2Fadmin%2F"
    assert htmx["HX-Redirect"] == VERIFY_URL
    assert logout.url == LOGIN_URL  # signing out is always possible


def test_unverified_staff_browser_gets_403_json_from_the_api(client, engineer, staff_rule_on):
    sign_in(client, engineer)

    response = client.get(CUSTOMERS_API)

    assert response.status_code == 403
    assert "Two-factor sign-in required" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Basic ZW5naW5lZXI6eA==", "Anything", "Token"])
def test_unverified_staff_session_gets_no_api_access_with_another_header(
    client, engineer, staff_rule_on, header
):
    sign_in(client, engineer)

    response = client.get(CUSTOMERS_API, HTTP_AUTHORIZATION=header)

    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_token_api_calls_are_not_affected(client, engineer, staff_rule_on):
    _token, key = token_create(user=engineer, name="ERP interface")
    sign_in(client, engineer)  # an unverified browser session next to it

    with_token = APIClient().get(CUSTOMERS_API, HTTP_AUTHORIZATION=f"Token {key}")
    from_the_browser = client.get(CUSTOMERS_API, HTTP_AUTHORIZATION=f"Token {key}")

    assert with_token.status_code == 200
    assert from_the_browser.status_code == 200


def test_customer_users_may_go_without_two_factor(client, user_a, staff_rule_on):
    response = sign_in(client, user_a)

    assert response.url == HOME_URL
    assert client.get(HOME_URL).status_code == 200
    assert client.get(CUSTOMERS_API).status_code == 200
    profile = client.get(PROFILE_URL).content.decode()
    assert "Two-factor sign-in" in profile
    assert f'href="{OVERVIEW_URL}"' in profile


def test_client_for_gives_staff_a_verified_session_under_the_rule(
    client_for, engineer, staff_rule_on
):
    assert client_for(engineer).get(HOME_URL).status_code == 200


# --- switching off, new backup codes --------------------------------------------------------------


def test_customer_can_switch_off_with_a_current_code(client_for, user_a, staff_rule_on):
    device, _codes = enable_two_factor(user_a)
    client = client_for(user_a)

    wrong = client.post(DISABLE_URL, {"disable-code": wrong_code(device)})

    assert wrong.status_code == 200
    assert "This code is not right" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=user_a, confirmed=True).exists()

    allow_next_try(device)
    response = client.post(DISABLE_URL, {"disable-code": app_code(device)}, follow=True)

    assert "Two-factor sign-in is off." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user_a).exists()
    assert not StaticDevice.objects.filter(user=user_a).exists()
    client.post(reverse("accounts:logout"))
    assert sign_in(client, user_a).url == HOME_URL


def test_staff_cannot_switch_off_under_the_rule(client_for, engineer, staff_rule_on):
    client = client_for(engineer)
    device = TOTPDevice.objects.get(user=engineer)

    page = client.get(OVERVIEW_URL).content.decode()
    response = client.post(DISABLE_URL, {"disable-code": app_code(device)}, follow=True)

    assert "it cannot be switched off" in page
    assert DISABLE_URL not in page
    assert "it cannot be switched off" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()


def test_staff_may_switch_off_while_the_rule_is_off(client_for, engineer):
    device, _codes = enable_two_factor(engineer)
    client = client_for(engineer)

    client.post(DISABLE_URL, {"disable-code": app_code(device)})

    assert not TOTPDevice.objects.filter(user=engineer).exists()


def test_new_backup_codes_replace_the_old_ones(client, user_a):
    device, old_codes = enable_two_factor(user_a)
    sign_in(client, user_a)
    client.post(VERIFY_URL, {"code": app_code(device)})

    response = client.post(BACKUP_CODES_URL)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    new_codes = response.context["codes"]
    stored = set(StaticToken.objects.filter(device__user=user_a).values_list("token", flat=True))
    assert stored == set(new_codes)
    assert not stored & set(old_codes)
    assert is_verified(client, device)  # the session stays verified


def test_backup_codes_need_a_verified_session(client_for, user_a):
    enable_two_factor(user_a)
    client = client_for(user_a)  # e.g. a session from before two-factor was switched on

    response = client.post(BACKUP_CODES_URL)

    assert response.status_code == 302
    assert response.url.startswith(VERIFY_URL)
    assert StaticToken.objects.filter(device__user=user_a).count() == 10


def test_admin_can_remove_a_lost_app_but_never_read_its_key(client_for, admin_user, user_a):
    device, codes = enable_two_factor(user_a)
    client = client_for(admin_user)
    change_url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    static_url = reverse(
        "admin:otp_static_staticdevice_change", args=[StaticDevice.objects.get(user=user_a).pk]
    )

    page = client.get(change_url).content.decode() + client.get(static_url).content.decode()
    removed = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )

    assert device.key not in page
    assert base64.b32encode(device.bin_key).decode() not in page
    assert not any(code in page for code in codes)
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=user_a).exists()
    assert sign_in(Client(), user_a).url == HOME_URL  # the password signs in again


# --- API tokens ---------------------------------------------------------------------------------

TOKEN_URL = "/api/v1/auth/token/"


def _ask_token(user, **extra):
    return APIClient().post(
        TOKEN_URL, {"email": user.email, "password": DEFAULT_PASSWORD, **extra}, format="json"
    )


def test_token_needs_the_code_when_two_factor_is_on(user_a):
    device, _codes = enable_two_factor(user_a)

    without_code = _ask_token(user_a)
    wrong = _ask_token(user_a, code=wrong_code(device))
    allow_next_try(device)
    right = _ask_token(user_a, code=app_code(device))

    assert without_code.status_code == 400
    assert "second factor" in without_code.json()["detail"]
    assert wrong.status_code == 400
    assert "not right" in wrong.json()["detail"]
    assert right.status_code == 200
    assert right.json()["token"]
    assert user_a.api_tokens.count() == 1


def test_token_is_refused_to_staff_without_an_app_under_the_rule(engineer, staff_rule_on):
    response = _ask_token(engineer)

    assert response.status_code == 400
    assert "two-factor" in response.json()["detail"]
    assert engineer.api_tokens.count() == 0


def test_token_needs_only_the_password_without_two_factor(user_a):
    assert _ask_token(user_a).status_code == 200
