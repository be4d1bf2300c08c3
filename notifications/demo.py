"""The demo's notifications: what the other demos caused, turned into a history.

The other apps' demos go through the services, so every hand-over they stage notifies someone.
A demo shows a portal that has been in use: those notifications count as mailed long ago (the
demo addresses are made up, and ``seed_demo`` sends no mail), and each person has read all but
their newest few. Runs last (``notifications`` is the last installed app).
"""

from __future__ import annotations

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from core.models import OutboxMessage

from .models import Notification

UNREAD_KEPT = 5


def seed(*, today=None, stdout=None) -> None:
    now = timezone.now()
    OutboxMessage.objects.unsent().filter(task="notifications.deliver").update(
        sent_at=now, last_attempt_at=now
    )
    Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=now)
    ranked = Notification.objects.filter(read_at__isnull=True, recipient__isnull=False).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("recipient_id")],
            order_by=[F("created_at").desc(), F("pk").desc()],
        )
    )
    older = [row.pk for row in ranked if row.rank > UNREAD_KEPT]
    Notification.objects.filter(pk__in=older).update(read_at=now)
