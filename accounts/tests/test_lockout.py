"""The sign-in lockout holds one account at one address, and only for a while."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD

LOGIN_URL = reverse("accounts:login")
HOME_URL = reverse("core:home")
ATTACKER = "198.51.100.7"
COLLEAGUE = "203.0.113.20"


def sign_in(client, email, password=DEFAULT_PASSWORD, address="127.0.0.1"):
    return client.post(LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=address)


def lock(client, email, address=ATTACKER):
    for _ in range(5):
        response = sign_in(client, email, "not-the-password", address)
    assert response.status_code == 429
    return response


def move_failures_back(minutes: float) -> None:
    """Let time pass for the lockout: axes judges by the time of the last failure."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes))


def test_a_locked_account_still_signs_in_from_another_address(client, engineer):
    lock(client, engineer.email)

    assert sign_in(client, engineer.email, address=ATTACKER).status_code == 429
    response = sign_in(client, engineer.email, address=COLLEAGUE)

    assert response.status_code == 302
    assert response.url == HOME_URL


def test_other_accounts_at_the_same_address_are_not_locked(client, engineer, manager):
    lock(client, engineer.email)

    response = sign_in(client, manager.email, address=ATTACKER)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(manager.pk)


def test_the_lock_ends_after_the_configured_cool_off(client, engineer, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=2)
    locked = lock(client, engineer.email)

    assert "locked for 2 minutes" in locked.content.decode()
    assert locked["Retry-After"] == "120"
    move_failures_back(minutes=1)
    assert sign_in(client, engineer.email, address=ATTACKER).status_code == 429

    move_failures_back(minutes=2.5)
    response = sign_in(client, engineer.email, address=ATTACKER)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(engineer.pk)


def test_never_a_permanent_lock_however_often_someone_tries(client, engineer):
    lock(client, engineer.email)
    for _ in range(30):
        assert sign_in(client, engineer.email, "still-guessing", ATTACKER).status_code == 429

    move_failures_back(minutes=16)  # the default cool-off is 15 minutes from the last try
    response = sign_in(client, engineer.email, address=ATTACKER)

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=engineer.email).exists()
