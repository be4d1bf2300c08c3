"""Campaigns, invitations, answers and their follow-up, through the services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.tests.factories import CustomerUserFactory
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Action, OutboxMessage
from notifications.models import Notification
from surveys import notification_kinds as kinds
from surveys import services
from surveys.models import Answer, Campaign, CampaignEvent, Invitation, Response

from .factories import good_answers, plan

pytestmark = pytest.mark.django_db


def _question(questions, kind, index=0):
    return questions[kind][index]


# --- campaigns -----------------------------------------------------------------------------------


class TestCampaigns:
    def test_a_manager_plans_a_numbered_campaign(self, customer_a, manager, template):
        campaign = plan(customer_a, manager, template)
        assert campaign.number == f"SRV-{timezone.localdate().year}-00001"
        assert campaign.status == Campaign.Status.PLANNED
        assert campaign.title.startswith("Customer satisfaction Q")
        assert CampaignEvent.objects.get(campaign=campaign).action == "create"
        assert campaign.history.count() == 1

    def test_an_engineer_may_not_plan_one(self, customer_a, engineer, template):
        with pytest.raises(PermissionDenied):
            plan(customer_a, engineer, template)

    @pytest.mark.parametrize(
        ("opens_in", "days", "field"),
        [(0, 0, "closes_on"), (-30, 10, "closes_on")],
        ids=["closes-before-it-opens", "closes-in-the-past"],
    )
    def test_dates_are_checked(self, customer_a, manager, template, opens_in, days, field):
        with pytest.raises(DomainError) as refused:
            plan(customer_a, manager, template, opens_in=opens_in, days=days)
        assert refused.value.field == field

    def test_one_campaign_per_customer_and_opening_day(self, customer_a, manager, template):
        plan(customer_a, manager, template)
        with pytest.raises(DomainError) as refused:
            plan(customer_a, manager, template)
        assert refused.value.field == "opens_on"

    def test_opening_invites_the_customers_active_users_once_each(
        self, customer_a, customer_b, manager, template, user_a, colleague_a, user_b, engineer
    ):
        CustomerUserFactory(customer=customer_a, email="left@autowerk.example", is_active=False)
        campaign = services.campaign_open(
            campaign=plan(customer_a, manager, template), actor=manager
        )
        invited = Invitation.objects.filter(campaign=campaign)
        assert {invitation.user for invitation in invited} == {user_a, colleague_a}
        assert all(invitation.sent_at is not None for invitation in invited)
        assert all(len(invitation.token) == 43 for invitation in invited)
        told = Notification.objects.filter(kind=kinds.INVITATION)
        assert {(n.recipient_id, n.url) for n in told} == {
            (invitation.user_id, f"/surveys/answer/{invitation.token}/") for invitation in invited
        }
        assert OutboxMessage.objects.filter(task="notifications.deliver").exists()
        # Inviting again (the daily run does) sends nothing twice.
        assert services.campaign_invite(campaign=campaign, actor=manager) == 0
        assert told.count() == 2

    def test_a_new_colleague_is_invited_on_the_next_round(self, campaign, manager, customer_a):
        newcomer = CustomerUserFactory(customer=customer_a, email="new@autowerk.example")
        assert services.campaign_invite(campaign=campaign, actor=manager) == 1
        assert Invitation.objects.get(campaign=campaign, user=newcomer).sent_at is not None

    def test_closing_is_recorded(self, campaign, manager):
        services.campaign_close(campaign=campaign, actor=manager)
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.CLOSED and campaign.closed_at
        actions = list(
            campaign.events.order_by("created_at", "pk").values_list("action", flat=True)
        )
        assert actions == ["create", "open", "invite", "close"]

    def test_a_stale_version_is_refused(self, campaign, manager):
        with pytest.raises(Conflict):
            services.campaign_close(campaign=campaign, actor=manager, expected_version=1)


# --- answering -----------------------------------------------------------------------------------

TOO_LONG = "x" * 2001


class TestAnswerValidation:
    @pytest.mark.parametrize(
        ("kind", "value"),
        [
            ("scale_5", 0),
            ("scale_5", 6),
            ("scale_5", "four"),
            ("scale_5", True),
            ("scale_5", 3.5),
            ("nps", 11),
            ("nps", -1),
            ("nps", "1e1"),
            ("text", TOO_LONG),
            ("text", 5),
        ],
    )
    def test_a_value_outside_the_questions_range_is_refused(
        self, campaign, user_a, questions, kind, value
    ):
        answers = good_answers(questions)
        question = _question(questions, kind)
        answers[question.pk] = value
        with pytest.raises(ValidationError) as refused:
            services.response_submit(campaign=campaign, actor=user_a, answers=answers)
        assert list(refused.value.message_dict) == [f"q{question.pk}"]
        assert not Response.objects.exists() and not Answer.objects.exists()

    @pytest.mark.parametrize(("kind", "value"), [("scale_5", 1), ("scale_5", "5"), ("nps", 0)])
    def test_the_edges_of_the_range_are_accepted(self, campaign, user_a, questions, kind, value):
        answers = good_answers(questions)
        answers[_question(questions, kind).pk] = value
        services.response_submit(campaign=campaign, actor=user_a, answers=answers)
        assert Answer.objects.get(question=_question(questions, kind)).value == int(value)

    def test_a_text_of_2000_characters_is_kept(self, campaign, user_a, questions):
        answers = good_answers(questions, text="y" * 2000)
        services.response_submit(campaign=campaign, actor=user_a, answers=answers)
        assert len(Answer.objects.get(question=_question(questions, "text")).text) == 2000

    def test_every_required_question_must_be_answered(self, campaign, user_a, questions):
        answers = good_answers(questions)
        required = _question(questions, "scale_5")
        optional = next(q for q in questions["scale_5"] if not q.required)
        answers[required.pk] = ""
        del answers[optional.pk]
        del answers[_question(questions, "text").pk]
        with pytest.raises(ValidationError) as refused:
            services.response_submit(campaign=campaign, actor=user_a, answers=answers)
        assert list(refused.value.message_dict) == [f"q{required.pk}"]

    def test_a_question_of_another_survey_is_refused(self, campaign, user_a, questions):
        answers = {**good_answers(questions), 999999: 3}
        with pytest.raises(ValidationError) as refused:
            services.response_submit(campaign=campaign, actor=user_a, answers=answers)
        assert "answers" in refused.value.message_dict


class TestOneResponsePerUser:
    def test_answers_are_changed_in_place_until_the_campaign_closes(
        self, campaign, user_a, questions, manager
    ):
        first = services.response_submit(
            campaign=campaign, actor=user_a, answers=good_answers(questions)
        )
        second = services.response_submit(
            campaign=campaign, actor=user_a, answers=good_answers(questions, nps=10, text="")
        )
        assert first.pk == second.pk and Response.objects.count() == 1
        nps = Answer.objects.get(question=_question(questions, "nps"))
        assert nps.value == 10 and nps.history.count() == 2
        assert Answer.objects.get(question=_question(questions, "text")).text == ""
        assert Invitation.objects.get(campaign=campaign, user=user_a).answered_at is not None

        services.campaign_close(campaign=campaign, actor=manager)
        with pytest.raises(Conflict):
            services.response_submit(
                campaign=campaign, actor=user_a, answers=good_answers(questions, nps=2)
            )
        assert Answer.objects.get(question=_question(questions, "nps")).value == 10

    def test_after_the_closing_day_answers_are_refused_before_the_run_closes_it(
        self, campaign, user_a, questions
    ):
        today = timezone.localdate()
        Campaign.objects.filter(pk=campaign.pk).update(
            opens_on=today - dt.timedelta(days=28), closes_on=today - dt.timedelta(days=1)
        )
        with pytest.raises(Conflict):
            services.response_submit(
                campaign=campaign, actor=user_a, answers=good_answers(questions)
            )

    def test_a_planned_campaign_takes_no_answers(
        self, customer_a, manager, template, questions, user_a
    ):
        planned = plan(customer_a, manager, template)
        with pytest.raises(Conflict):
            services.response_submit(
                campaign=planned, actor=user_a, answers=good_answers(questions)
            )

    def test_only_the_invited_users_of_the_customer_answer(
        self, campaign, customer_a, user_b, engineer, questions
    ):
        uninvited = CustomerUserFactory(customer=customer_a, email="later@autowerk.example")
        for actor in (uninvited, user_b, engineer):
            with pytest.raises(PermissionDenied):
                services.response_submit(
                    campaign=campaign, actor=actor, answers=good_answers(questions)
                )
        assert not Response.objects.exists()


# --- follow-up of low answers --------------------------------------------------------------------


class TestFollowUp:
    def _follow_ups(self):
        return Action.objects.filter(kind=Action.Kind.FOLLOW_UP)

    def test_a_low_answer_raises_one_action_for_the_responsible_engineer(
        self, campaign, user_a, questions, responsible
    ):
        response = services.response_submit(
            campaign=campaign, actor=user_a, answers=good_answers(questions, scale_5=[4, 2, 4, 4])
        )
        action = self._follow_ups().get()
        assert action.record == response and action.owner == responsible
        assert action.internal_only and action.is_open
        assert action.due_date == timezone.localdate() + dt.timedelta(days=14)
        assert "delivery performance" in action.description and "2 of 5" in action.description
        told = Notification.objects.get(kind=kinds.LOW_ANSWER)
        assert told.recipient == responsible and told.record_id == response.pk

    def test_a_changed_answer_updates_the_action_instead_of_adding_one(
        self, campaign, user_a, questions, responsible
    ):
        low = good_answers(questions, nps=6)
        services.response_submit(campaign=campaign, actor=user_a, answers=low)
        services.response_submit(campaign=campaign, actor=user_a, answers=low)  # the same again
        assert self._follow_ups().count() == 1
        assert Notification.objects.filter(kind=kinds.LOW_ANSWER).count() == 1

        lower = good_answers(questions, nps=1, scale_5=[1, 4, 4, 4])
        services.response_submit(campaign=campaign, actor=user_a, answers=lower)
        action = self._follow_ups().get()
        assert "1 of 10" in action.description and "1 of 5" in action.description
        assert Notification.objects.filter(kind=kinds.LOW_ANSWER).count() == 2

        services.response_submit(campaign=campaign, actor=user_a, answers=good_answers(questions))
        action = self._follow_ups().get()
        assert "No answer is low any more" in action.description
        assert Notification.objects.filter(kind=kinds.LOW_ANSWER).count() == 2

    @pytest.mark.parametrize(("scale", "nps"), [([3, 3, 3, 3], 7), ([4, 4, 4, 5], 10)])
    def test_answers_above_the_limits_raise_nothing(
        self, campaign, user_a, questions, responsible, scale, nps
    ):
        services.response_submit(
            campaign=campaign, actor=user_a, answers=good_answers(questions, scale_5=scale, nps=nps)
        )
        assert not self._follow_ups().exists()

    def test_without_a_responsible_engineer_a_quality_manager_follows_up(
        self, campaign, user_a, questions, manager
    ):
        services.response_submit(
            campaign=campaign, actor=user_a, answers=good_answers(questions, nps=0)
        )
        assert self._follow_ups().get().owner == manager

    def test_the_customer_does_not_see_the_follow_up(
        self, campaign, user_a, questions, responsible
    ):
        services.response_submit(
            campaign=campaign, actor=user_a, answers=good_answers(questions, nps=0)
        )
        assert not Action.objects.visible_to(user_a).exists()
        assert Action.objects.visible_to(responsible).count() == 1
