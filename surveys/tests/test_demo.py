"""The demo surveys: two finished campaigns with answers and one open per demo customer,
dated when they happened, and seeding twice changes nothing."""

import datetime as dt

import pytest

from customers.demo import seed_demo
from surveys import demo, selectors
from surveys.models import Campaign, Response, SurveySchedule

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def seeded(db):
    seed_demo(today=TODAY)
    demo.seed(today=TODAY)


def test_each_demo_customer_has_two_finished_campaigns_and_one_open(seeded):
    for code in demo.ANSWERS:
        campaigns = list(Campaign.objects.filter(customer__code=code).order_by("opens_on"))
        assert [c.status for c in campaigns] == ["closed", "closed", "open"], code
        assert campaigns[-1].closes_on > TODAY
        for campaign in campaigns[:2]:
            results = selectors.campaign_results(campaign)
            assert results.overall.responses >= 2 and results.overall.csat is not None
            assert campaign.closed_at.date() == campaign.closes_on + dt.timedelta(days=1)
        assert SurveySchedule.objects.get(customer__code=code).next_on > TODAY


def test_answers_are_dated_when_they_were_given(seeded):
    for response in Response.objects.select_related("campaign"):
        assert response.campaign.opens_on <= response.submitted_at.date()
        assert response.submitted_at.date() <= response.campaign.closes_on


def test_the_demo_login_of_autowerk_still_has_a_survey_to_answer(seeded):
    from accounts.models import User

    user = User.objects.get(email="quality@autowerk.example")
    assert selectors.open_invitations(user, today=TODAY).filter(answered_at=None).count() == 1


def test_seeding_twice_changes_nothing(seeded):
    counts = (Campaign.objects.count(), Response.objects.count())
    demo.seed(today=TODAY)
    assert (Campaign.objects.count(), Response.objects.count()) == counts
