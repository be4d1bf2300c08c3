"""Cached list pages: served again while nothing changed, never past a change, never to another."""

import re

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from claims.tests.factories import file_claim
from customers.tests.factories import PartFactory

pytestmark = pytest.mark.django_db

CLAIMS = reverse("claims:claim-list")


def _get(client, url=CLAIMS, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_list_is_served_again_until_the_data_changes(client_for, engineer, customer_a):
    client = client_for(engineer)
    first = file_claim(actor=engineer, part=PartFactory(customer=customer_a))
    html, computed = _get(client)
    assert first.number in html
    again, cached = _get(client)
    assert _main(again) == _main(html)  # the layout around it carries a fresh CSRF token
    assert cached < computed  # neither the rows nor the filter choices were read again

    second = file_claim(actor=engineer, part=PartFactory(customer=customer_a))
    html, _ = _get(client)
    assert first.number in html and second.number in html


def test_each_viewer_gets_their_own_list(client_for, engineer, user_a, user_b, customer_a):
    claim = file_claim(actor=user_a, part=PartFactory(customer=customer_a))
    for viewer in (engineer, user_a):
        assert claim.number in _get(client_for(viewer))[0]
    # The same address, asked for by another company's user right after.
    assert claim.number not in _get(client_for(user_b))[0]


def test_the_query_string_is_part_of_the_key(client_for, engineer, customer_a):
    claim = file_claim(actor=engineer, part=PartFactory(customer=customer_a))
    client = client_for(engineer)
    assert claim.number in _get(client)[0]
    assert claim.number not in _get(client, f"{CLAIMS}?q=nothing-like-this")[0]


def test_a_new_language_shows_at_once(client_for, engineer):
    client = client_for(engineer)
    assert "Filtern" not in _main(_get(client)[0])
    engineer.language = "de"
    engineer.save(update_fields=["language"])
    assert "Filtern" in _main(_get(client)[0])


def test_the_claims_api_list_follows_the_data_and_the_viewer(
    api_client_for, engineer, user_b, customer_a
):
    api = api_client_for(engineer)
    first = file_claim(actor=engineer, part=PartFactory(customer=customer_a))
    numbers = [row["number"] for row in api.get("/api/v1/claims/").json()["results"]]
    assert numbers == [first.number]
    assert api.get("/api/v1/claims/").json()["count"] == 1

    second = file_claim(actor=engineer, part=PartFactory(customer=customer_a))
    listed = api.get("/api/v1/claims/").json()
    assert listed["count"] == 2
    assert {row["number"] for row in listed["results"]} == {first.number, second.number}
    # The same address for another company's user right after: their own (empty) list.
    assert api_client_for(user_b).get("/api/v1/claims/").json()["count"] == 0


def _csrf_token(html: str) -> str:
    """The token of the page's last form inside <main> (the comment form), not the layout's."""
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', _main(html))[-1]


def test_each_browser_gets_forms_it_can_send(engineer, customer_a):
    """The claim page is cached with its forms: per browser, so that its CSRF token is valid."""
    claim = file_claim(actor=engineer, part=PartFactory(customer=customer_a))
    page = reverse("claims:claim-detail", args=[claim.pk])
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for browser in browsers:  # the first fills the cache, the second is served from it
        browser.force_login(engineer)
        tokens.append(_csrf_token(browser.get(page).content.decode()))
    for number, (browser, token) in enumerate(zip(browsers, tokens, strict=True)):
        sent = browser.post(
            reverse("claims:comment-add", args=[claim.pk]),
            {"body": f"Comment {number}", "csrfmiddlewaretoken": token},
        )
        assert sent.status_code == 302, sent.status_code
        assert f"Comment {number}" in browser.get(page).content.decode()


def test_a_claim_from_the_api_follows_every_change(api_client_for, engineer, user_b, customer_a):
    claim = file_claim(actor=engineer, part=PartFactory(customer=customer_a))
    url = f"/api/v1/claims/{claim.pk}/"
    api = api_client_for(engineer)
    first = api.get(url)
    assert api.get(url).json() == first.json()  # served again
    Claim.objects.filter(pk=claim.pk).update(symptom="Cracked housing", version=F("version") + 1)
    changed = api.get(url)
    assert changed.json()["symptom"] == "Cracked housing"
    assert changed["ETag"] != first["ETag"]
    assert api_client_for(user_b).get(url).status_code == 404  # another company: never cached
