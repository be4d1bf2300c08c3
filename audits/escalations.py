"""Daily escalation of overdue audit findings to the quality managers (REFERENCE §4).

A nonconformity is overdue when its containment, its corrective action plan or its implementation
is late, or when one of its corrective actions is past its due date. Every manager gets one mail
per run listing them; a ``FindingEscalation`` row per finding and day makes a second run on the
same day send nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import Role
from core.models import Action

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
    today = timezone.localdate(now)
    already = FindingEscalation.objects.filter(sent_on=today).values("finding_id")
    findings = list(overdue_findings(now).exclude(pk__in=already))
    if not findings:
        return {"mails": 0, "findings": 0}
    FindingEscalation.objects.bulk_create(
        [FindingEscalation(finding=finding, sent_on=today) for finding in findings]
    )
    managers = get_user_model().objects.filter(role=Role.MANAGER, is_active=True).exclude(email="")
    messages = [_message(manager, findings) for manager in managers]
    if messages:
        transaction.on_commit(lambda: get_connection().send_messages(messages))
    return {"mails": len(messages), "findings": len(findings)}


def _message(manager, findings) -> EmailMessage:
    with translation.override(manager.language), timezone.override(manager.time_zone):
        count = len(findings)
        subject = ngettext(
            "Audit findings: %(count)d nonconformity overdue",
            "Audit findings: %(count)d nonconformities overdue",
            count,
        ) % {"count": count}
        lines = [_("These audit findings are overdue and need your attention:"), ""]
        for finding in findings:
            due = finding.next_due
            lines.append(
                _("%(reference)s (%(classification)s), due %(due)s: %(description)s")
                % {
                    "reference": finding.reference,
                    "classification": finding.get_classification_display(),
                    "due": timezone.localtime(due).strftime("%Y-%m-%d") if due else "–",
                    "description": finding.description[:120],
                }
            )
            lines.append(_portal_url(reverse("audits:finding-detail", args=[finding.pk])))
        body = "\n".join(lines) + "\n"
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [manager.email])


def _portal_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}/{path.lstrip('/')}"
