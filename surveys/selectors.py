"""Reads of surveys: lists, a campaign's results, results over time, CSAT for the scorecard.

Every figure goes through ``surveys.scores`` (REFERENCE §6). The results of a campaign and the
results over time read a fixed number of queries whatever the number of answers: the answers are
read as plain values and counted here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import Action
from core.tenancy import customer_id_of, is_internal

from . import scores
from .models import (
    Answer,
    Campaign,
    EightDRating,
    Invitation,
    Question,
    Response,
    SurveyTemplate,
)

# The 8D decisions of the customer that can be rated, as the claim's timeline names them.
ACCEPTED_8D = ("customer_accept_8d", "customer_accept_provisionally")
REJECTED_8D = "customer_reject_8d"
RATED_DECISIONS = (*ACCEPTED_8D, REJECTED_8D)
RATEABLE_STATUSES = ("closed", "provisionally_closed")


# --- the public figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """CSAT in % (top-two-box), the mean of the 1–5 values, and how many values they pool."""

    value: Decimal | None
    mean: Decimal | None
    answers: int


def csat_for(*, customer_id: int | None, start: dt.datetime, end: dt.datetime) -> Score:
    """CSAT of one customer (every customer when None) over [start, end).

    Pools every 1–5 answer of the survey responses submitted in the period and the three 1–5
    values (speed, analysis, communication) of each 8D rating given in it.
    """
    answers = Answer.objects.filter(
        question__kind=Question.Kind.SCALE_5,
        value__isnull=False,
        response__submitted_at__gte=start,
        response__submitted_at__lt=end,
    )
    ratings = EightDRating.objects.filter(created_at__gte=start, created_at__lt=end)
    if customer_id is not None:
        answers = answers.filter(customer_id=customer_id)
        ratings = ratings.filter(customer_id=customer_id)
    values = list(answers.values_list("value", flat=True))
    for triple in ratings.values_list("speed", "analysis", "communication"):
        values.extend(triple)
    return Score(value=scores.csat(values), mean=scores.mean(values), answers=len(values))


def latest_campaign_figures(customer_id: int | None) -> dict | None:
    """CSAT, NPS, responses and invited of the latest campaign that took answers.

    For one customer: their latest open or closed campaign. For every customer (None): each
    customer's latest campaign, pooled (``campaign`` is then None). None when there is none.
    """
    taken = Campaign.objects.exclude(status=Campaign.Status.PLANNED)
    if customer_id is not None:
        campaign = taken.filter(customer_id=customer_id).order_by("-opens_on", "-pk").first()
        if campaign is None:
            return None
        campaigns = [campaign]
    else:
        campaign = None
        latest = taken.filter(customer_id=OuterRef("customer_id")).order_by("-opens_on", "-pk")
        campaigns = list(taken.filter(pk=Subquery(latest.values("pk")[:1])))
        if not campaigns:
            return None
    figures = _figures_of([c.pk for c in campaigns])
    pooled = _pool(figures.values())
    return {
        "campaign": campaign,
        "csat": pooled.csat,
        "csat_mean": pooled.mean,
        "nps": pooled.nps,
        "responses": pooled.responses,
        "invited": pooled.invited,
    }


# --- campaigns -----------------------------------------------------------------------------------


def campaigns_for_list(user):
    """The campaigns ``user`` may see, with their counts of invited users and responses."""
    return with_counts(Campaign.objects.visible_to(user).with_related()).order_by(
        "-opens_on", "-pk"
    )


def with_counts(campaigns):
    """``invited`` and ``answered`` of each campaign, as sub-queries (no row per invitation)."""
    return campaigns.annotate(
        invited=_count_of(Invitation, "campaign"), answered=_count_of(Response, "campaign")
    )


def _count_of(model, field_name: str):
    rows = (
        model.objects.filter(**{field_name: OuterRef("pk")})
        .order_by()
        .values(field_name)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def templates_for_list():
    return SurveyTemplate.objects.annotate(
        question_count=Count("questions", distinct=True),
        campaign_count=Count("campaigns", distinct=True),
    ).order_by("-is_active", "name")


def open_invitations(user, today: dt.date | None = None):
    """The invitations of ``user`` to campaigns that take answers today."""
    today = today or timezone.localdate()
    return (
        Invitation.objects.visible_to(user)
        .filter(
            user=user,
            campaign__status=Campaign.Status.OPEN,
            campaign__closes_on__gte=today,
        )
        .select_related("campaign", "campaign__template")
        .order_by("campaign__closes_on", "pk")
    )


def responses_of(user):
    """The responses ``user`` gave, newest first, with their campaign."""
    return (
        Response.objects.visible_to(user)
        .filter(user=user)
        .select_related("campaign")
        .order_by("-submitted_at", "-pk")
    )


def invitation_for(user, token: str) -> Invitation | None:
    """The invitation of the personal link ``token``, only for the user it was sent to."""
    if not customer_id_of(user) or is_internal(user):
        return None
    return (
        Invitation.objects.visible_to(user)
        .filter(token=token, user=user)
        .select_related("campaign", "campaign__template", "campaign__customer")
        .first()
    )


def answers_by_question(response: Response | None) -> dict[int, Answer]:
    if response is None:
        return {}
    return {answer.question_id: answer for answer in response.answers.all()}


# --- results -------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    answers: int = 0
    csat: Decimal | None = None
    mean: Decimal | None = None
    nps: int | None = None
    # (value or choice label, count, share %) in the scale's order.
    distribution: list = field(default_factory=list)
    # NPS: promoters, passives, detractors.
    groups: tuple[int, int, int] | None = None
    comments: list = field(default_factory=list)


@dataclass
class CampaignFigures:
    """The pooled figures of one or more campaigns."""

    scale_values: list[int] = field(default_factory=list)
    nps_values: list[int] = field(default_factory=list)
    responses: int = 0
    invited: int = 0

    @property
    def csat(self) -> Decimal | None:
        return scores.csat(self.scale_values)

    @property
    def mean(self) -> Decimal | None:
        return scores.mean(self.scale_values)

    @property
    def nps(self) -> int | None:
        return scores.nps(self.nps_values)

    @property
    def response_rate(self) -> Decimal | None:
        if not self.invited:
            return None
        return scores.share(self.responses, self.invited)


@dataclass
class CampaignResults:
    campaign: Campaign
    overall: CampaignFigures
    questions: list[QuestionResult]
    actions: list


def campaign_results(campaign: Campaign) -> CampaignResults:
    """The results page of one campaign: overall CSAT and NPS, each question, the follow-ups."""
    questions = list(campaign.template.questions.order_by("position"))
    results = {question.pk: QuestionResult(question) for question in questions}
    values: dict[int, list[int]] = defaultdict(list)
    rows = Answer.objects.filter(response__campaign=campaign).values_list(
        "question_id", "value", "choice"
    )
    for question_id, value, choice in rows:
        result = results.get(question_id)
        kept = choice if result is not None and result.question.is_choice else value
        if kept is not None:
            values[question_id].append(kept)
    comments = (
        Answer.objects.filter(response__campaign=campaign)
        .exclude(text="")
        .select_related("response__user")
        .order_by("response__submitted_at", "pk")
    )
    for answer in comments:
        if answer.question_id in results:
            results[answer.question_id].comments.append(answer)
    overall = CampaignFigures(
        responses=campaign.responses.count(), invited=campaign.invitations.count()
    )
    for question in questions:
        _fill(results[question.pk], values[question.pk], overall)
    return CampaignResults(
        campaign=campaign,
        overall=overall,
        questions=[results[question.pk] for question in questions],
        actions=follow_up_actions(campaign),
    )


def _fill(result: QuestionResult, values: list[int], overall: CampaignFigures) -> None:
    question = result.question
    result.answers = len(values) if not question.is_text else len(result.comments)
    if question.is_scale:
        overall.scale_values.extend(values)
        result.csat, result.mean = scores.csat(values), scores.mean(values)
        result.distribution = scores.distribution(values, question.scale)
    elif question.is_nps:
        overall.nps_values.extend(values)
        result.nps, result.mean = scores.nps(values), scores.mean(values)
        result.distribution = scores.distribution(values, question.scale)
        promoters = sum(1 for value in values if value in scores.PROMOTERS)
        detractors = sum(1 for value in values if value <= scores.DETRACTOR_MAX)
        result.groups = (promoters, len(values) - promoters - detractors, detractors)
    elif question.is_choice:
        labels = question.choice_labels
        counted = scores.distribution(values, range(len(labels)))
        result.distribution = [(labels[index], n, share) for index, n, share in counted]


def follow_up_actions(campaign: Campaign) -> list[Action]:
    """The follow-up actions raised by the campaign's low answers, with their owners."""
    response_type = ContentType.objects.get_for_model(Response)
    response_ids = campaign.responses.values("pk")
    return list(
        Action.objects.filter(
            content_type=response_type,
            object_id__in=response_ids,
            kind=Action.Kind.FOLLOW_UP,
        )
        .select_related("owner")
        .order_by("due_date", "pk")
    )


