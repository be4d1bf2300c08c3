"""Every way a password changes revokes the user's API tokens, once, in one place (User.save).

The profile's change and the reset link are covered in test_password_security.py; here the
administrator's password form, the management command, and what must not count as a change.
"""

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from accounts.services import token_create
from accounts.tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "a-much-better-passphrase-42"
API_URL = "/api/v1/deviations/"

pytestmark = pytest.mark.django_db


def _api_status(key: str) -> int:
    return APIClient().get(API_URL, HTTP_AUTHORIZATION=f"Token {key}").status_code


def _admin_password_url(user) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def _active_tokens(user) -> int:
    return ApiToken.objects.active().filter(user=user).count()


def test_admin_password_change_revokes_the_users_tokens(client_for, admin_user, engineer):
    keys = [token_create(user=engineer, name=f"Script {n}")[1] for n in range(2)]
    _own_token, own_key = token_create(user=admin_user, name="Admin script")
    assert all(_api_status(key) == 200 for key in keys)

    response = client_for(admin_user).post(
        _admin_password_url(engineer),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Password changed successfully." in page
    assert "The password change revoked 2 API tokens of Erika Engineer." in page
    assert all(_api_status(key) == 401 for key in keys)
    assert _active_tokens(engineer) == 0
    engineer.refresh_from_db()
    assert engineer.check_password(NEW_PASSWORD)
    # The administrator's own tokens are not touched.
    assert _api_status(own_key) == 200


def test_admin_disabling_password_sign_in_revokes_the_tokens(client_for, admin_user, engineer):
    _token, key = token_create(user=engineer, name="Script")

    client_for(admin_user).post(
        _admin_password_url(engineer), {"usable_password": "false", "unset-password": "1"}
    )

    engineer.refresh_from_db()
    assert not engineer.has_usable_password()
    assert _api_status(key) == 401


def test_refused_admin_password_form_revokes_nothing(client_for, admin_user, engineer):
    _token, key = token_create(user=engineer, name="Script")

    response = client_for(admin_user).post(
        _admin_password_url(engineer),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": "something else"},
    )

    assert response.status_code == 200  # the form again, with its error
    assert _api_status(key) == 200


def test_changepassword_command_revokes_the_tokens(monkeypatch, engineer):
    _token, key = token_create(user=engineer, name="Script")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)

    call_command("changepassword", engineer.email, stdout=None)

    assert _api_status(key) == 401


def test_profile_password_change_reports_what_it_revoked(client_for, engineer):
    token_create(user=engineer, name="Script")
    client = client_for(engineer)

    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assert "Your API token has been revoked" in response.content.decode()
    assert ApiToken.objects.filter(user=engineer, revoked_at__isnull=False).count() == 1


def test_saving_other_fields_or_a_new_user_revokes_nothing(engineer):
    _token, key = token_create(user=engineer, name="Script")

    engineer.full_name = "Erika Example"
    engineer.save()
    user = User.objects.get(pk=engineer.pk)
    user.job_title = "Quality engineer"
    user.save(update_fields=["job_title"])
    User.objects.create_user("new@example.com", password=NEW_PASSWORD, full_name="New Person")

    assert _api_status(key) == 200


def test_a_hash_upgrade_at_sign_in_is_no_password_change(engineer, settings):
    # Stored with an older hasher: signing in rehashes it with the preferred one.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    User.objects.filter(pk=engineer.pk).update(
        password=make_password(DEFAULT_PASSWORD, hasher="pbkdf2_sha256")
    )
    _token, key = token_create(user=engineer, name="Script")
    user = User.objects.get(pk=engineer.pk)

    assert user.check_password(DEFAULT_PASSWORD)

    assert User.objects.get(pk=engineer.pk).password.startswith("md5$")
    assert _api_status(key) == 200


def test_the_pages_say_a_new_password_revokes_the_tokens(client_for, engineer):
    token_create(user=engineer, name="Nightly export")
    client = client_for(engineer)

    profile = client.get(reverse("accounts:profile")).content.decode()
    change = client.get(reverse("accounts:password-change")).content.decode()

    assert "Nightly export" in profile
    assert "revokes every token" in profile
    assert "Changing your password also revokes your active API token" in change
