from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tests.factories import DEFAULT_PASSWORD

TOKEN_URL = reverse("api-token")
CUSTOMERS_API = "/api/v1/customers/"


def obtain(api, email, password=DEFAULT_PASSWORD):
    return api.post(TOKEN_URL, {"email": email, "password": password}, format="json")


def test_token_endpoint_returns_a_working_token(user_a):
    api = APIClient()

    response = obtain(api, "Quality@Autowerk.example")

    assert response.status_code == 200
    key = response.json()["token"]
    token = ApiToken.objects.get(user=user_a)
    assert token.key_hash == ApiToken.hash_key(key)
    assert token.name.startswith("API sign-in ")
    listing = api.get(CUSTOMERS_API, HTTP_AUTHORIZATION=f"Token {key}")
    assert listing.status_code == 200
    assert [c["code"] for c in listing.json()["results"]] == ["AUTOWERK"]
    user_a.refresh_from_db()
    assert user_a.last_login is not None


def test_two_sign_ins_in_one_minute_get_distinct_tokens(engineer):
    api = APIClient()

    first = obtain(api, engineer.email).json()["token"]
    second = obtain(api, engineer.email).json()["token"]

    assert first != second
    names = list(ApiToken.objects.filter(user=engineer).values_list("name", flat=True))
    assert len(set(names)) == 2


def test_wrong_password_is_400_with_a_clear_message(engineer):
    response = obtain(APIClient(), engineer.email, "wrong")

    assert response.status_code == 400
    assert response.json() == {"detail": "Unable to sign in with this e-mail address and password."}
    assert not ApiToken.objects.exists()
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_inactive_user_gets_no_token(engineer):
    engineer.is_active = False
    engineer.save(update_fields=["is_active"])

    response = obtain(APIClient(), engineer.email)

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_missing_fields_are_400(db):
    response = APIClient().post(TOKEN_URL, {"email": "not-an-address"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_lockout_after_five_failures_is_429_even_with_the_right_password(engineer):
    api = APIClient()
    for _ in range(4):
        assert obtain(api, engineer.email, "wrong").status_code == 400

    locked = obtain(api, engineer.email, "wrong")
    right_password = obtain(api, engineer.email)

    assert locked.status_code == 429
    assert right_password.status_code == 429
    assert right_password.json()["detail"].startswith("Too many failed sign-in attempts")
    assert not ApiToken.objects.exists()


def test_successful_sign_in_clears_earlier_failures(engineer):
    api = APIClient()
    for _ in range(3):
        obtain(api, engineer.email, "wrong")

    assert obtain(api, engineer.email).status_code == 200
    assert not AccessAttempt.objects.exists()


def test_token_endpoint_is_throttled(db):
    api = APIClient()
    statuses = [obtain(api, f"nobody{n}@example.com", "x").status_code for n in range(21)]

    assert statuses[:20] == [400] * 20
    assert statuses[20] == 429


def test_endpoint_is_documented_in_the_schema(client, db):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    # Public: no 401/403; 413 for a body over the limit, 415 for a body of another type, 503
    # while the database is down.
    assert set(operation["responses"]) == {"200", "400", "413", "415", "429", "503"}
    # No security requirement: the endpoint is where a client gets its credentials.
    assert "security" not in schema
    assert operation.get("security", []) in ([], [{}])
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request_schema = schema["components"]["schemas"][body.rsplit("/", 1)[-1]]
    assert set(request_schema["required"]) == {"email", "password"}