def _figures_of(campaign_ids: list[int]) -> dict[int, CampaignFigures]:
    """Each campaign's pooled answers, responses and invitations, in three queries."""
    figures = {pk: CampaignFigures() for pk in campaign_ids}
    rows = Answer.objects.filter(
        response__campaign_id__in=campaign_ids,
        value__isnull=False,
        question__kind__in=(Question.Kind.SCALE_5, Question.Kind.NPS),
    ).values_list("response__campaign_id", "question__kind", "value")
    for campaign_id, kind, value in rows:
        target = figures[campaign_id]
        (target.scale_values if kind == Question.Kind.SCALE_5 else target.nps_values).append(value)
    for model, name in ((Response, "responses"), (Invitation, "invited")):
        counts = (
            model.objects.filter(campaign_id__in=campaign_ids)
            .order_by()
            .values("campaign_id")
            .annotate(n=Count("pk"))
        )
        for row in counts:
            setattr(figures[row["campaign_id"]], name, row["n"])
    return figures


def _pool(figures) -> CampaignFigures:
    pooled = CampaignFigures()
    for one in figures:
        pooled.scale_values += one.scale_values
        pooled.nps_values += one.nps_values
        pooled.responses += one.responses
        pooled.invited += one.invited
    return pooled


@dataclass(frozen=True)
class TrendRow:
    campaign: Campaign
    figures: CampaignFigures


