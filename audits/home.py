"""Audit cards and "whose turn it is" on the home pages (registered in AuditsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.home import (
    HomeCard,
    HomeWaiting,
    WaitingCount,
    item_for,
    persona,
    register_home_waiting,
    url_or_none,
)
from core.waiting import Party, waiting_filter

from . import selectors
from .models import Finding


def audit_cards(user) -> list[HomeCard]:
    findings = Finding.objects.visible_to(user)
    if persona(user) == "customer":
        # Counted by the same table the list filters on (audits.waiting): the card opens these.
        to_confirm = waiting_filter(findings, Party.CUSTOMER).count()
        return [
            HomeCard(
                "findings_to_confirm",
                gettext_lazy("Audit findings awaiting your confirmation"),
                to_confirm or None,
                "bi-clipboard-check",
                url_or_none("audits:finding-list", "waiting=customer"),
                alert=to_confirm > 0,
            )
        ]
    overdue = findings.overdue().count()
    return [
        HomeCard(
            "findings_overdue",
            gettext_lazy("Overdue audit findings"),
            overdue or None,
            "bi-clipboard-x",
            url_or_none("audits:finding-list", "overdue=on"),
            alert=overdue > 0,
        )
    ]


@register_home_waiting
def audit_waiting(user) -> HomeWaiting:
    if persona(user) == "customer":
        items = [
            item_for("finding", finding, finding.reference)
            for finding in selectors.findings_waiting(user, Party.CUSTOMER)
        ]
        return HomeWaiting(for_customer=items)
    counts = selectors.count_waiting(user, Party.US)
    reports = [
        item_for("report", audit, f"{audit.number} · {audit.title}")
        for audit in selectors.reports_to_approve(user)
    ]
    return HomeWaiting(
        for_us=[
            WaitingCount(
                "audits",
                _("Audits"),
                counts["audits"],
                url_or_none("audits:audit-list", "waiting=us"),
            ),
            WaitingCount(
                "findings",
                _("Audit findings"),
                counts["findings"],
                url_or_none("audits:finding-list", "waiting=us"),
            ),
        ],
        my_signature=reports,
    )
