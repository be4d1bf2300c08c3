"""Every write to surveys goes through here (DESIGN §4).

Campaigns are planned, opened and closed under a lock on the campaign, with an event on its
timeline; opening one invites the customer's users, each through a personal link sent as a
notification (mailed through the outbox). A user's answers are one response per campaign,
changeable until the campaign closes; a low answer raises one follow-up action for the customer's
responsible engineer. The customer's users rate an 8D once per decision they took on it.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.roles import INTERNAL_ROLES, Role
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Action
from core.numbering import next_number
from core.records import services as records
from core.records.transitions import transition
from core.services import action_raise
from core.tenancy import customer_id_of, is_internal
from notifications.recipients import quality_managers

from . import defaults, notifications, selectors
from .models import (
    NPS_MAX,
    NPS_MIN,
    SCALE_MAX,
    SCALE_MIN,
    TEXT_ANSWER_MAX,
    Answer,
    Campaign,
    CampaignEvent,
    EightDRating,
    Invitation,
    Question,
    Response,
    SurveySchedule,
    SurveyTemplate,
)
from .workflow import ANSWER, CAMPAIGN_WORKFLOW, MANAGE

logger = logging.getLogger(__name__)

# A follow-up of a low answer is due this many days after it was given.
FOLLOW_UP_DAYS = 14
# The personal link's token: 32 random bytes, 43 URL-safe characters.
TOKEN_BYTES = 32


# --- locking -------------------------------------------------------------------------------------


def _locked(campaign: Campaign, expected_version=None) -> Campaign:
    return records.locked(
        Campaign.objects.select_related("customer", "template"), campaign.pk, expected_version
    )


writes_campaign = records.writes("campaign", _locked)
_transition = partial(transition, workflow=CAMPAIGN_WORKFLOW, events=CampaignEvent)
_event = partial(records.record_event, CampaignEvent)


def _require_manager(actor) -> None:
    """Our quality managers plan and move campaigns; the daily run (no actor) does too."""
    if actor is not None:
        records.require_capability(actor, MANAGE)


# --- campaigns -----------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    actor,
    customer,
    template: SurveyTemplate,
    opens_on: dt.date,
    closes_on: dt.date,
    title: str = "",
    reminder_after_days: int = 7,
    schedule: SurveySchedule | None = None,
) -> Campaign:
    """Plan a campaign for ``customer``; the daily run opens it on ``opens_on``."""
    _require_manager(actor)
    if customer is None:
        raise DomainError(_("Choose the customer to ask."), field="customer")
    if template is None or not template.is_active:
        raise DomainError(_("Choose an active questionnaire."), field="template")
    if opens_on is None or closes_on is None:
        raise DomainError(_("Give the days the campaign opens and closes."), field="opens_on")
    if closes_on < opens_on:
        raise DomainError(_("A campaign closes on or after the day it opens."), field="closes_on")
    if closes_on < timezone.localdate():
        raise DomainError(_("A campaign cannot close in the past."), field="closes_on")
    if not 1 <= int(reminder_after_days or 0) <= 90:
        raise DomainError(_("Remind after 1 to 90 days."), field="reminder_after_days")
    if Campaign.objects.filter(customer=customer, opens_on=opens_on).exists():
        raise DomainError(
            _("This customer has a survey campaign opening on that day already."),
            field="opens_on",
        )
    title = (title or "").strip()[:200] or default_title(opens_on)
    campaign = Campaign(
        customer=customer,
        template=template,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        reminder_after_days=int(reminder_after_days),
        schedule=schedule,
        created_by=actor,
    )
    campaign.number = next_number("SRV", year=opens_on.year)
    records.validate(campaign, exclude=["created_by", "schedule"])
    records.save_new(campaign, actor, _("Planned"))
    _event(campaign, actor, "create", to_status=campaign.status)
    return campaign


def default_title(opens_on: dt.date) -> str:
    quarter = (opens_on.month - 1) // 3 + 1
    return _("Customer satisfaction Q%(quarter)s %(year)s") % {
        "quarter": quarter,
        "year": opens_on.year,
    }


@writes_campaign
def campaign_open(*, campaign: Campaign, actor=None) -> Campaign:
    """Open the campaign for answers and invite the customer's users."""
    _require_manager(actor)
    CAMPAIGN_WORKFLOW.check("open", state=campaign.status)
    if campaign.closes_on < timezone.localdate():
        raise Conflict(_("This campaign's closing day has passed: it cannot be opened."))
    campaign.opened_at = timezone.now()
    _transition(campaign, actor, "open", ["opened_at"], check_actor=False)
    _invite(campaign, actor)
    return campaign


