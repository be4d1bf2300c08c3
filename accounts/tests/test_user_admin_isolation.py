"""A customer administrator of A against every user administration route: B's users and our staff
are a 404 exactly like a missing account, for every method, and nothing of theirs changes.

The routes come from the URL resolver (``accounts:user-*`` with an account id), so a new page on
an account is covered as soon as it exists. The control: the same routes on A's own colleague
answer, so the ids are real.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import CustomerUserFactory
from tests.isolation.discovery import url_routes

pytestmark = pytest.mark.django_db

ACCOUNT_ROUTES = sorted(
    route.name
    for route in url_routes()
    if route.name and route.name.startswith("accounts:user-") and "<int:pk>" in route.pattern
)


def test_the_account_routes_are_found():
    assert {"accounts:user-update", "accounts:user-deactivate", "accounts:user-history"} <= set(
        ACCOUNT_ROUTES
    )


@pytest.fixture
def company_admin_a(customer_a):
    return CustomerUserFactory(
        email="lead@autowerk.example", customer=customer_a, is_company_admin=True
    )


def _snapshot(user) -> tuple:
    user.refresh_from_db()
    return (user.is_active, user.full_name, user.role, user.customer_id, user.history.count())


@pytest.mark.parametrize("name", ACCOUNT_ROUTES)
def test_customer_administrator_gets_404_on_other_companies_and_staff(
    client_for, company_admin_a, user_a, user_b, engineer, admin_user, name
):
    client = client_for(company_admin_a)
    body = {"full_name": "Taken over", "language": "en", "time_zone": "Europe/Berlin"}
    for stranger in (user_b, engineer, admin_user):
        before = _snapshot(stranger)
        url = reverse(name, args=[stranger.pk])
        for method in ("get", "post"):
            response = getattr(client, method)(url, body)
            assert response.status_code in (404, 405), f"{method} {url} of {stranger.email}"
            assert stranger.email not in response.content.decode()
        assert _snapshot(stranger) == before, f"{name} changed {stranger.email}"
    # The control: A's own colleague is there.
    answers = [
        getattr(client, method)(reverse(name, args=[user_a.pk])).status_code
        for method in ("get", "post")
    ]
    assert any(status in (200, 302) for status in answers), answers


def test_customer_administrator_lists_and_searches_only_their_company(
    client_for, company_admin_a, user_a, user_b, engineer
):
    client = client_for(company_admin_a)
    url = reverse("accounts:user-list")
    queries = ({}, {"q": user_b.email}, {"q": engineer.email}, {"customer": user_b.customer_id})
    for query in queries:
        page = client.get(url, query)
        assert set(page.context["users"]) <= {company_admin_a, user_a}, query
        # The search box echoes what was searched; the rows would name the person.
        text = page.content.decode()
        assert user_b.full_name not in text and engineer.full_name not in text, query
    assert user_a.email in client.get(url).content.decode()


def test_customer_administrator_cannot_invite_into_another_company(
    client_for, company_admin_a, customer_b
):
    response = client_for(company_admin_a).post(
        reverse("accounts:user-invite"),
        {
            "email": "mole@brenner.example",
            "full_name": "Mole",
            "language": "en",
            "customer": customer_b.pk,
            "role": "admin",
        },
    )
    assert response.status_code == 302
    mole = User.objects.get(email="mole@brenner.example")
    # The fields a customer administrator is not offered are ignored: A's customer user it is.
    assert (mole.role, mole.customer_id, mole.is_staff) == (
        "customer",
        company_admin_a.customer_id,
        False,
    )
