"""The survey pages: staff lists, results and planning; answering by the personal link; rating."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Action
from surveys import services
from surveys.models import Answer, Campaign, EightDRating, Invitation, Response

from .factories import good_answers

pytestmark = pytest.mark.django_db


def _link(campaign, user) -> str:
    return Invitation.objects.get(campaign=campaign, user=user).get_absolute_url()


def _posted(questions, **overrides) -> dict:
    return {f"q{pk}": value for pk, value in good_answers(questions, **overrides).items()}


class TestStaffPages:
    def test_the_campaign_list_searches_and_filters(self, client_for, engineer, campaign):
        client = client_for(engineer)
        page = client.get(reverse("surveys:campaign-list"))
        assert page.status_code == 200 and campaign.number in page.content.decode()
        assert (
            campaign.number
            in client.get(reverse("surveys:campaign-list"), {"q": "Autowerk"}).content.decode()
        )
        assert (
            campaign.number
            not in client.get(
                reverse("surveys:campaign-list"), {"status": "closed"}
            ).content.decode()
        )
        assert client.get(reverse("surveys:campaign-list"), {"year": "0"}).status_code == 200

    def test_customers_are_sent_to_their_own_surveys(self, client_for, user_a, campaign):
        client = client_for(user_a)
        assert client.get(reverse("surveys:campaign-list")).status_code == 403
        assert client.get(reverse("surveys:template-list")).status_code == 403
        results = reverse("surveys:customer-results", args=[campaign.customer_id])
        assert client.get(results).status_code == 403

    def test_a_manager_plans_a_campaign(self, client_for, manager, customer_a, template):
        today = timezone.localdate()
        page = client_for(manager).post(
            reverse("surveys:campaign-create"),
            {
                "customer": customer_a.pk,
                "template": template.pk,
                "title": "",
                "opens_on": today + dt.timedelta(days=3),
                "closes_on": today + dt.timedelta(days=30),
                "reminder_after_days": 5,
            },
        )
        campaign = Campaign.objects.get()
        assert page.status_code == 302 and page["Location"] == campaign.get_absolute_url()
        assert campaign.reminder_after_days == 5

    def test_a_refused_plan_shows_the_form_again(self, client_for, manager, customer_a, template):
        today = timezone.localdate()
        page = client_for(manager).post(
            reverse("surveys:campaign-create"),
            {
                "customer": customer_a.pk,
                "template": template.pk,
                "opens_on": today,
                "closes_on": today - dt.timedelta(days=1),
                "reminder_after_days": 7,
            },
        )
        assert page.status_code == 400 and not Campaign.objects.exists()

    def test_an_engineer_may_not_plan(self, client_for, engineer):
        assert client_for(engineer).get(reverse("surveys:campaign-create")).status_code == 403

    def test_the_results_page_shows_csat_nps_comments_and_follow_ups(
        self, client_for, manager, campaign, user_a, colleague_a, questions, responsible
    ):
        services.response_submit(
            campaign=campaign, actor=user_a, answers=good_answers(questions, nps=10)
        )
        low = good_answers(questions, nps=2, scale_5=[5, 1, 5, 5], text="Deliveries late twice")
        services.response_submit(campaign=campaign, actor=colleague_a, answers=low)
        page = client_for(manager).get(campaign.get_absolute_url())
        assert page.status_code == 200
        results = page.context["results"]
        # 4+4+4+4 and 5+1+5+5: seven of eight 1–5 answers are 4 or 5.
        assert str(results.overall.csat) == "87.5"
        assert results.overall.nps == 0  # one promoter, one detractor
        text = page.content.decode()
        assert "Deliveries late twice" in text
        assert "Follow up the survey answers" in text
        assert "2 / 2" in text

    def test_closing_from_the_page(self, client_for, manager, campaign):
        url = reverse("surveys:campaign-transition", args=[campaign.pk, "close"])
        page = client_for(manager).post(url, {"version": campaign.version})
        assert page.status_code == 302
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.CLOSED

    def test_the_results_over_time(self, client_for, engineer, campaign, user_a, questions):
        services.response_submit(
            campaign=campaign, actor=user_a, answers=good_answers(questions, nps=9)
        )
        page = client_for(engineer).get(
            reverse("surveys:customer-results", args=[campaign.customer_id])
        )
        assert page.status_code == 200
        [row] = page.context["rows"]
        assert (row.figures.csat, row.figures.nps) == (100, 100)

    def test_a_manager_adds_the_standard_questionnaire_once(self, client_for, manager, engineer):
        from surveys.models import SurveyTemplate

        assert client_for(engineer).post(reverse("surveys:template-standard")).status_code == 403
        client = client_for(manager)
        page = client.get(reverse("surveys:template-list"))
        assert "Add the standard questionnaire" in page.content.decode()
        first = client.post(reverse("surveys:template-standard"))
        template = SurveyTemplate.objects.get()
        assert first["Location"] == template.get_absolute_url()
        assert template.questions.count() == 6 and template.history.count() == 1
        client.post(reverse("surveys:template-standard"))
        assert SurveyTemplate.objects.count() == 1
        page = client.get(reverse("surveys:template-list"))
        assert "Add the standard questionnaire" not in page.content.decode()

    def test_templates_and_schedules(self, client_for, manager, template, customer_a):
        client = client_for(manager)
        assert template.name in client.get(reverse("surveys:template-list")).content.decode()
        detail = client.get(reverse("surveys:template-detail", args=[template.pk]))
        assert "Wie zufrieden sind Sie" in detail.content.decode()
        page = client.post(
            reverse("surveys:schedule-list"),
            {
                "customer": customer_a.pk,
                "template": template.pk,
                "next_on": timezone.localdate() + dt.timedelta(days=10),
                "every_months": 3,
                "open_days": 21,
                "is_active": "on",
            },
        )
        assert page.status_code == 302
        assert customer_a.survey_schedule.open_days == 21


class TestAnswering:
    def test_the_invited_user_answers_by_the_personal_link(
        self, client_for, user_a, campaign, questions
    ):
        client = client_for(user_a)
        link = _link(campaign, user_a)
        page = client.get(link)
        assert page.status_code == 200
        assert "How likely are you to recommend us" in page.content.decode()
        answer = client.post(link, _posted(questions))
        assert answer.status_code == 302 and answer["Location"] == link
        assert Response.objects.get().user == user_a
        again = client.post(link, _posted(questions, nps=3))
        assert again.status_code == 302 and Response.objects.count() == 1
        assert Answer.objects.get(question=questions["nps"][0]).value == 3

    def test_errors_show_on_their_questions_and_keep_what_was_typed(
        self, client_for, user_a, campaign, questions
    ):
        posted = _posted(questions, text="Kept text")
        posted[f"q{questions['scale_5'][0].pk}"] = ""
        page = client_for(user_a).post(_link(campaign, user_a), posted)
        assert page.status_code == 400
        text = page.content.decode()
        assert "Please answer this question." in text and "Kept text" in text
        assert not Response.objects.exists()

    def test_the_page_in_german(self, client_for, user_a, campaign):
        user_a.language = "de"
        user_a.save(update_fields=["language"])
        page = client_for(user_a).get(_link(campaign, user_a), HTTP_ACCEPT_LANGUAGE="de")
        assert "Wie wahrscheinlich ist es" in page.content.decode()

    def test_another_users_link_is_not_found(
        self, client_for, user_a, colleague_a, user_b, engineer, campaign
    ):
        link = _link(campaign, user_a)
        for other in (colleague_a, user_b, engineer):
            client = client_for(other)
            assert client.get(link).status_code == 404
            assert client.post(link, {}).status_code == 404
        assert not Response.objects.exists()

    def test_a_link_asks_to_sign_in(self, client, campaign, user_a):
        page = client.get(_link(campaign, user_a))
        assert page.status_code == 302 and "/accounts/login/" in page["Location"]

    def test_a_closed_campaign_shows_the_answers_read_only(
        self, client_for, user_a, manager, campaign, questions
    ):
        client = client_for(user_a)
        link = _link(campaign, user_a)
        client.post(link, _posted(questions))
        services.campaign_close(campaign=campaign, actor=manager)
        page = client.get(link)
        assert "This survey is closed" in page.content.decode()
        refused = client.post(link, _posted(questions, nps=0))
        assert refused.status_code == 409
        assert Answer.objects.get(question=questions["nps"][0]).value == 9

    def test_my_surveys_lists_the_open_ones_and_the_answers(
        self, client_for, user_a, user_b, campaign, questions
    ):
        page = client_for(user_a).get(reverse("surveys:my-surveys"))
        assert campaign.title in page.content.decode()
        assert (
            client_for(user_b).get(reverse("surveys:my-surveys")).context["invitations"].count()
            == 0
        )
        detail = client_for(user_a).get(campaign.get_absolute_url())
        assert detail.status_code == 200 and "Answer the survey" in detail.content.decode()
        assert client_for(user_b).get(campaign.get_absolute_url()).status_code == 404

    def test_the_home_page_counts_the_surveys_to_answer(self, client_for, user_a, campaign):
        cards = {card.key: card for card in client_for(user_a).get("/").context["cards"]}
        assert cards["surveys_to_answer"].value == 1

    def test_a_low_answer_on_the_page_raises_the_follow_up(
        self, client_for, user_a, campaign, questions, responsible
    ):
        client_for(user_a).post(_link(campaign, user_a), _posted(questions, nps=4))
        assert Action.objects.get(kind=Action.Kind.FOLLOW_UP).owner == responsible


class TestRatingPage:
    def _rate(self, client, claim, **values):
        data = {"speed": 4, "analysis": 5, "communication": 3, "comment": "Clear", **values}
        return client.post(reverse("surveys:claim-rate", args=[claim.pk]), data)

    def test_the_claim_page_links_to_the_rating_once_accepted(
        self, client_for, user_a, evaluation, accepted_claim
    ):
        client = client_for(user_a)
        claim_page = client.get(accepted_claim.get_absolute_url()).content.decode()
        assert "Rate this 8D" in claim_page
        answer = self._rate(client, accepted_claim)
        assert answer.status_code == 302
        rating = EightDRating.objects.get()
        assert (rating.speed, rating.analysis, rating.communication) == (4, 5, 3)
        assert "Rate this 8D" not in client.get(accepted_claim.get_absolute_url()).content.decode()
        assert self._rate(client, accepted_claim).status_code == 409

    def test_no_link_before_the_decision(self, client_for, user_a, evaluation):
        client = client_for(user_a)
        assert "Rate this 8D" not in client.get(evaluation.get_absolute_url()).content.decode()
        assert self._rate(client, evaluation).status_code == 409

    def test_values_out_of_range_are_refused_on_the_form(self, client_for, user_a, accepted_claim):
        page = self._rate(client_for(user_a), accepted_claim, speed=7)
        assert page.status_code == 400 and not EightDRating.objects.exists()

    def test_another_customers_claim_is_not_found(self, client_for, user_b, accepted_claim):
        client = client_for(user_b)
        url = reverse("surveys:claim-rate", args=[accepted_claim.pk])
        assert client.get(url).status_code == 404
        assert self._rate(client, accepted_claim).status_code == 404

    def test_staff_read_the_ratings(self, client_for, engineer, user_a, accepted_claim):
        self._rate(client_for(user_a), accepted_claim)
        client = client_for(engineer)
        url = reverse("surveys:claim-rate", args=[accepted_claim.pk])
        assert url in client.get(accepted_claim.get_absolute_url()).content.decode()
        page = client.get(url)
        assert page.status_code == 200 and "Clear" in page.content.decode()
        assert self._rate(client, accepted_claim).status_code == 403
