"""Daily warnings about active deviations near their expiry date or their quantity cap.

The thresholds are the customer's (CSR: ``deviation_expiry_warning_days``,
``deviation_cap_warning_percent``). Each owner gets one notification per run (``notify``); a
``DeviationReminderLog`` row per deviation and day (``core.records.notices``) makes a second run
on the same day send nothing.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from ..models import Deviation, DeviationReminderLog
from . import notifications


@transaction.atomic
def deviation_warnings_send(*, today=None) -> dict:
    """Notify today's warnings (mailed after commit) and log what they cover; return a summary.

    ``mails`` counts the owners told (one notification each).
    """
    today = today or timezone.localdate()
    active = (
        Deviation.objects.active()
        .select_related("customer__requirements", "owner")
        .order_by("expires_on", "number")
    )
    near = [deviation for deviation in active if deviation.near_expiry or deviation.near_cap]
    warned = DeviationReminderLog.objects.record_for(near, sent_on=today)
    by_owner = defaultdict(list)
    for deviation in warned:
        by_owner[deviation.owner].append(deviation)
    told = sum(1 for owner, items in by_owner.items() if notifications.warning(owner, items))
    return {"mails": told, "deviations": len(warned)}
