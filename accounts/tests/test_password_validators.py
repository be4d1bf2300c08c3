"""Weak passwords are refused wherever a password is chosen, with the reason."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD

WEAK_PASSWORDS = [
    pytest.param("password", "This password is too common.", id="common"),
    pytest.param("4829175360", "This password is entirely numeric.", id="numeric"),
    pytest.param(
        "Xy7#q",
        "This password is too short. It must contain at least 8 characters.",
        id="short",
    ),
    pytest.param(
        "engineer@example.com",
        "The password is too similar to the e-mail address.",
        id="like-the-email",
    ),
]


def errors_of(response) -> str:
    return " ".join(response.context["form"].errors.get("new_password2", []))


@pytest.mark.parametrize(("password", "message"), WEAK_PASSWORDS)
def test_password_change_refuses_a_weak_password(client_for, engineer, password, message):
    client = client_for(engineer)

    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200
    assert message in errors_of(response)
    assert message in response.content.decode()
    engineer.refresh_from_db()
    assert engineer.check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize(("password", "message"), WEAK_PASSWORDS)
def test_password_reset_refuses_a_weak_password(client, engineer, password, message):
    client.post(reverse("accounts:password-reset"), {"email": engineer.email})
    link = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    form_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"new_password1": password, "new_password2": password})

    assert response.status_code == 200
    assert message in errors_of(response)
    assert message in response.content.decode()
    engineer.refresh_from_db()
    assert engineer.check_password(DEFAULT_PASSWORD)
