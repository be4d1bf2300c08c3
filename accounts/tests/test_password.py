import re

from django.core import mail
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "a-much-better-passphrase-42"
RESET_URL = reverse("accounts:password-reset")


def reset_link_from(message) -> str:
    match = re.search(r"https?://testserver(/accounts/password/reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_reset_sends_a_mail_with_a_working_link(client, engineer):
    response = client.post(RESET_URL, {"email": "Engineer@Example.com"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password-reset-done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [engineer.email]
    assert message.subject == "Reset your CQM Portal password"

    # The link redirects once to a URL without the token, which shows the form.
    form_page = client.get(reset_link_from(message), follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:password-reset-complete")
    engineer.refresh_from_db()
    assert engineer.check_password(NEW_PASSWORD)


def test_reset_link_works_only_once(client, engineer):
    client.post(RESET_URL, {"email": engineer.email})
    link = reset_link_from(mail.outbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.get(link, follow=True)

    assert response.context["validlink"] is False
    assert "This link no longer works" in response.content.decode()


def test_unknown_address_sends_nothing_but_shows_the_same_page(client, engineer):
    known = client.post(RESET_URL, {"email": engineer.email}, follow=True)
    mail.outbox.clear()

    unknown = client.post(RESET_URL, {"email": "nobody@example.com"}, follow=True)

    assert mail.outbox == []
    assert unknown.redirect_chain == known.redirect_chain
    assert without_csrf(unknown) == without_csrf(known)


def without_csrf(response) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())


def test_reset_mail_names_the_account_and_the_link_lifetime(client, engineer):
    client.post(RESET_URL, {"email": engineer.email})

    body = mail.outbox[0].body
    assert f"Hello {engineer.full_name}," in body
    assert engineer.email in body
    assert "The link works once and for 72 hours." in body


def test_password_change(client_for, engineer):
    client = client_for(engineer)
    url = reverse("accounts:password-change")
    assert client.get(url).status_code == 200

    wrong = client.post(
        url,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["old_password"]

    response = client.post(
        url,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    engineer.refresh_from_db()
    assert engineer.check_password(NEW_PASSWORD)
    # Still signed in: the session hash was updated with the new password.
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_password_change_needs_sign_in(client, db):
    response = client.get(reverse("accounts:password-change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
