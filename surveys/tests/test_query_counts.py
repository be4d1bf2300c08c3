"""The results page, the results over time and the campaign lists cost the same queries for a few
or for hundreds of answers and campaigns."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core.models import Action
from surveys import services
from surveys.models import Answer, Campaign, Invitation, Question, Response

from .factories import good_answers

pytestmark = pytest.mark.django_db

MANY = 300


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries)


def _after_a_write(client, url) -> int:
    """The queries of a view right after the surveys changed: counts are read again, as they
    will be after the bulk rows; per-process caches (content types, …) are filled already."""
    _queries(client, url)
    Campaign.objects.update(title=F("title"))
    Response.objects.update(updated_at=F("updated_at"))
    return _queries(client, url)


def _bulk_responses(campaign, questions, engineer, count: int) -> None:
    """``count`` more users of the campaign's customer, each invited, answering, some low."""
    users = User.objects.bulk_create(
        User(
            email=f"bulk{index}@autowerk.example",
            full_name=f"Bulk {index}",
            role=Role.CUSTOMER,
            customer_id=campaign.customer_id,
        )
        for index in range(count)
    )
    now = timezone.now()
    Invitation.objects.bulk_create(
        Invitation(
            campaign=campaign,
            customer_id=campaign.customer_id,
            user=user,
            token=f"{index:043d}",
            sent_at=now,
            answered_at=now,
        )
        for index, user in enumerate(users)
    )
    responses = Response.objects.bulk_create(
        Response(campaign=campaign, customer_id=campaign.customer_id, user=user, submitted_at=now)
        for user in users
    )
    rows = []
    for index, response in enumerate(responses):
        for question in (q for kind in questions.values() for q in kind):
            value = choice = None
            text = ""
            if question.kind == Question.Kind.TEXT:
                text = f"Comment {index}"
            else:
                value = index % 11 if question.is_nps else index % 5 + 1
            rows.append(
                Answer(
                    response=response,
                    customer_id=campaign.customer_id,
                    question=question,
                    value=value,
                    choice=choice,
                    text=text,
                )
            )
    Answer.objects.bulk_create(rows)
    response_type = ContentType.objects.get_for_model(Response)
    Action.objects.bulk_create(
        Action(
            content_type=response_type,
            object_id=response.pk,
            title="Follow up",
            kind=Action.Kind.FOLLOW_UP,
            owner=engineer,
            due_date=timezone.localdate(),
            internal_only=True,
        )
        for response in responses[::10]
    )


def test_the_results_page_and_endpoint_do_not_grow_with_the_answers(
    client_for, api_client_for, engineer, campaign, user_a, colleague_a, questions, responsible
):
    services.response_submit(campaign=campaign, actor=user_a, answers=good_answers(questions))
    low = good_answers(questions, nps=2)
    services.response_submit(campaign=campaign, actor=colleague_a, answers=low)
    page = client_for(engineer)
    api = api_client_for(engineer)
    targets = [
        (page, campaign.get_absolute_url()),
        (api, f"/api/v1/surveys/campaigns/{campaign.pk}/results/"),
        (api, "/api/v1/surveys/responses/"),
    ]
    few = [_after_a_write(client, url) for client, url in targets]

    _bulk_responses(campaign, questions, engineer, MANY)
    assert Response.objects.filter(campaign=campaign).count() == MANY + 2

    assert [_queries(client, url) for client, url in targets] == few


def _bulk_campaigns(campaign, count: int) -> None:
    Campaign.objects.bulk_create(
        Campaign(
            number=f"SRV-T-{index:05d}",
            customer_id=campaign.customer_id,
            template_id=campaign.template_id,
            title=f"Bulk {index}",
            opens_on=campaign.opens_on - dt.timedelta(days=index + 1),
            closes_on=campaign.opens_on - dt.timedelta(days=index + 1),
            status=Campaign.Status.CLOSED,
            created_by=campaign.created_by,
        )
        for index in range(count)
    )


@pytest.mark.parametrize("viewer", ["engineer", "user_a"])
def test_the_campaign_lists_do_not_grow_with_the_campaigns(
    request, client, api_client_for, campaign, viewer
):
    user = request.getfixturevalue(viewer)
    client.force_login(user)
    targets = [(api_client_for(user), "/api/v1/surveys/campaigns/")]
    if viewer == "engineer":
        targets += [
            (client, reverse("surveys:campaign-list")),
            (client, reverse("surveys:customer-results", args=[campaign.customer_id])),
        ]
    else:
        targets += [(client, reverse("surveys:my-surveys"))]
    few = [_after_a_write(c, url) for c, url in targets]

    _bulk_campaigns(campaign, MANY)

    assert [_queries(c, url) for c, url in targets] == few
