"""Daily reminders about change notices waiting for the customer's decision (REFERENCE §3).

A change notice pending longer than the customer's ``change_decision_reminder_days`` (CSR) is
sent again to the customer's users and report recipients (``notify``), at most once a day: a
``ChangeReminderLog`` row per change and day (``core.records.notices``) makes a second run on the
same day send nothing, and a concurrent run finds the rows the other one recorded. The reminder
also shows on the change's timeline.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications
from .models import ChangeEvent, ChangeReminderLog, ChangeRequest


def overdue_decisions(now: dt.datetime):
    """Changes waiting for the customer longer than that customer's reminder period."""
    changes = ChangeRequest.objects.filter(
        status=ChangeRequest.Status.CUSTOMER_APPROVAL, customer_notified_at__isnull=False
    ).select_related("customer__requirements")
    return [
        change
        for change in changes.order_by("customer_notified_at", "pk")
        if now - change.customer_notified_at
        >= dt.timedelta(days=change.customer.requirements.change_decision_reminder_days)
    ]


@transaction.atomic
def decision_reminders_send(*, now: dt.datetime | None = None) -> dict:
    """Notify today's reminders (mailed after commit), log them; return a summary.

    ``mails`` counts the changes whose reminder reached somebody.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = ChangeReminderLog.objects.record_for(overdue_decisions(now), sent_on=today)
    ChangeEvent.objects.bulk_create(
        [
            ChangeEvent(
                change=change,
                customer_id=change.customer_id,
                action="remind",
                comment=_("Reminder sent to the customer."),
                created_at=now,
            )
            for change in due
        ]
    )
    reached = sum(
        1 for change in due if notifications.customer_decision_needed(change, reminder=True)
    )
    return {"changes": len(due), "mails": reached}
