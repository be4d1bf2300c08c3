from django.urls import reverse

from accounts.models import ApiToken, User
from accounts.roles import Role
from accounts.services import token_create


def test_user_changelist_and_change_page(client_for, admin_user, user_a):
    client = client_for(admin_user)

    listing = client.get(reverse("admin:accounts_user_changelist"), {"q": "autowerk"})
    change = client.get(reverse("admin:accounts_user_change", args=[user_a.pk]))
    history = client.get(reverse("admin:accounts_user_history", args=[user_a.pk]))

    assert listing.status_code == 200
    assert user_a.email in listing.content.decode()
    assert change.status_code == 200
    assert history.status_code == 200


def test_admin_adds_a_user_with_password(client_for, admin_user, customer_a):
    data = {
        "email": "New.Person@Autowerk.example",
        "full_name": "New Person",
        "role": Role.CUSTOMER,
        "customer": customer_a.pk,
        "usable_password": "true",
        "password1": "a-strong-passphrase-99",
        "password2": "a-strong-passphrase-99",
    }

    response = client_for(admin_user).post(reverse("admin:accounts_user_add"), data)

    assert response.status_code == 302
    user = User.objects.get(email="new.person@autowerk.example")
    assert user.customer == customer_a
    assert user.check_password("a-strong-passphrase-99")


def test_admin_refuses_customer_user_without_customer(client_for, admin_user):
    data = {
        "email": "orphan@example.com",
        "full_name": "Orphan",
        "role": Role.CUSTOMER,
        "usable_password": "true",
        "password1": "a-strong-passphrase-99",
        "password2": "a-strong-passphrase-99",
    }

    response = client_for(admin_user).post(reverse("admin:accounts_user_add"), data)

    assert response.status_code == 200
    assert "customer" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="orphan@example.com").exists()


def test_token_admin_is_read_only_shows_no_key_and_can_revoke(client_for, admin_user, engineer):
    token, key = token_create(user=engineer, name="Script")
    client = client_for(admin_user)

    listing = client.get(reverse("admin:accounts_apitoken_changelist"))
    detail = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))

    assert listing.status_code == 200
    assert detail.status_code == 200
    for page in (listing, detail):
        assert key not in page.content.decode()
        assert token.key_hash not in page.content.decode()
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403

    client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.active().count() == 0
