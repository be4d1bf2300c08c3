"""Daily warnings about active deviations near their expiry date or their quantity cap.

The thresholds are the customer's (CSR: ``deviation_expiry_warning_days``,
``deviation_cap_warning_percent``). Each owner gets one digest per run; a ``DeviationReminderLog``
row per deviation and day makes a second run on the same day send nothing.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Deviation, DeviationReminderLog
from .notifications import deviation_url


@transaction.atomic
def deviation_warnings_send(*, today=None) -> dict:
    """Queue today's digests (sent after commit) and log what they cover; return a summary."""
    today = today or timezone.localdate()
    already = DeviationReminderLog.objects.filter(sent_on=today).values("deviation_id")
    active = (
        Deviation.objects.active()
        .exclude(pk__in=already)
        .select_related("customer__requirements", "owner")
        .order_by("expires_on", "number")
    )
    warned = [deviation for deviation in active if deviation.near_expiry or deviation.near_cap]
    DeviationReminderLog.objects.bulk_create(
        [DeviationReminderLog(deviation=deviation, sent_on=today) for deviation in warned]
    )
    by_owner = defaultdict(list)
    for deviation in warned:
        if deviation.owner.is_active and deviation.owner.email:
            by_owner[deviation.owner].append(deviation)
    messages = [_message(owner, deviations) for owner, deviations in by_owner.items()]
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages))
    return {"mails": len(messages), "deviations": len(warned)}


def _message(owner, deviations: list[Deviation]) -> EmailMessage:
    with translation.override(owner.language):
        count = len(deviations)
        subject = ngettext(
            "Deviations: %(count)d needs your attention",
            "Deviations: %(count)d need your attention",
            count,
        ) % {"count": count}
        lines = [_line(deviation) for deviation in deviations]
    return EmailMessage(
        subject, "\n\n".join(lines) + "\n", settings.DEFAULT_FROM_EMAIL, [owner.email]
    )


def _line(deviation: Deviation) -> str:
    reasons = []
    if deviation.near_expiry:
        reasons.append(
            _("expires on %(date)s (%(days)s days left)")
            % {"date": deviation.expires_on.isoformat(), "days": deviation.days_to_expiry()}
        )
    if deviation.near_cap:
        reasons.append(
            _("%(shipped)s of %(cap)s parts shipped")
            % {"shipped": deviation.quantity_shipped, "cap": deviation.quantity_cap}
        )
    return f"{deviation.number} {deviation.title}: {'; '.join(reasons)}\n{deviation_url(deviation)}"
