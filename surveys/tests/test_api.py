"""Surveys over the API: campaigns and results for staff, answering and rating for customers,
another customer's records a 404."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import Action
from surveys.models import Campaign, EightDRating, Invitation, Response

from .factories import good_answers

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/api/v1/surveys/campaigns/"
INVITATIONS = "/api/v1/surveys/invitations/"
RESPONSES = "/api/v1/surveys/responses/"
RATINGS = "/api/v1/surveys/8d-ratings/"


def _body(questions, **overrides) -> dict:
    return {
        "answers": [
            {"question": pk, "text": value}
            if isinstance(value, str)
            else {"question": pk, "value": value}
            for pk, value in good_answers(questions, **overrides).items()
        ]
    }


def _token(campaign, user) -> str:
    return Invitation.objects.get(campaign=campaign, user=user).token


class TestCampaigns:
    def test_a_manager_plans_opens_and_closes_a_campaign(
        self, api_client_for, manager, customer_a, template, user_a
    ):
        api = api_client_for(manager)
        today = timezone.localdate()
        created = api.post(
            CAMPAIGNS,
            {
                "customer": customer_a.pk,
                "template": template.pk,
                "opens_on": today.isoformat(),
                "closes_on": (today + dt.timedelta(days=20)).isoformat(),
            },
        )
        assert created.status_code == 201, created.json()
        body = created.json()
        assert body["status"] == "planned" and body["number"].startswith("SRV-")
        opened = api.post(f"{CAMPAIGNS}{body['id']}/open/", {"version": body["version"]})
        assert opened.status_code == 200 and opened.json()["status"] == "open"
        assert opened.json()["invited"] == 1
        stale = api.post(f"{CAMPAIGNS}{body['id']}/close/", {"version": body["version"]})
        assert stale.status_code == 409
        closed = api.post(f"{CAMPAIGNS}{body['id']}/close/", {})
        assert closed.json()["status"] == "closed"

    def test_engineers_read_but_do_not_plan(self, api_client_for, engineer, customer_a, template):
        api = api_client_for(engineer)
        assert api.get(CAMPAIGNS).status_code == 200
        refused = api.post(CAMPAIGNS, {"customer": customer_a.pk, "template": template.pk})
        assert refused.status_code == 403

    def test_a_customer_reads_their_own_campaigns_only(
        self, api_client_for, user_a, user_b, campaign
    ):
        assert [row["id"] for row in api_client_for(user_a).get(CAMPAIGNS).json()["results"]] == [
            campaign.pk
        ]
        api_b = api_client_for(user_b)
        assert api_b.get(CAMPAIGNS).json()["results"] == []
        assert api_b.get(f"{CAMPAIGNS}{campaign.pk}/").status_code == 404
        assert api_b.post(f"{CAMPAIGNS}{campaign.pk}/answer/", {"answers": []}).status_code == 404
        assert api_client_for(user_a).get(f"{CAMPAIGNS}{campaign.pk}/results/").status_code == 403

    def test_the_results(self, api_client_for, engineer, campaign, user_a, colleague_a, questions):
        api = api_client_for(user_a)
        assert (
            api.post(f"{CAMPAIGNS}{campaign.pk}/answer/", _body(questions, nps=10)).status_code
            == 201
        )
        api_client_for(colleague_a).post(
            f"{INVITATIONS}{_token(campaign, colleague_a)}/answer/", _body(questions, nps=6)
        )
        results = api_client_for(engineer).get(f"{CAMPAIGNS}{campaign.pk}/results/").json()
        assert (results["csat"], results["nps"], results["responses"], results["invited"]) == (
            "100.0",
            0,
            2,
            2,
        )
        assert results["response_rate"] == "100.0"
        nps = next(q for q in results["questions"] if q["kind"] == "nps")
        assert [row["count"] for row in nps["distribution"]] == [0] * 6 + [1, 0, 0, 0, 1]
        assert len(results["follow_up_actions"]) == 1
        assert Action.objects.get(pk=results["follow_up_actions"][0]).kind == "follow_up"


class TestAnswering:
    def test_open_invitations_and_answering_by_token(
        self, api_client_for, user_a, campaign, questions
    ):
        api = api_client_for(user_a)
        [invitation] = api.get(INVITATIONS).json()["results"]
        assert invitation["campaign"]["id"] == campaign.pk
        assert [q["kind"] for q in invitation["questions"]][:5] == ["scale_5"] * 4 + ["nps"]
        token = invitation["token"]
        assert api.get(f"{INVITATIONS}{token}/").status_code == 200
        first = api.post(f"{INVITATIONS}{token}/answer/", _body(questions))
        assert first.status_code == 201
        again = api.post(f"{INVITATIONS}{token}/answer/", _body(questions, nps=8))
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
        assert Response.objects.count() == 1
        mine = api.get(RESPONSES).json()["results"]
        assert [row["id"] for row in mine] == [first.json()["id"]]

    def test_invalid_answers_are_400_by_question(self, api_client_for, user_a, campaign, questions):
        body = _body(questions)
        body["answers"][0]["value"] = 6
        answer = api_client_for(user_a).post(
            f"{INVITATIONS}{_token(campaign, user_a)}/answer/", body
        )
        assert answer.status_code == 400
        assert f"q{body['answers'][0]['question']}" in answer.json()
        too_long = _body(questions, text="x" * 2001)
        refused = api_client_for(user_a).post(f"{CAMPAIGNS}{campaign.pk}/answer/", too_long)
        assert refused.status_code == 400
        assert not Response.objects.exists()

    def test_a_closed_campaign_is_409(self, api_client_for, user_a, manager, campaign, questions):
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
        answer = api_client_for(user_a).post(f"{CAMPAIGNS}{campaign.pk}/answer/", _body(questions))
        assert answer.status_code == 409
        assert api_client_for(user_a).get(INVITATIONS).json()["results"] == []

    def test_another_users_token_is_not_found(
        self, api_client_for, user_a, colleague_a, user_b, engineer, campaign, questions
    ):
        token = _token(campaign, user_a)
        for other in (colleague_a, user_b, engineer):
            api = api_client_for(other)
            assert api.get(f"{INVITATIONS}{token}/").status_code == 404
            assert api.post(f"{INVITATIONS}{token}/answer/", _body(questions)).status_code in (
                403,
                404,
            )
        assert not Response.objects.exists()

    def test_responses_of_another_customer_are_not_found(
        self, api_client_for, user_a, user_b, campaign, questions
    ):
        response = api_client_for(user_a).post(
            f"{CAMPAIGNS}{campaign.pk}/answer/", _body(questions)
        )
        pk = response.json()["id"]
        assert api_client_for(user_b).get(f"{RESPONSES}{pk}/").status_code == 404
        assert api_client_for(user_b).get(RESPONSES).json()["results"] == []


class TestRatings:
    def test_the_customer_rates_an_accepted_8d(self, api_client_for, user_a, accepted_claim):
        api = api_client_for(user_a)
        body = {"claim": accepted_claim.pk, "speed": 5, "analysis": 4, "communication": 4}
        created = api.post(RATINGS, body)
        assert created.status_code == 201, created.json()
        assert (created.json()["decision"], created.json()["round"]) == ("accepted", 1)
        again = api.post(RATINGS, body)
        assert again.status_code == 409, again.json()
        assert [row["id"] for row in api.get(RATINGS).json()["results"]] == [created.json()["id"]]

    def test_refusals(self, api_client_for, user_a, user_b, engineer, evaluation, accepted_claim):
        body = {"claim": accepted_claim.pk, "speed": 6, "analysis": 4, "communication": 4}
        assert api_client_for(user_a).post(RATINGS, body).status_code == 400
        body["speed"] = 3
        assert api_client_for(user_b).post(RATINGS, body).status_code == 400  # not their claim
        assert api_client_for(engineer).post(RATINGS, body).status_code == 403
        assert not EightDRating.objects.exists()
