"""Audit cards and "whose turn it is" on the home pages (registered in AuditsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.home import (
    CountCard,
    HomeCard,
    HomeWaiting,
    items_for,
    ours,
    persona,
    register_home_waiting,
    waiting_or_overdue,
)
from core.waiting import Party

from . import selectors
from .models import Finding

TO_CONFIRM = CountCard(
    "findings_to_confirm",
    gettext_lazy("Audit findings awaiting your confirmation"),
    "bi-clipboard-check",
    "audits:finding-list",
    "waiting=customer",
)
OVERDUE = CountCard(
    "findings_overdue",
    gettext_lazy("Overdue audit findings"),
    "bi-clipboard-x",
    "audits:finding-list",
    "overdue=on",
)


def audit_cards(user) -> list[HomeCard]:
    findings = Finding.objects.visible_to(user)
    return waiting_or_overdue(user, findings, waiting=TO_CONFIRM, overdue=OVERDUE)


@register_home_waiting
def audit_waiting(user) -> HomeWaiting:
    if persona(user) == "customer":
        findings = selectors.findings_waiting(user, Party.CUSTOMER)
        return HomeWaiting(for_customer=items_for("finding", findings, lambda f: f.reference))
    counts = selectors.count_waiting(user, Party.US)
    return HomeWaiting(
        for_us=[
            ours("audits", _("Audits"), counts["audits"], "audits:audit-list"),
            ours("findings", _("Audit findings"), counts["findings"], "audits:finding-list"),
        ],
        my_signature=items_for(
            "report", selectors.reports_to_approve(user), lambda a: f"{a.number} · {a.title}"
        ),
    )
