import pytest
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import MAX_ACTIVE_TOKENS, token_create

PROFILE_URL = reverse("accounts:profile")
CREATE_URL = reverse("accounts:token-create")
CUSTOMERS_API = "/api/v1/customers/"


def create_via_page(client, name):
    return client.post(CREATE_URL, {"token-name": name})


def test_created_token_is_shown_once_and_stored_only_hashed(client_for, engineer):
    client = client_for(engineer)

    response = create_via_page(client, "ERP interface")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = response.context["new_key"]
    html = response.content.decode()
    assert f'id="token-value" class="form-control token-value" type="text" value="{key}"' in html
    assert 'data-copy="#token-value"' in html
    token = ApiToken.objects.get(user=engineer)
    assert token.name == "ERP interface"
    assert token.key_hash == ApiToken.hash_key(key)
    assert token.prefix == key[: ApiToken.PREFIX_LENGTH]
    assert key not in {token.key_hash, token.prefix, token.name}

    later = client.get(PROFILE_URL).content.decode()
    assert key not in later
    assert f"{token.prefix}…" in later
    assert "ERP interface" in later


def test_token_authenticates_api_calls_until_revoked(client_for, api_client_factory, engineer):
    client = client_for(engineer)
    key = create_via_page(client, "Script").context["new_key"]
    token = ApiToken.objects.get(user=engineer)

    api = api_client_factory()
    assert api.get(CUSTOMERS_API, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert api.get(CUSTOMERS_API, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    response = client.post(reverse("accounts:token-revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get(CUSTOMERS_API, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert "has been revoked" in client.get(PROFILE_URL).content.decode()


def test_unknown_token_is_refused(api_client_factory, db):
    response = api_client_factory().get(CUSTOMERS_API, HTTP_AUTHORIZATION="Token not-a-real-key")

    assert response.status_code == 401


def test_token_of_a_deactivated_user_is_refused(api_client_factory, engineer):
    _token, key = token_create(user=engineer, name="Script")
    engineer.is_active = False
    engineer.save(update_fields=["is_active"])

    response = api_client_factory().get(CUSTOMERS_API, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401


def test_user_cannot_revoke_another_users_token(client_for, engineer, user_a):
    token, _key = token_create(user=user_a, name="Portal sync")

    response = client_for(engineer).post(reverse("accounts:token-revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_requires_post(client_for, engineer):
    token, _key = token_create(user=engineer, name="Script")

    response = client_for(engineer).get(reverse("accounts:token-revoke", args=[token.pk]))

    assert response.status_code == 405


def test_active_token_names_are_unique_per_user(client_for, engineer, manager):
    client = client_for(engineer)
    create_via_page(client, "Script")

    response = create_via_page(client, "script")

    assert "already have an active token named" in str(response.context["token_form"].errors)
    assert ApiToken.objects.filter(user=engineer).count() == 1
    # Another user, or a revoked token, does not block the name.
    token_create(user=manager, name="Script")
    token = ApiToken.objects.get(user=engineer)
    client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert create_via_page(client, "Script").context["new_key"]


def test_at_most_twenty_active_tokens(client_for, engineer):
    for number in range(MAX_ACTIVE_TOKENS):
        token_create(user=engineer, name=f"Token {number}")

    response = create_via_page(client_for(engineer), "One too many")

    assert response.status_code == 200
    assert "You already have 20 active API tokens" in response.content.decode()
    assert ApiToken.objects.active().filter(user=engineer).count() == MAX_ACTIVE_TOKENS


def test_token_name_is_required(client_for, engineer):
    response = create_via_page(client_for(engineer), "   ")

    assert response.context["token_form"].errors["name"]
    assert not ApiToken.objects.exists()


@pytest.fixture
def api_client_factory():
    from rest_framework.test import APIClient

    return APIClient
