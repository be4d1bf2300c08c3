"""Reads for the claim lists, the inbox and the home cards."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from accounts.roles import INTERNAL_ROLES
from core.history import Entry, timeline
from core.tenancy import is_internal
from core.waiting import WAITING_ITEMS, Party, count_waiting_for, first_waiting_for, waiting_filter

from .models import (
    COUNTED_IN_PPM,
    Claim,
    ClaimComment,
    ClaimCostSheet,
    ClaimEvent,
    EightDStep,
    TeamMember,
)
from .workflow import ACTIVE_8D


def _pending_steps():
    return EightDStep.objects.filter(
        claim=OuterRef("pk"), status__in=EightDStep.PENDING_STATUSES
    ).order_by("due_at", "code")


def with_next_due(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Annotate the earliest deadline we still owe: ``next_due_at`` and ``next_due_code``."""
    pending = _pending_steps()
    return claims.annotate(
        next_due_at=Subquery(pending.values("due_at")[:1]),
        next_due_code=Subquery(pending.values("code")[:1]),
    )


def claims_for_list(user) -> QuerySet[Claim]:
    """The claims ``user`` may see, with their next deadline; the pages filter them further."""
    return with_next_due(Claim.objects.visible_to(user).with_related())


def inbox_for(user) -> QuerySet[Claim]:
    """Open claims, new ones first, then overdue ones, then by the next deadline."""
    now = timezone.now()
    claims = claims_for_list(user).open().exclude(status=Claim.Status.DRAFT)
    return claims.annotate(
        urgency=Case(
            When(status=Claim.Status.SUBMITTED, then=Value(0)),
            When(next_due_at__lt=now, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("urgency", "next_due_at", "-created_at", "-pk")


def steps_for(claim: Claim) -> QuerySet[EightDStep]:
    return claim.steps.select_related("submitted_by", "decided_by").order_by("code")


def comments_for(claim: Claim, user) -> QuerySet[ClaimComment]:
    return ClaimComment.objects.visible_to(user).filter(claim=claim).select_related("author")


def events_for(claim: Claim) -> QuerySet[ClaimEvent]:
    return ClaimEvent.objects.filter(claim=claim).select_related("actor")


# --- the claim page ------------------------------------------------------------------------------

TIMELINE_LENGTH = 50
# A service saves the claim (its history row), then writes the event: both in one transaction.
SAME_WRITE = dt.timedelta(seconds=1)


def claim_timeline(claim: Claim, *, hide: tuple[str, ...] = ()) -> list[Entry]:
    """The claim's events and its history as one timeline, newest first.

    A transition writes both an event and a history row: it shows once, as the event with the
    fields it changed. Changes without an event (an edited draft) and events without a change of
    the claim (an 8D step approved) show on their own. ``hide`` as in ``core.history.timeline``.
    """
    events = sorted(events_for(claim)[:TIMELINE_LENGTH], key=lambda e: (e.created_at, e.pk))
    entries = []
    for change in timeline(claim, limit=TIMELINE_LENGTH, hide=hide):
        event = _event_written_with(change, events)
        if event is None:
            entries.append(change)
            continue
        events.remove(event)
        entries.append(_timeline_entry(event, change.changes))
    entries += [_timeline_entry(event) for event in events]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:TIMELINE_LENGTH]


def _event_written_with(change: Entry, events: list[ClaimEvent]) -> ClaimEvent | None:
    """The first event the same person wrote right after the history row ``change``."""
    who = getattr(change.who, "pk", None)
    for event in events:  # oldest first
        if event.actor_id == who and change.when <= event.created_at <= change.when + SAME_WRITE:
            return event
    return None


def _timeline_entry(event: ClaimEvent, changes=()) -> Entry:
    label = f"{event.label} {event.step_code}" if event.step_code else event.label
    return Entry(
        label=label,
        when=event.created_at,
        who=event.actor,
        reason=event.comment,
        changes=list(changes),
    )


# From containment on, the 8D report has content the customer may read (REFERENCE §1).
EIGHT_D_REPORT_STATUSES = frozenset(
    {*ACTIVE_8D, Claim.Status.PROVISIONALLY_CLOSED, Claim.Status.CLOSED}
)
# The step statuses a customer reads (as EightDStep.shown_to_customer).
STEP_SHOWN_TO_CUSTOMER = (
    EightDStep.Status.SUBMITTED,
    EightDStep.Status.APPROVED,
    EightDStep.Status.SENT_BACK,
)


def offers_8d_report(claim: Claim, *, internal: bool) -> bool:
    """Whether the claim's 8D report is worth downloading: it reached containment, or its team
    (D1) was named — for a customer, submitted to them. Not for a claim that follows another
    claim's 8D (claims.linking): the report is that claim's."""
    if claim.master_id is not None:
        return False
    if claim.status in EIGHT_D_REPORT_STATUSES:
        return True
    team_step = EightDStep.objects.filter(claim=claim, code=EightDStep.Code.D1)
    if not internal:
        return team_step.filter(status__in=STEP_SHOWN_TO_CUSTOMER).exists()
    return (
        team_step.exclude(status=EightDStep.Status.OPEN).exists()
        or TeamMember.objects.filter(claim=claim).exists()
    )


def count_open(user) -> int:
    return Claim.objects.visible_to(user).open_filed().count()


def count_new(user) -> int:
    return Claim.objects.visible_to(user).filter(status=Claim.Status.SUBMITTED).count()


def count_overdue(user, *, mine: bool = False) -> int:
    claims = Claim.objects.visible_to(user).overdue()
    if mine and is_internal(user):
        claims = claims.filter(assigned_engineer=user)
    return claims.count()


def with_steps_to_approve(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """The claims with an 8D step that waits for the customer's approval (claims.waiting)."""
    steps = waiting_filter(EightDStep.objects.filter(claim=OuterRef("pk")), Party.CUSTOMER)
    return claims.filter(Exists(steps))


def count_claims_with_steps_to_approve(user) -> int:
    return with_steps_to_approve(Claim.objects.visible_to(user)).count()


def assignable_engineers() -> QuerySet:
    """Our active staff, the people a claim can be assigned to."""
    return get_user_model().objects.filter(is_active=True, role__in=INTERNAL_ROLES)


# --- for the modules that link their records to a claim (deviations) ---------------------------


def visible_claims(user) -> QuerySet[Claim]:
    """The claims ``user`` may see: the choices when another record links to a claim."""
    return Claim.objects.visible_to(user)


def linkable_claims() -> QuerySet[Claim]:
    """Every claim, for a link field that narrows the choice to its viewer itself (the API's)."""
    return Claim.objects.all()


def earliest_claim_of(customer) -> Claim | None:
    """The customer's first claim, or None."""
    return Claim.objects.filter(customer=customer).order_by("pk").first()


def counted_in_ppm() -> QuerySet[Claim]:
    """Claims that count in ppm and incidents (REFERENCE §5): accepted as our responsibility.

    Rejected, no-fault-found and cancelled claims never count; claims still under review count
    once we accept them, with their quantity charged to ppm.
    """
    return Claim.objects.filter(COUNTED_IN_PPM)


def claim_counts_by_part(part_ids, *, since) -> dict[int, int]:
    """Claims filed on each of ``part_ids`` since ``since`` (cancelled ones left out): one query.

    Read by the audit programme to put processes with recent customer claims first.
    """
    rows = (
        Claim.objects.filter(part_id__in=list(part_ids), created_at__gte=since)
        .exclude(status__in=(Claim.Status.CANCELLED, Claim.Status.DRAFT))
        .order_by()
        .values("part_id")
        .annotate(count=Count("pk"))
    )
    return {row["part_id"]: row["count"] for row in rows}


# --- whose turn it is (claims.waiting), for the home pages ---------------------------------------

_STEP_PEOPLE = ("claim__customer", "claim__created_by", "claim__assigned_engineer")


def count_waiting(user, party: str) -> int:
    return count_waiting_for(Claim, user, party)


def claims_waiting(user, party: str, limit: int = WAITING_ITEMS) -> list[Claim]:
    return first_waiting_for(Claim.objects.visible_to(user).with_related(), party, limit=limit)


def steps_waiting(user, party: str, limit: int = WAITING_ITEMS) -> list[EightDStep]:
    steps = EightDStep.objects.visible_to(user).select_related(*_STEP_PEOPLE)
    return first_waiting_for(steps, party, limit=limit)


def cost_sheets_waiting(user, party: str, limit: int = WAITING_ITEMS) -> list[ClaimCostSheet]:
    sheets = ClaimCostSheet.objects.visible_to(user).select_related(*_STEP_PEOPLE)
    return first_waiting_for(sheets, party, limit=limit)
