"""Claims not acknowledged within the customer's reaction time, escalated (DESIGN §7).

The reaction time is ``CustomerRequirements.reaction_hours`` (``reaction_hours_safety`` for claims
of safety severity) in working hours (``core.calendar.add_working_hours``: 08:00–17:00 in the
customer's zone on its working days), counted from ``notified_at``. A claim still submitted and
unacknowledged after it is escalated to the quality managers (level 1), and again after twice
the time (level 2). When both levels fall due in one run (the worker was down), both are
recorded and only the second is told.

Exactly once per claim and level: the claim row is locked (the same lock ``claim_acknowledge``
takes), the ``ClaimEscalation`` rows are recorded before anybody is told, in the same transaction
(``core.records.notices``); a second run finds them, and a concurrent run waits for the lock and
then finds them (their unique constraint refuses a duplicate even without the lock).
"""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction
from django.utils import timezone

from core.calendar import add_working_hours
from customers.selectors import holidays_for

from . import notifications
from .models import Claim, ClaimEscalation

LEVELS = tuple(ClaimEscalation.Level.values)
# The shortest reaction time the requirements allow: a claim notified more recently is not due.
SHORTEST_REACTION = dt.timedelta(hours=1)


def escalations_send(*, now: dt.datetime | None = None) -> dict:
    """Escalate every claim whose reaction time ran out; returns how many were told per level."""
    now = now or timezone.now()
    told = dict.fromkeys(LEVELS, 0)
    holidays: dict[int, set] = {}
    for claim in _waiting(now):
        if claim.customer_id not in holidays:
            holidays[claim.customer_id] = holidays_for(claim.customer_id)
        due = _due_levels(claim, now, holidays[claim.customer_id])
        if due:
            level = _escalate(claim.pk, due)
            if level:
                told[level] += 1
    return {f"level_{level}": count for level, count in told.items()}


def reaction_hours(claim: Claim) -> int:
    requirements = claim.customer.requirements
    return requirements.reaction_hours_for(safety=claim.severity == Claim.Severity.SAFETY)


def acknowledgement_due(claim: Claim, level: int = 1, holidays=None) -> dt.datetime:
    """When a claim must be acknowledged by to stay below escalation ``level``."""
    if holidays is None:
        holidays = holidays_for(claim.customer_id)
    hours = reaction_hours(claim) * level
    return add_working_hours(claim.notified_at, hours, holidays, claim.customer.time_zone)


def _waiting(now: dt.datetime):
    """Submitted, unacknowledged claims not yet escalated to the last level."""
    return (
        Claim.objects.filter(
            status=Claim.Status.SUBMITTED,
            acknowledged_at__isnull=True,
            notified_at__lte=now - SHORTEST_REACTION,
        )
        .annotate(escalated=models.Count("escalations"))
        .filter(escalated__lt=len(LEVELS))
        .select_related("customer__requirements")
        .order_by("notified_at", "pk")
    )


def _due_levels(claim: Claim, now: dt.datetime, holidays) -> list[tuple[int, dt.datetime]]:
    due = [(level, acknowledgement_due(claim, level, holidays)) for level in LEVELS]
    return [(level, at) for level, at in due if at <= now]


@transaction.atomic
def _escalate(claim_id: int, due: list[tuple[int, dt.datetime]]) -> int | None:
    """Record the due levels not yet recorded and tell the highest; ``None`` if nothing new."""
    claim = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("customer__requirements", "part", "assigned_engineer")
        .get(pk=claim_id)
    )
    if claim.status != Claim.Status.SUBMITTED or claim.acknowledged_at is not None:
        return None
    done = set(claim.escalations.values_list("level", flat=True))
    recorded = ClaimEscalation.objects.record_once(
        ClaimEscalation(claim=claim, customer_id=claim.customer_id, level=level, due_at=at)
        for level, at in due
        if level not in done
    )
    if not recorded:
        return None  # nothing new, or another run escalated these levels first
    level = max(escalation.level for escalation in recorded)
    notifications.claim_not_acknowledged(claim, level=level, hours=reaction_hours(claim) * level)
    return level
