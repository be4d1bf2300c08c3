"""API throttling: anonymous calls and the token endpoint are rate-limited per address."""

import pytest
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from accounts.services import token_create

ANON_RATE = 3
TOKEN_RATE = 2
SCHEMA_URL = "/api/schema/"
TOKEN_URL = "/api/v1/auth/token/"
CUSTOMERS_API = "/api/v1/customers/"


@pytest.fixture(autouse=True)
def low_rates(settings, monkeypatch):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": f"{ANON_RATE}/min", "token": f"{TOKEN_RATE}/min"},
    }
    # DRF copies the rates onto the throttle class when it is imported (production reads them
    # from the environment at start-up); point the class at the rates just set.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)


def anonymous_schema_call(api):
    return api.get(SCHEMA_URL, HTTP_ACCEPT="application/json")


@pytest.mark.django_db
def test_anonymous_calls_beyond_the_rate_get_429_with_retry_after():
    api = APIClient()
    allowed = [anonymous_schema_call(api).status_code for _ in range(ANON_RATE)]

    refused = anonymous_schema_call(api)

    assert allowed == [200] * ANON_RATE
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Request was throttled.")


@pytest.mark.django_db
def test_anonymous_rate_counts_per_address():
    api = APIClient()
    for _ in range(ANON_RATE + 1):
        anonymous_schema_call(api)

    elsewhere = api.get(SCHEMA_URL, HTTP_ACCEPT="application/json", REMOTE_ADDR="10.9.8.7")

    assert elsewhere.status_code == 200


@pytest.mark.django_db
def test_token_endpoint_beyond_its_rate_gets_429():
    api = APIClient()
    body = {"email": "nobody@example.com", "password": "not-the-password"}
    answered = [api.post(TOKEN_URL, body, format="json").status_code for _ in range(TOKEN_RATE)]

    refused = api.post(TOKEN_URL, body, format="json")

    assert answered == [400] * TOKEN_RATE
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"].startswith("Request was throttled.")


def test_signed_in_calls_are_not_held_to_the_anonymous_rate(engineer, client_for):
    _token, key = token_create(user=engineer, name="ERP interface")
    api = APIClient()
    browser = client_for(engineer)

    with_token = [
        api.get(CUSTOMERS_API, HTTP_AUTHORIZATION=f"Token {key}").status_code
        for _ in range(ANON_RATE * 2)
    ]
    with_session = [browser.get(CUSTOMERS_API).status_code for _ in range(ANON_RATE * 2)]

    assert with_token == [200] * (ANON_RATE * 2)
    assert with_session == [200] * (ANON_RATE * 2)
    # ... and they used none of the address's anonymous allowance.
    assert anonymous_schema_call(APIClient()).status_code == 200
