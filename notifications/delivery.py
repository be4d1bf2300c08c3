"""Mail for notifications: HTML and plain text, in the recipient's language, with a deep link.

Delivery is idempotent: a notification row is locked while it is mailed and marked ``emailed_at``
in the same transaction, so a task delivered twice (at-least-once outbox) mails once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.links import portal_url

from .models import Notification

logger = logging.getLogger(__name__)


def deliver(notification_ids: Iterable[int]) -> int:
    """Mail each not yet mailed notification; returns how many were mailed now."""
    mailed = 0
    with get_connection() as connection:
        for pk in notification_ids:
            mailed += _deliver_one(pk, connection)
    return mailed


def _deliver_one(pk: int, connection) -> int:
    with transaction.atomic():
        notification = (
            # Only the notification is locked: FOR UPDATE cannot lock the (nullable) recipient.
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=pk, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.address:
            return 0
        message = single_message(notification)
        message.connection = connection
        message.send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return 1


# A digest lists at most this many notifications (newest last) and counts the rest.
DIGEST_MAX_ITEMS = 100


def send_digests() -> int:
    """Mail each person one digest of their notifications waiting for it; returns mails sent.

    Idempotent and safe to run twice at once: each person's waiting rows are locked (rows another
    run holds are skipped, not waited for) and marked ``emailed_at`` in the transaction that mails
    them, so a second run finds nothing to send.
    """
    due = (
        Notification.objects.digest_due()
        .filter(recipient__isnull=False, recipient__is_active=True)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    with get_connection() as connection:
        for user_id in list(due):
            sent += _send_digest(user_id, connection)
    return sent


def _send_digest(user_id: int, connection) -> int:
    with transaction.atomic():
        rows = list(
            Notification.objects.digest_due()
            .filter(recipient_id=user_id)
            .select_for_update(skip_locked=True)
            .order_by("created_at", "pk")
        )
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if not rows or user is None or not user.email:
            return 0
        shown = rows[-DIGEST_MAX_ITEMS:]
        message = digest_message(user, shown, more=len(rows) - len(shown))
        message.connection = connection
        message.send()
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            emailed_at=timezone.now()
        )
    return 1


def single_message(notification: Notification) -> EmailMultiAlternatives:
    context = {
        "notification": notification,
        "link": portal_url(notification.url),
        "preferences_link": portal_url("/notifications/preferences/"),
        "portal_link": portal_url("/"),
    }
    with translation.override(notification.language):
        return _message(
            notification.title, "notifications/email/notification", context, notification.address
        )


def digest_message(
    user, notifications: list[Notification], *, more: int = 0
) -> EmailMultiAlternatives:
    """One mail listing ``notifications``; ``more`` counts those left out of a long list."""
    context = {
        "user": user,
        "items": [(item, portal_url(item.url)) for item in notifications],
        "more": more,
        "notifications_link": portal_url("/notifications/"),
        "preferences_link": portal_url("/notifications/preferences/"),
    }
    with translation.override(user.language), timezone.override(user.time_zone):
        count = len(notifications) + more
        subject = ngettext(
            "Your daily summary: %(count)d notification",
            "Your daily summary: %(count)d notifications",
            count,
        ) % {"count": count}
        return _message(subject, "notifications/email/digest", context, user.email)


def _message(subject: str, template: str, context: dict, address: str) -> EmailMultiAlternatives:
    context = {**context, "subject": subject, "product": _("CQM Portal")}
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject.replace("\n", " "), text, settings.DEFAULT_FROM_EMAIL, [address]
    )
    message.attach_alternative(html, "text/html")
    return message