@writes_campaign
def campaign_close(*, campaign: Campaign, actor=None) -> Campaign:
    """No more answers: the responses stand as given."""
    _require_manager(actor)
    CAMPAIGN_WORKFLOW.check("close", state=campaign.status)
    campaign.closed_at = timezone.now()
    return _transition(campaign, actor, "close", ["closed_at"], check_actor=False)


@writes_campaign
def campaign_invite(*, campaign: Campaign, actor=None) -> int:
    """Invite the customer's users not asked yet (new colleagues); how many were told."""
    _require_manager(actor)
    if not campaign.is_open:
        raise Conflict(_("Invitations go out while the campaign is open."))
    return _invite(campaign, actor)


def eligible_users(customer_id: int):
    """Who a campaign asks: the customer's active portal users with an e-mail address."""
    return (
        get_user_model()
        .objects.filter(customer_id=customer_id, role=Role.CUSTOMER, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _invite(campaign: Campaign, actor) -> int:
    """Create the missing invitations, then send each unsent one exactly once.

    The unsent invitations are locked and skipped when another run holds them: two runs at the
    same moment send each invitation once, and ``sent_at`` tells every later run it went out.
    """
    asked = set(campaign.invitations.values_list("user_id", flat=True))
    new = [
        Invitation(
            campaign=campaign, customer_id=campaign.customer_id, user=user, token=_new_token()
        )
        for user in eligible_users(campaign.customer_id)
        if user.pk not in asked
    ]
    for invitation in new:
        _insert_unless_there(invitation, actor)
    unsent = list(
        Invitation.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(campaign=campaign, sent_at__isnull=True, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    now = timezone.now()
    for invitation in unsent:
        invitation.campaign = campaign
        invitation.sent_at = now
        records.save(invitation, actor, _("Invitation sent"), ["sent_at"])
        notifications.invitation_sent(invitation, actor)
    if unsent:
        _event(campaign, actor, "invite", comment=str(len(unsent)))
    return len(unsent)


def _insert_unless_there(invitation: Invitation, actor) -> None:
    """A concurrent run may have invited the same user a moment ago: theirs stands."""
    try:
        with transaction.atomic():
            records.save_new(invitation, actor, _("Invited"))
    except IntegrityError:
        if not Invitation.objects.filter(
            campaign_id=invitation.campaign_id, user_id=invitation.user_id
        ).exists():
            raise


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@writes_campaign
def campaign_remind(*, campaign: Campaign, actor=None, now: dt.datetime | None = None) -> int:
    """Remind once those who have not answered ``reminder_after_days`` after their invitation."""
    _require_manager(actor)
    if not campaign.is_open:
        return 0
    now = now or timezone.now()
    due = now - dt.timedelta(days=campaign.reminder_after_days)
    invitations = list(
        Invitation.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            campaign=campaign,
            sent_at__lte=due,
            reminded_at__isnull=True,
            answered_at__isnull=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
    )
    for invitation in invitations:
        invitation.campaign = campaign
        invitation.reminded_at = now
        records.save(invitation, actor, _("Reminder sent"), ["reminded_at"])
        notifications.reminder_sent(invitation)
    if invitations:
        _event(campaign, actor, "remind", comment=str(len(invitations)))
    return len(invitations)


# --- answers -------------------------------------------------------------------------------------


@transaction.atomic
def response_submit(*, campaign: Campaign, actor, answers: Mapping) -> Response:
    """Save ``actor``'s answers (question id → value): one response per user and campaign.

    Every answer is checked first (its range, the required ones, the length of a text); nothing is
    saved while one is refused. Given again, the answers replace the earlier ones until the
    campaign closes.
    """
    campaign = _locked(campaign)
    _require_answerer(campaign, actor)
    if campaign.status == Campaign.Status.PLANNED:
        raise Conflict(_("This survey is not open yet."))
    if not campaign.is_open or campaign.closes_on < timezone.localdate():
        raise Conflict(_("This survey is closed: answers can no longer be given or changed."))
    invitation = _invitation_of(campaign, actor)
    questions = list(campaign.template.questions.order_by("position"))
    cleaned = clean_answers(questions, answers)
    now = timezone.now()
    response = Response.objects.select_for_update().filter(campaign=campaign, user=actor).first()
    if response is None:
        response = Response(
            campaign=campaign, customer_id=campaign.customer_id, user=actor, submitted_at=now
        )
        records.save_new(response, actor, _("Answered"))
    else:
        records.save(response, actor, _("Answers changed"), [])
    response.campaign = campaign
    _save_answers(response, questions, cleaned, actor)
    if invitation.answered_at is None:
        invitation.answered_at = now
        records.save(invitation, actor, _("Answered"), ["answered_at"])
    _follow_up(response, questions, cleaned, actor)
    return response


_NOT_INVITED = _lazy("Only the customer's users invited to this survey answer it.")


def _require_answerer(campaign: Campaign, actor) -> None:
    if (
        actor is None
        or is_internal(actor)
        or customer_id_of(actor) != campaign.customer_id
        or not actor.has_capability(ANSWER)
    ):
        raise PermissionDenied(str(_NOT_INVITED))


def _invitation_of(campaign: Campaign, actor) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update().filter(campaign=campaign, user=actor).first()
    )
    if invitation is None:
        raise PermissionDenied(str(_NOT_INVITED))
    return invitation


def clean_answers(questions: list[Question], given: Mapping) -> dict[int, dict]:
    """The answers as the columns they are stored in, by question id; refused with every problem
    at once (``ValidationError`` by field ``q<id>``)."""
    given = {str(key): value for key, value in (given or {}).items()}
    known = {str(question.pk) for question in questions}
    errors: dict[str, str] = {}
    unknown = sorted(set(given) - known)
    if unknown:
        errors["answers"] = _("These are not questions of this survey: %(ids)s.") % {
            "ids": ", ".join(unknown)
        }
    cleaned: dict[int, dict] = {}
    for question in questions:
        raw = given.get(str(question.pk))
        try:
            columns = _clean_one(question, raw)
        except DomainError as error:
            errors[f"q{question.pk}"] = error.message
            continue
        if columns is None:
            if question.required:
                errors[f"q{question.pk}"] = _("Please answer this question.")
            continue
        cleaned[question.pk] = columns
    if errors:
        raise ValidationError(errors)
    return cleaned


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _clean_one(question: Question, raw) -> dict | None:
    """The stored columns of one answer, None for no answer; ``DomainError`` when refused."""
    if _blank(raw):
        return None
    if question.is_text:
        if not isinstance(raw, str):
            raise DomainError(_("Write the answer as text."))
        text = raw.strip()
        if len(text) > TEXT_ANSWER_MAX:
            raise DomainError(
                _("Please keep the answer to %(max)s characters (it has %(length)s).")
                % {"max": TEXT_ANSWER_MAX, "length": len(text)}
            )
        return {"value": None, "choice": None, "text": text}
    number = _whole_number(raw)
    if question.is_choice:
        if number is None or not 0 <= number < len(question.choices or ()):
            raise DomainError(_("Choose one of the answers offered."))
        return {"value": None, "choice": number, "text": ""}
    low, high = (NPS_MIN, NPS_MAX) if question.is_nps else (SCALE_MIN, SCALE_MAX)
    if number is None or not low <= number <= high:
        raise DomainError(
            _("Choose a value from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    return {"value": number, "choice": None, "text": ""}


def _whole_number(raw) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit() and len(raw.strip()) <= 3:
        return int(raw.strip())
    return None


_NO_ANSWER = {"value": None, "choice": None, "text": ""}


def _save_answers(response: Response, questions, cleaned: dict[int, dict], actor) -> None:
    existing = selectors.answers_by_question(response)
    for question in questions:
        columns = cleaned.get(question.pk, _NO_ANSWER)
        answer = existing.get(question.pk)
        if answer is None:
            if columns == _NO_ANSWER:
                continue
            answer = Answer(
                response=response, customer_id=response.customer_id, question=question, **columns
            )
            records.save_new(answer, actor, _("Answered"))
            continue
        before = {name: getattr(answer, name) for name in columns}
        if before != columns:
            for name, value in columns.items():
                setattr(answer, name, value)
            records.save(answer, actor, _("Answer changed"), list(columns))


# --- follow-up of low answers --------------------------------------------------------------------


def _follow_up(response: Response, questions, cleaned: dict[int, dict], actor) -> Action | None:
    """One follow-up action per response while an answer is low; updated, never doubled."""
    low = [
        (question, cleaned[question.pk]["value"])
        for question in questions
        if question.pk in cleaned and question.is_low(cleaned[question.pk]["value"])
    ]
    has_action = Action.objects.for_owner(response).filter(kind=Action.Kind.FOLLOW_UP).exists()
    if not low and not has_action:
        return None
    owner = follow_up_owner(response.customer)
    if owner is None:
        logger.warning(
            "No engineer or quality manager to follow up survey response %s", response.pk
        )
        return None
    with translation.override(owner.language or None):
        title, lines = _follow_up_text(response, questions, cleaned, low)
        description = "\n".join(lines)
    before = (
        Action.objects.for_owner(response)
        .filter(kind=Action.Kind.FOLLOW_UP)
        .values_list("description", flat=True)
        .first()
    )
    action, created = action_raise(
        record=response,
        title=title,
        kind=Action.Kind.FOLLOW_UP,
        owner=owner,
        due_date=timezone.localdate() + dt.timedelta(days=FOLLOW_UP_DAYS),
        description=description,
        internal_only=True,
    )
    if low and (created or (action.is_open and before != description)):
        notifications.low_answer(action, response, lines, actor=actor)
    return action


def _follow_up_text(response, questions, cleaned, low) -> tuple[str, list[str]]:
    user = response.user
    title = _("Follow up the survey answers of %(name)s (%(customer)s)") % {
        "name": user.full_name or user.email,
        "customer": response.customer.name,
    }
    if low:
        lines = [_("Low answers in %(campaign)s:") % {"campaign": response.campaign.title}]
        lines += [
            _("%(question)s: %(value)s of %(high)s")
            % {"question": question.text, "value": value, "high": max(question.scale)}
            for question, value in low
        ]
    else:
        lines = [_("No answer is low any more since the answers were changed.")]
    lines += [
        f"{question.text}: {cleaned[question.pk]['text']}"
        for question in questions
        if question.is_text and cleaned.get(question.pk, {}).get("text")
    ]
    return title, lines


def follow_up_owner(customer):
    """The customer's responsible engineer (the first named); else a quality manager."""
    engineers = customer.responsible_engineers.filter(
        is_active=True, role__in=[role.value for role in INTERNAL_ROLES]
    ).order_by("pk")
    engineer = engineers.first()
    if engineer is not None:
        return engineer
    managers = quality_managers()
    return managers[0] if managers else None


# --- 8D ratings ----------------------------------------------------------------------------------

RATED_VALUES = ("speed", "analysis", "communication")


@transaction.atomic
def eight_d_rate(
    *, claim, actor, speed, analysis, communication, comment: str = ""
) -> EightDRating:
    """The customer rates the 8D they accepted or rejected: 1–5 each, once per decision."""
    if (
        actor is None
        or is_internal(actor)
        or customer_id_of(actor) != claim.customer_id
        or not actor.has_capability(ANSWER)
    ):
        raise PermissionDenied(_("Only the claim's customer rates its 8D."))
    state = selectors.rating_state(claim)
    if not state.allowed:
        raise Conflict(_("An 8D is rated once you have accepted or rejected it."))
    if state.rating is not None:
        raise Conflict(_("This 8D decision has been rated already."))
    values = {}
    for name, raw in zip(RATED_VALUES, (speed, analysis, communication), strict=True):
        number = _whole_number(raw)
        if number is None or not SCALE_MIN <= number <= SCALE_MAX:
            raise DomainError(_("Rate from 1 to 5."), field=name)
        values[name] = number
    comment = (comment or "").strip()
    if len(comment) > TEXT_ANSWER_MAX:
        raise DomainError(
            _("Please keep the comment to %(max)s characters.") % {"max": TEXT_ANSWER_MAX},
            field="comment",
        )
    rating = EightDRating(
        claim=claim,
        customer_id=claim.customer_id,
        rated_by=actor,
        decision=state.decision,
        round=state.round,
        comment=comment,
        **values,
    )
    try:
        with transaction.atomic():
            records.save_new(rating, actor, _("8D rated"))
    except IntegrityError:  # a colleague rated the same decision a moment ago
        raise Conflict(_("This 8D decision has been rated already.")) from None
    if min(values.values()) <= 2:
        notifications.low_rating(rating, _rating_recipients(claim), actor=actor)
    return rating


def _rating_recipients(claim) -> list:
    engineer = getattr(claim, "assigned_engineer", None)
    if engineer is not None and engineer.is_active and engineer.is_internal:
        return [engineer]
    owner = follow_up_owner(claim.customer)
    return [owner] if owner is not None else []


# --- questionnaires ------------------------------------------------------------------------------


def template_create_standard(*, actor) -> SurveyTemplate:
    """The shipped questionnaire (EN + DE), for a portal that has none yet."""
    records.require_capability(actor, MANAGE)
    return defaults.default_template(actor)


# --- schedules -----------------------------------------------------------------------------------


@transaction.atomic
def schedule_save(
    *,
    actor,
    customer,
    template: SurveyTemplate,
    next_on: dt.date,
    every_months: int = 3,
    open_days: int = 28,
    is_active: bool = True,
) -> SurveySchedule:
    """Set how often ``customer`` is asked (one schedule per customer)."""
    _require_manager(actor)
    if template is None or not template.is_active:
        raise DomainError(_("Choose an active questionnaire."), field="template")
    if not 1 <= int(every_months or 0) <= 24:
        raise DomainError(_("Ask every 1 to 24 months."), field="every_months")
    if not 1 <= int(open_days or 0) <= 90:
        raise DomainError(_("Keep a campaign open 1 to 90 days."), field="open_days")
    schedule = SurveySchedule.objects.select_for_update().filter(customer=customer).first()
    fields = {
        "template": template,
        "next_on": next_on,
        "every_months": int(every_months),
        "open_days": int(open_days),
        "is_active": bool(is_active),
    }
    if schedule is None:
        schedule = SurveySchedule(customer=customer, **fields)
        records.save_new(schedule, actor, _("Schedule set"))
        return schedule
    for name, value in fields.items():
        setattr(schedule, name, value)
    records.save(schedule, actor, _("Schedule changed"), list(fields))
    return schedule
