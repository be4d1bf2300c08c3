"""Daily 8D deadline reminders and escalations (REFERENCE §1 deadlines, DESIGN §7).

Steps we still owe that fall due within the next 24 hours are sent to the claim's engineer (the
quality managers when nobody is assigned); overdue steps go to the quality managers and the
engineer. Every recipient gets one digest per run. A ``ReminderLog`` row per step, kind and day
makes a second run on the same day send nothing; a concurrent run collides on its unique
constraint, rolls back and sends nothing either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from accounts.roles import Role

from .models import Claim, EightDStep, ReminderLog
from .notifications import portal_url, step_url

DUE_SOON_WINDOW = dt.timedelta(hours=24)
DUE_SOON, OVERDUE = ReminderLog.Kind.DUE_SOON, ReminderLog.Kind.OVERDUE


@dataclass
class Digest:
    """What one person is told in one run."""

    user: object
    due_soon: list[EightDStep] = field(default_factory=list)
    overdue: list[EightDStep] = field(default_factory=list)


@transaction.atomic
def deadline_reminders_send(*, now: dt.datetime | None = None) -> dict:
    """Queue today's digests (sent after commit) and log what they cover; return a summary."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due_soon = _unreminded(
        _pending_steps().filter(due_at__gt=now, due_at__lte=now + DUE_SOON_WINDOW), DUE_SOON, today
    )
    overdue = _unreminded(_pending_steps().filter(due_at__lte=now), OVERDUE, today)
    ReminderLog.objects.bulk_create(
        [ReminderLog(step=step, kind=DUE_SOON, sent_on=today) for step in due_soon]
        + [ReminderLog(step=step, kind=OVERDUE, sent_on=today) for step in overdue]
    )
    digests = _digests(due_soon, overdue, _managers())
    messages = [_message(digest) for digest in digests]
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages))
    return {
        "mails": len(messages),
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


def _unreminded(steps, kind: str, today: dt.date) -> list[EightDStep]:
    already = ReminderLog.objects.filter(kind=kind, sent_on=today).values("step_id")
    return list(steps.exclude(pk__in=already))


def _managers() -> list:
    users = get_user_model().objects.filter(role=Role.MANAGER, is_active=True)
    return list(users.exclude(email=""))


def _digests(due_soon, overdue, managers) -> list[Digest]:
    digests: dict[int, Digest] = {}

    def add(user, step, bucket: str) -> None:
        if user is None or not user.is_active or not user.email:
            return
        getattr(digests.setdefault(user.pk, Digest(user)), bucket).append(step)

    for step in due_soon:
        engineer = step.claim.assigned_engineer
        for user in [engineer] if engineer and engineer.is_active else managers:
            add(user, step, "due_soon")
    for step in overdue:
        for user in _unique([*managers, step.claim.assigned_engineer]):
            add(user, step, "overdue")
    return sorted(digests.values(), key=lambda digest: digest.user.email)


def _unique(users) -> list:
    seen, result = set(), []
    for user in users:
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result


def _message(digest: Digest) -> EmailMessage:
    user = digest.user
    with translation.override(user.language), timezone.override(user.time_zone):
        subject = _subject(digest)
        body = render_to_string(
            "claims/email/deadline_digest.txt",
            {
                "user": user,
                "due_soon": _lines(digest.due_soon),
                "overdue": _lines(digest.overdue),
                "inbox_url": portal_url(reverse("claims:inbox")),
            },
        )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _subject(digest: Digest) -> str:
    if digest.overdue:
        count = len(digest.overdue)
        text = ngettext(
            "8D deadlines: %(count)d step overdue", "8D deadlines: %(count)d steps overdue", count
        )
    else:
        count = len(digest.due_soon)
        text = ngettext(
            "8D deadlines: %(count)d step due within 24 hours",
            "8D deadlines: %(count)d steps due within 24 hours",
            count,
        )
    return text % {"count": count}


def _lines(steps) -> list[dict]:
    return [
        {
            "claim": step.claim,
            "step": step.get_code_display(),
            "status": step.get_status_display(),
            "due_at": timezone.localtime(step.due_at),
            "engineer": step.claim.assigned_engineer,
            "url": step_url(step.claim_id, step.code),
        }
        for step in steps
    ]
