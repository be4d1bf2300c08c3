"""Reads for the claim lists, the inbox and the home cards."""

from __future__ import annotations

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
from core.tenancy import is_internal
from core.waiting import Party, waiting_filter

from .models import COUNTED_IN_PPM, Claim, ClaimComment, ClaimCostSheet, ClaimEvent, EightDStep


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


def claims_for_list(user, filters: dict | None = None) -> QuerySet[Claim]:
    """The claims ``user`` may see, filtered like the list page and the API (``ClaimFilter``)."""
    from .filters import ClaimFilter

    claims = with_next_due(Claim.objects.visible_to(user).with_related())
    if filters:
        claims = ClaimFilter(filters, queryset=claims, user=user).qs
    return claims


def inbox_for(user, filters: dict | None = None) -> QuerySet[Claim]:
    """Open claims, new ones first, then overdue ones, then by the next deadline."""
    now = timezone.now()
    claims = claims_for_list(user, filters).open().exclude(status=Claim.Status.DRAFT)
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

# A home page lists at most this many records of a kind; their lists show the rest.
WAITING_ITEMS = 10
_STEP_PEOPLE = ("claim__customer", "claim__created_by", "claim__assigned_engineer")


def count_waiting(user, party: str) -> int:
    return waiting_filter(Claim.objects.visible_to(user), party).count()


def claims_waiting(user, party: str, limit: int = WAITING_ITEMS) -> list[Claim]:
    claims = waiting_filter(Claim.objects.visible_to(user).with_related(), party)
    return list(claims.order_by("updated_at", "pk")[:limit])


def steps_waiting(user, party: str, limit: int = WAITING_ITEMS) -> list[EightDStep]:
    steps = waiting_filter(EightDStep.objects.visible_to(user).select_related(*_STEP_PEOPLE), party)
    return list(steps.order_by("updated_at", "pk")[:limit])


def cost_sheets_waiting(user, party: str, limit: int = WAITING_ITEMS) -> list[ClaimCostSheet]:
    sheets = ClaimCostSheet.objects.visible_to(user).select_related(*_STEP_PEOPLE)
    return list(waiting_filter(sheets, party).order_by("updated_at", "pk")[:limit])
