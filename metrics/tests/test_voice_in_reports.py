"""The customer's voice beside our figures: the latest survey's CSAT and NPS and the special
statuses in force, on the dashboard and in the monthly report (issue: customer voice, deliver 5)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import CustomerUserFactory
from customers.tests.factories import PartFactory
from special_status import services as special_status_services
from surveys import defaults
from surveys import services as survey_services
from surveys.tests.factories import good_answers, plan

from .test_rating_report import packed, report_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(customer_a, manager, user_a):
    """Customer A's campaign: one promoter (all 4s, NPS 9) and one detractor (2s, NPS 3)."""
    colleague = CustomerUserFactory(email="buyer@autowerk.example", customer=customer_a)
    template = defaults.default_template()
    by_kind = {}
    for question in template.questions.order_by("position"):
        by_kind.setdefault(question.kind, []).append(question)
    campaign = survey_services.campaign_open(
        campaign=plan(customer_a, manager, template, title="Autowerk Q1"), actor=manager
    )
    survey_services.response_submit(campaign=campaign, actor=user_a, answers=good_answers(by_kind))
    low = good_answers(by_kind, scale_5=[2] * len(by_kind["scale_5"]), nps=3)
    survey_services.response_submit(campaign=campaign, actor=colleague, answers=low)
    return campaign


@pytest.fixture
def controlled_shipping(customer_a, engineer):
    return special_status_services.special_status_open(
        actor=engineer,
        customer=customer_a,
        parts=[PartFactory(customer=customer_a)],
        kind="cs1",
        started_on=timezone.localdate() - dt.timedelta(days=3),
        customer_reference="AW-CS1-7",
        reason="Three burr claims in a month",
        criteria=["0 rejects for 30 production days"],
    )


def test_the_dashboard_shows_the_latest_survey_of_the_scope(
    client_for, manager, customer_a, answered
):
    page = client_for(manager).get(reverse("metrics:dashboard"), {"customer": customer_a.pk})
    tiles = {tile.key: tile for tile in page.context["tiles"]}
    # Half the 1–5 answers are 4 or 5; one promoter and one detractor of two: NPS 0.
    assert tiles["survey"].value == "50.0 % CSAT · NPS 0"
    assert "2 of 2" in tiles["survey"].note


def test_the_dashboard_says_when_nobody_answered_yet(client_for, manager):
    tiles = {
        tile.key: tile
        for tile in client_for(manager).get(reverse("metrics:dashboard")).context["tiles"]
    }
    assert tiles["survey"].value == "n/a"


def test_the_company_report_lists_each_customers_survey_and_statuses(answered, controlled_shipping):
    text = packed(report_text())
    assert packed("Latest survey: CSAT · NPS").upper() in text.upper()
    assert "50.0%·0" in text
    assert controlled_shipping.number in text
