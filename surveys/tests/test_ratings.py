"""The customer's rating of an 8D, once per decision, and CSAT pooling surveys and ratings."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from claims import services as claim_services
from claims.models import Claim, EightDStep
from core.errors import Conflict, DomainError, PermissionDenied
from notifications.models import Notification
from surveys import notification_kinds as kinds
from surveys import selectors, services
from surveys.models import EightDRating

from .factories import good_answers

pytestmark = pytest.mark.django_db


def rate(claim, actor, values=(4, 5, 3), comment=""):
    speed, analysis, communication = values
    return services.eight_d_rate(
        claim=claim,
        actor=actor,
        speed=speed,
        analysis=analysis,
        communication=communication,
        comment=comment,
    )


def _back_to_evaluation(claim, engineer) -> None:
    """The reworked 8D is in front of the customer again (D5–D7 approved, D8 submitted)."""
    claim.steps.exclude(code="D8").update(status=EightDStep.Status.APPROVED)
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.CUSTOMER_EVALUATION)
    claim_services.step_submit(step=claim.steps.get(code="D8"), actor=engineer)
    claim.refresh_from_db()


class TestEightDRating:
    def test_not_before_the_customer_decided(self, evaluation, user_a):
        with pytest.raises(Conflict):
            rate(evaluation, user_a)
        assert not selectors.rating_state(evaluation).open

    def test_after_acceptance_once(self, accepted_claim, user_a, colleague_a):
        rating = rate(accepted_claim, user_a, comment="Fast and clear.")
        assert (rating.decision, rating.round, rating.values) == ("accepted", 1, (4, 5, 3))
        assert rating.customer_id == accepted_claim.customer_id
        assert rating.history.count() == 1
        with pytest.raises(Conflict):
            rate(accepted_claim, colleague_a)  # one per decision, whoever rates it

    def test_after_a_provisional_acceptance(self, evaluation, user_a):
        from claims import provisional

        due_on = timezone.localdate() + dt.timedelta(days=30)
        provisional.claim_accept_provisionally(claim=evaluation, actor=user_a, due_on=due_on)
        evaluation.refresh_from_db()
        assert rate(evaluation, user_a).decision == "accepted"

    def test_a_rejection_and_the_later_acceptance_are_two_rounds(
        self, evaluation, user_a, engineer
    ):
        claim_services.claim_customer_reject(
            claim=evaluation, actor=user_a, reason="Root cause not verified"
        )
        evaluation.refresh_from_db()
        first = rate(evaluation, user_a, values=(2, 1, 3))
        assert (first.decision, first.round) == ("rejected", 1)
        # Reworked and sent again: still the rejected round until the customer decides anew.
        with pytest.raises(Conflict):
            rate(evaluation, user_a)
        told = Notification.objects.get(kind=kinds.LOW_RATING)
        assert told.recipient == engineer

        _back_to_evaluation(evaluation, engineer)
        claim_services.claim_customer_accept(claim=evaluation, actor=user_a)
        evaluation.refresh_from_db()
        second = rate(evaluation, user_a, values=(4, 4, 5))
        assert (second.decision, second.round) == ("accepted", 2)
        assert EightDRating.objects.filter(claim=evaluation).count() == 2

    @pytest.mark.parametrize(
        ("values", "field"),
        [((0, 3, 3), "speed"), ((3, 6, 3), "analysis"), ((3, 3, "x"), "communication")],
    )
    def test_values_are_1_to_5(self, accepted_claim, user_a, values, field):
        with pytest.raises(DomainError) as refused:
            rate(accepted_claim, user_a, values=values)
        assert refused.value.field == field
        assert not EightDRating.objects.exists()

    def test_a_comment_has_at_most_2000_characters(self, accepted_claim, user_a):
        with pytest.raises(DomainError):
            rate(accepted_claim, user_a, comment="x" * 2001)
        assert rate(accepted_claim, user_a, comment="x" * 2000).comment

    def test_only_the_claims_customer_rates(self, accepted_claim, user_b, engineer, manager):
        for actor in (user_b, engineer, manager):
            with pytest.raises(PermissionDenied):
                rate(accepted_claim, actor)


class TestCsat:
    def _window(self):
        now = timezone.now()
        return now - dt.timedelta(days=1), now + dt.timedelta(days=1)

    def test_pools_survey_answers_and_8d_ratings_of_the_customer(
        self, campaign, user_a, questions, accepted_claim, customer_b
    ):
        # 1–5 answers 5, 5, 2, 2 (8D question left out: 4 values, 2 of them top-two).
        answers = good_answers(questions, scale_5=[5, 5, 2, 2])
        services.response_submit(campaign=campaign, actor=user_a, answers=answers)
        rate(accepted_claim, user_a, values=(4, 3, 1))  # one more top-two of three
        start, end = self._window()
        score = selectors.csat_for(customer_id=campaign.customer_id, start=start, end=end)
        assert score.answers == 7
        assert score.value == Decimal("42.9")  # 3 of 7
        assert score.mean == Decimal("3.14")  # 22 / 7
        assert selectors.csat_for(customer_id=None, start=start, end=end).answers == 7
        other = selectors.csat_for(customer_id=customer_b.pk, start=start, end=end)
        assert (other.value, other.mean, other.answers) == (None, None, 0)

    def test_the_period_is_half_open(self, campaign, user_a, questions):
        response = services.response_submit(
            campaign=campaign, actor=user_a, answers=good_answers(questions)
        )
        at = response.submitted_at
        assert selectors.csat_for(customer_id=None, start=at, end=at).answers == 0
        assert selectors.csat_for(
            customer_id=None, start=at, end=at + dt.timedelta(microseconds=1)
        ).answers == len(questions["scale_5"])
        assert (
            selectors.csat_for(customer_id=None, start=at - dt.timedelta(days=1), end=at).answers
            == 0
        )

    def test_latest_campaign_figures(self, campaign, user_a, colleague_a, questions, manager):
        assert selectors.latest_campaign_figures(campaign.customer_id)["csat"] is None
        services.response_submit(
            campaign=campaign, actor=user_a, answers=good_answers(questions, nps=10)
        )
        services.response_submit(
            campaign=campaign, actor=colleague_a, answers=good_answers(questions, nps=3)
        )
        figures = selectors.latest_campaign_figures(campaign.customer_id)
        assert figures["campaign"] == campaign
        assert (figures["nps"], figures["responses"], figures["invited"]) == (0, 2, 2)
        assert figures["csat"] == Decimal("100.0")
        pooled = selectors.latest_campaign_figures(None)
        assert (pooled["campaign"], pooled["nps"], pooled["responses"]) == (None, 0, 2)

    def test_no_campaign_no_figures(self, customer_b):
        assert selectors.latest_campaign_figures(customer_b.pk) is None
        assert selectors.latest_campaign_figures(None) is None
