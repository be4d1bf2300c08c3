"""Reads for the change lists, the change page, the export and the home cards."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import INTERNAL_ROLES
from core.figures import Figure
from core.models import Attachment
from core.signatures import signatures_of
from core.waiting import WAITING_ITEMS, Party, count_waiting_for, first_waiting_for

from .deviations.selectors import expiring_soon
from .models import (
    AffectedPart,
    ChangeApprover,
    ChangeAssessor,
    ChangeEvent,
    ChangeRequest,
    Deviation,
)
from .workflow import APPROVE


def changes_for_list(user, filters: dict | None = None) -> QuerySet[ChangeRequest]:
    """The changes ``user`` may see with what a list row shows, in a constant number of queries.

    Filtered like the list page and the API (``ChangeFilter``) when ``filters`` is given.
    """
    from .filters import ChangeFilter

    changes = (
        ChangeRequest.objects.visible_to(user)
        .with_related()
        .prefetch_related(
            Prefetch("parts", queryset=AffectedPart.objects.select_related("part").order_by("pk"))
        )
    )
    if filters:
        changes = ChangeFilter(filters, queryset=changes, user=user).qs
    return changes


def change_page(change: ChangeRequest, user) -> dict:
    """The rows of the change page: parts, documents, stock, assessors, board, events, files."""
    return {
        "parts": list(change.parts.select_related("part").order_by("pk")),
        "documents": list(change.documents.order_by("pk")),
        "dispositions": list(change.dispositions.order_by("pk")),
        "assessors": list(assessors_for(change)),
        "approvers": list(approvers_for(change)),
        "events": list(events_for(change)),
        "signatures": list(signatures_of(change)),
        "attachments": Attachment.objects.visible_to(user)
        .for_owner(change)
        .select_related("uploaded_by"),
    }


def assessors_for(change: ChangeRequest) -> QuerySet[ChangeAssessor]:
    return change.assessors.select_related("user").order_by("pk")


def approvers_for(change: ChangeRequest) -> QuerySet[ChangeApprover]:
    return change.approvers.select_related("user", "signature").order_by("pk")


def events_for(change: ChangeRequest) -> QuerySet[ChangeEvent]:
    return ChangeEvent.objects.filter(change=change).select_related("actor")


def staff_members() -> QuerySet:
    """Our active staff: who can assess a change or sit on its review board."""
    return (
        get_user_model()
        .objects.filter(is_active=True, role__in=INTERNAL_ROLES)
        .order_by("full_name", "email")
    )


def count_waiting_for_customer(user) -> int:
    return (
        ChangeRequest.objects.visible_to(user)
        .filter(status=ChangeRequest.Status.CUSTOMER_APPROVAL)
        .count()
    )


def kpi_figures(start, end, *, customer_id=None, plant_id=None, today=None) -> list[Figure]:
    """Change and deviation key figures for the dashboard and the monthly report.

    For one customer only the changes notified to them count: the figures also feed the
    customer's scorecard, which must not reveal internal drafts.
    """
    today = today or timezone.localdate()
    changes = _scoped(ChangeRequest.objects.all(), customer_id)
    if customer_id is not None:
        changes = changes.filter(customer_notified_at__isnull=False)
    deviations = _scoped(Deviation.objects.all(), customer_id)
    if plant_id is not None:
        changes = changes.filter(
            pk__in=AffectedPart.objects.filter(part__plant_id=plant_id).values("change")
        )
        deviations = deviations.filter(
            pk__in=Deviation.parts.through.objects.filter(part__plant_id=plant_id).values(
                "deviation"
            )
        )
    counts = changes.aggregate(
        open=Count("pk", filter=~Q(status__in=ChangeRequest.FINAL_STATUSES)),
        waiting=Count("pk", filter=Q(status=ChangeRequest.Status.CUSTOMER_APPROVAL)),
        implemented=Count(
            "pk", filter=Q(implemented_on__gte=start.date(), implemented_on__lt=end.date())
        ),
    )
    return [
        Figure("open_changes", _("Open change requests"), counts["open"]),
        Figure("waiting_for_customer", _("Waiting for the customer's approval"), counts["waiting"]),
        Figure("implemented", _("Changes implemented in the month"), counts["implemented"]),
        Figure("active_deviations", _("Deviations in force"), deviations.active().count()),
        Figure(
            "deviations_expiring",
            _("Deviations expiring soon"),
            expiring_soon(deviations, today).count(),
        ),
    ]


def _scoped(queryset, customer_id):
    return queryset if customer_id is None else queryset.filter(customer_id=customer_id)


# --- whose turn it is (changes.waiting), for the home pages ------------------------------------


# What the home pages count as waiting, under the key each count is given.
COUNTED_WAITING = {"changes": ChangeRequest, "deviations": Deviation}


def count_waiting(user, party: str) -> dict[str, int]:
    """How many changes and deviations wait for ``party``."""
    return {key: count_waiting_for(model, user, party) for key, model in COUNTED_WAITING.items()}


def changes_waiting(user, party: str, limit: int = WAITING_ITEMS) -> list[ChangeRequest]:
    changes = ChangeRequest.objects.visible_to(user).with_related()
    return first_waiting_for(changes, party, limit=limit)


def deviations_waiting(user, party: str, limit: int = WAITING_ITEMS) -> list[Deviation]:
    deviations = Deviation.objects.visible_to(user).with_related()
    return first_waiting_for(deviations, party, limit=limit)


def board_signatures_due(user, limit: int = WAITING_ITEMS) -> list[ChangeApprover]:
    """The review-board rows ``user`` is named on and has not signed, of changes at the board."""
    rows = ChangeApprover.objects.filter(
        user=user,
        approved_at__isnull=True,
        change__status=ChangeRequest.Status.REVIEW_BOARD,
    ).select_related("change__customer", "change__created_by")
    return list(rows.order_by("change__updated_at", "pk")[:limit])


def releases_due(user, limit: int = WAITING_ITEMS) -> list[ChangeRequest]:
    """Approved changes whose ECN waits for a manager's release signature."""
    if not user.has_capability(APPROVE):
        return []
    approved = ChangeRequest.objects.visible_to(user).with_related()
    approved = approved.filter(status=ChangeRequest.Status.APPROVED)
    return first_waiting_for(approved, Party.US, limit=limit)
