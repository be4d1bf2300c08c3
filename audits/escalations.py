"""Daily escalation of overdue audit findings to the quality managers (REFERENCE §4).

A nonconformity is overdue when its containment, its corrective action plan or its implementation
is late, or when one of its corrective actions is past its due date. Every manager gets one
notification per run listing them (``notify``: in the portal, mailed after commit); a
``FindingEscalation`` row per finding and day (``core.records.notices``) makes a second run on the
same day send nothing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.models import Action
from notifications.recipients import quality_managers

from . import notifications
from .models import Finding, FindingEscalation


def overdue_findings(now: dt.datetime | None = None):
    """Open nonconformities with a late response step or a late corrective action."""
    now = now or timezone.now()
    late_actions = Action.objects.overdue(timezone.localdate(now)).filter(
        content_type=ContentType.objects.get_for_model(Finding), object_id=OuterRef("pk")
    )
    late_steps = Finding.objects.overdue(now).values("pk")
    return (
        Finding.objects.open()
        .filter(classification__in=Finding.NONCONFORMITIES)
        .filter(Q(pk__in=late_steps) | Q(Exists(late_actions)))
        .select_related("audit", "customer")
        .order_by("implementation_due", "pk")
    )


@transaction.atomic
def escalate_overdue_findings(*, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    findings = FindingEscalation.objects.record_for(
        overdue_findings(now), sent_on=timezone.localdate(now)
    )
    if not findings:
        return {"mails": 0, "findings": 0}
    managers = quality_managers()
    told = notifications.findings_overdue(managers, findings)
    return {"mails": len(told), "findings": len(findings)}
