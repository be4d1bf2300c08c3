from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD

LOGIN_URL = reverse("accounts:login")
HOME_URL = reverse("core:home")


def sign_in(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": email, "password": password}, **extra)


def fail_sign_in(client, email, times):
    return [sign_in(client, email, "not-the-password") for _ in range(times)][-1]


def test_login_page_renders_the_public_card(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="public"' in html
    assert "auth-card" in html
    assert "E-mail address" in html
    assert reverse("accounts:password-reset") in html
    assert "Forgot your password?" in html
    assert 'class="breadcrumb' not in html


@pytest.mark.parametrize("persona", ["engineer", "manager", "admin_user", "user_a"])
def test_each_role_signs_in_and_lands_on_home(client, request, persona):
    user = request.getfixturevalue(persona)

    response = sign_in(client, user.email.upper())

    assert response.status_code == 302
    assert response.url == HOME_URL
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(response.url).status_code == 200


def test_safe_next_is_honoured_and_foreign_next_ignored(client, engineer):
    profile_url = reverse("accounts:profile")

    response = client.post(
        f"{LOGIN_URL}?next={profile_url}",
        {"username": engineer.email, "password": DEFAULT_PASSWORD, "next": profile_url},
    )
    assert response.url == profile_url

    client.logout()
    response = client.post(
        LOGIN_URL,
        {"username": engineer.email, "password": DEFAULT_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == HOME_URL


def test_wrong_password_shows_a_clear_error(client, engineer):
    response = sign_in(client, engineer.email, "wrong-password")

    assert response.status_code == 200
    assert "The e-mail address or password is not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_sign_in(client, engineer):
    engineer.is_active = False
    engineer.save(update_fields=["is_active"])

    response = sign_in(client, engineer.email)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_fifth_failure_locks_out_with_429_and_a_clear_message(client, engineer):
    for _ in range(4):
        assert sign_in(client, engineer.email, "wrong").status_code == 200

    response = sign_in(client, engineer.email, "wrong")

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "locked for 15 minutes on this device" in html
    assert "auth-card" in html
    assert response["Retry-After"] == str(15 * 60)


def test_correct_password_is_refused_while_locked(client, engineer):
    fail_sign_in(client, engineer.email, 5)

    response = sign_in(client, engineer.email)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_count_the_address_case_insensitively(client, engineer):
    for variant in ["engineer@example.com", "Engineer@Example.com", "ENGINEER@EXAMPLE.COM"]:
        sign_in(client, variant, "wrong")
    sign_in(client, "engineer@example.COM", "wrong")

    assert sign_in(client, "engineer@example.com", "wrong").status_code == 429


def test_lockout_is_per_device(client, engineer):
    fail_sign_in(client, engineer.email, 5)

    response = sign_in(client, engineer.email, REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 302


def test_sign_in_works_again_after_the_cool_off(client, engineer):
    fail_sign_in(client, engineer.email, 5)
    assert sign_in(client, engineer.email).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = sign_in(client, engineer.email)

    assert response.status_code == 302
    assert response.url == HOME_URL
    assert not AccessAttempt.objects.exists()


def test_lockout_answers_json_to_ajax_requests(client, engineer):
    fail_sign_in(client, engineer.email, 4)

    response = sign_in(client, engineer.email, "wrong", HTTP_X_REQUESTED_WITH="XMLHttpRequest")

    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many failed sign-in attempts")


def test_logout_requires_post(client_for, engineer):
    client = client_for(engineer)
    logout_url = reverse("accounts:logout")

    assert client.get(logout_url).status_code == 405
    response = client.post(logout_url)

    assert response.status_code == 302
    assert response.url == LOGIN_URL
    assert "_auth_user_id" not in client.session


def test_signed_in_user_visiting_login_goes_home(client_for, engineer):
    response = client_for(engineer).get(LOGIN_URL)

    assert response.status_code == 302
    assert response.url == HOME_URL