def customer_trend(customer) -> list[TrendRow]:
    """CSAT and NPS of each of the customer's campaigns that took answers, oldest first."""
    campaigns = list(
        Campaign.objects.filter(customer=customer)
        .exclude(status=Campaign.Status.PLANNED)
        .select_related("template")
        .order_by("opens_on", "pk")
    )
    figures = _figures_of([campaign.pk for campaign in campaigns])
    return [TrendRow(campaign, figures[campaign.pk]) for campaign in campaigns]


# --- 8D ratings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingState:
    """Whether a claim's 8D can be rated now, and which decision (round) a rating would rate."""

    round: int
    decision: str
    allowed: bool
    rating: EightDRating | None

    @property
    def open(self) -> bool:
        """A rating can be given now: the decision is rateable and not rated yet."""
        return self.allowed and self.rating is None


def rating_state(claim, events=None) -> RatingState:
    """The claim's latest 8D decision by the customer and its rating, if any.

    ``events``: the claim's decision events (actions, oldest first) when the caller has them.
    Rateable once the customer accepted the 8D (the claim is closed, or closed provisionally) or
    rejected it; each decision is its own round.
    """
    if events is None:
        events = list(
            claim.events.filter(action__in=RATED_DECISIONS)
            .order_by("created_at", "pk")
            .values_list("action", flat=True)
        )
    if not events:
        return RatingState(round=0, decision="", allowed=False, rating=None)
    decision = (
        EightDRating.Decision.REJECTED
        if events[-1] == REJECTED_8D
        else EightDRating.Decision.ACCEPTED
    )
    allowed = claim.status in RATEABLE_STATUSES or REJECTED_8D in events
    rating = EightDRating.objects.filter(claim=claim, round=len(events)).first()
    return RatingState(round=len(events), decision=decision, allowed=allowed, rating=rating)


def ratings_of(claim, user):
    return EightDRating.objects.visible_to(user).filter(claim=claim).with_related()
