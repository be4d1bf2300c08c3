"""The 8D team editor marks the members who hold a valid 8D moderator qualification."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from claims import services as claims
from claims.tests.factories import file_claim

from .factories import qualification

pytestmark = pytest.mark.django_db


def test_d1_team_shows_the_moderator_badge_to_staff_only(user_a, engineer, client_for):
    claim = file_claim(actor=user_a)
    claims.claim_acknowledge(claim=claim, actor=engineer)
    claims.claim_start_review(claim=claim, actor=engineer)
    claims.claim_accept_responsibility(claim=claim, actor=engineer)
    moderator = UserFactory(email="mia@example.com")
    lapsed = UserFactory(email="lars@example.com")
    qualification(actor=engineer, person=moderator, kind="8d_moderator")
    qualification(
        actor=engineer, person=lapsed, kind="8d_moderator", valid_until=dt.date(2025, 1, 1)
    )
    page = client_for(engineer)
    for name, email in [("Mia", "Mia@example.com"), ("Lars", "lars@example.com")]:
        page.post(
            reverse("claims:eightd-team-add", args=[claim.pk]),
            {"role": "member", "name": name, "email": email},
        )
    d1 = reverse("claims:eightd-step", args=[claim.pk, "D1"])

    content = page.get(d1).content.decode()

    assert content.count("Holds a valid 8D moderator qualification") == 1
    customer_view = client_for(user_a).get(d1).content.decode()
    assert "Holds a valid 8D moderator qualification" not in customer_view
