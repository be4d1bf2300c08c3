"""One customer's survey campaign, answered, and a rated 8D: the sweep keeps them in
``side.extra``.

The campaign is open and the side's user invited and answered (with the side's marker in the
campaign's title and the comment). A second claim of the side, its 8D accepted by the customer,
carries the customer's rating: the first claim stays in its 8D for the claim routes.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from claims import services as claims
from claims.models import Claim, EightDStep
from claims.tests.factories import claim_fields, fill_step
from surveys import defaults
from surveys import services as surveys
from surveys.models import Invitation


def build(side, *, engineer, manager) -> None:
    marker = side.secret
    template = defaults.default_template()
    today = timezone.localdate()
    campaign = surveys.campaign_create(
        actor=manager,
        customer=side.customer,
        template=template,
        title=f"{marker} survey",
        opens_on=today,
        closes_on=today + dt.timedelta(days=27),
    )
    campaign = surveys.campaign_open(campaign=campaign, actor=manager)
    answers = {}
    for question in template.questions.order_by("position"):
        if question.is_text:
            answers[question.pk] = f"{marker} comment"
        else:
            answers[question.pk] = 9 if question.is_nps else 4
    response = surveys.response_submit(campaign=campaign, actor=side.user, answers=answers)
    claim = _accepted_claim(side, engineer)
    rating = surveys.eight_d_rate(
        claim=claim,
        actor=side.user,
        speed=4,
        analysis=4,
        communication=5,
        comment=f"{marker} rated",
    )
    side.extra.update(
        survey_campaign=campaign,
        survey_invitation=Invitation.objects.get(campaign=campaign, user=side.user),
        survey_response=response,
        rated_claim=claim,
        survey_rating=rating,
    )


def _accepted_claim(side, engineer) -> Claim:
    """A claim of the side whose 8D its customer accepted: D0–D7 done, D8 submitted, accepted."""
    claim = claims.claim_file(
        actor=side.user,
        customer=side.customer,
        part=side.part,
        **claim_fields(symptom=f"{side.secret} rated 8D", customer_reference=f"{side.secret}-R"),
    )
    claims.claim_assign(claim=claim, engineer=engineer, actor=engineer)
    claims.claim_acknowledge(claim=claim, actor=engineer)
    claims.claim_start_review(claim=claim, actor=engineer)
    claims.claim_accept_responsibility(claim=claim, actor=engineer)
    # The 8D's own flow is swept on the side's first claim; this one only needs its outcome.
    claim.steps.exclude(code="D8").update(status=EightDStep.Status.APPROVED)
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.CUSTOMER_EVALUATION)
    fill_step(claim, "D8", engineer)
    claims.step_submit(step=claim.steps.get(code="D8"), actor=engineer)
    claims.claim_customer_accept(claim=claim, actor=side.user)
    claim.refresh_from_db()
    return claim
