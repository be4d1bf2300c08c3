"""A new password shuts old API tokens out; admins can shut a user out; reset mails are capped."""

import re

from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import (
    PASSWORD_RESET_MAILS_PER_ADDRESS,
    PASSWORD_RESET_MAILS_PER_CLIENT,
    token_create,
)
from accounts.tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "a-much-better-passphrase-42"
RESET_URL = reverse("accounts:password-reset")
API_URL = "/api/v1/deviations/"


def _api_status(key: str) -> int:
    return APIClient().get(API_URL, HTTP_AUTHORIZATION=f"Token {key}").status_code


def test_a_password_change_revokes_every_token(client_for, engineer):
    keys = [token_create(user=engineer, name=f"Script {n}")[1] for n in range(2)]
    assert all(_api_status(key) == 200 for key in keys)
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

    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    page = response.content.decode()
    assert "Your 2 API tokens have been revoked" in page
    assert "Script 0" in page and "Script 1" in page
    assert all(_api_status(key) == 401 for key in keys)


def test_a_password_reset_revokes_every_token(client, engineer):
    _token, key = token_create(user=engineer, name="Script")
    client.post(RESET_URL, {"email": engineer.email})
    link = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)

    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.url == reverse("accounts:password-reset-complete")
    assert _api_status(key) == 401


def test_admin_action_revokes_tokens_and_ends_sessions(client_for, admin_user, engineer):
    _token, key = token_create(user=engineer, name="Script")
    engineer_browser = Client()
    engineer_browser.force_login(engineer)
    assert engineer_browser.get(reverse("accounts:profile")).status_code == 200
    admin = client_for(admin_user)

    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "sign_out_everywhere", "_selected_action": [engineer.pk]},
        follow=True,
    )

    assert "1 API tokens revoked and 1 sessions signed out" in response.content.decode()
    assert _api_status(key) == 401
    assert engineer_browser.get(reverse("accounts:profile")).status_code == 302
    # The administrator's own session is untouched.
    assert Session.objects.count() == 1
    assert admin.get(reverse("admin:index")).status_code == 200


def test_forty_reset_requests_for_one_address_send_at_most_the_cap(client, engineer):
    pages = [
        client.post(RESET_URL, {"email": engineer.email}, REMOTE_ADDR=f"10.0.0.{n}")
        for n in range(40)
    ]

    assert len(mail.outbox) == PASSWORD_RESET_MAILS_PER_ADDRESS
    # Silently: every request gets the same neutral confirmation.
    assert {page.url for page in pages} == {reverse("accounts:password-reset-done")}


def test_reset_requests_from_one_client_are_capped(client, db):
    from accounts.tests.factories import UserFactory

    users = [UserFactory(email=f"person{n}@example.com") for n in range(15)]
    for user in users:
        client.post(RESET_URL, {"email": user.email}, REMOTE_ADDR="198.51.100.9")

    assert len(mail.outbox) == PASSWORD_RESET_MAILS_PER_CLIENT
