"""Daily 8D deadline reminders and escalations (REFERENCE §1 deadlines, DESIGN §7).

Steps we still owe that fall due within the next 24 hours are told to the claim's engineer (the
responsible engineers, else the quality managers, when nobody is assigned): kind "8D step due
soon", in the daily digest unless the person chose otherwise. Overdue steps are told to the
quality managers and the engineer: kind "8D step overdue", at once. One notification per person
and step, through ``notifications.notify`` in this transaction.

A ``ReminderLog`` row per step, kind and day (``core.records.notices``) makes a second run on the
same day tell nobody; a concurrent run finds the rows the other one recorded and tells nobody
either.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import notifications
from .models import Claim, EightDStep, ReminderLog

DUE_SOON_WINDOW = dt.timedelta(hours=24)
DUE_SOON, OVERDUE = ReminderLog.Kind.DUE_SOON, ReminderLog.Kind.OVERDUE


@transaction.atomic
def deadline_reminders_send(*, now: dt.datetime | None = None) -> dict:
    """Tell today's reminders and log what they cover; return a summary."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due_soon = ReminderLog.objects.record_for(
        _pending_steps().filter(due_at__gt=now, due_at__lte=now + DUE_SOON_WINDOW),
        kind=DUE_SOON,
        sent_on=today,
    )
    overdue = ReminderLog.objects.record_for(
        _pending_steps().filter(due_at__lte=now), kind=OVERDUE, sent_on=today
    )
    managers = notifications.managers()
    told = 0
    for step in due_soon:
        told += len(notifications.step_deadline(step, _engineers(step), overdue=False))
    for step in overdue:
        recipients = [*managers, *_engineers(step, fallback=False)]
        told += len(notifications.step_deadline(step, recipients, overdue=True))
    return {
        "notifications": told,
        "due_soon_steps": len(due_soon),
        "overdue_steps": len(overdue),
    }


def _pending_steps():
    """Steps we owe on claims that are still being answered (not draft, closed, rejected…)."""
    return (
        EightDStep.objects.filter(status__in=EightDStep.PENDING_STATUSES, due_at__isnull=False)
        .exclude(claim__status__in=(Claim.Status.DRAFT, *Claim.FINAL_STATUSES))
        .select_related("claim__customer", "claim__assigned_engineer")
        .order_by("due_at", "claim__number", "code")
    )


def _engineers(step: EightDStep, *, fallback: bool = True) -> list:
    """The claim's engineer; without one, its responsible engineers, else the managers."""
    if fallback:
        return notifications.our_people(step.claim)
    engineer = step.claim.assigned_engineer
    return [engineer] if engineer is not None and engineer.is_internal else []
