"""Audit cards on the home pages (registered in AuditsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.home import HomeCard, persona, url_or_none

from .models import Finding


def audit_cards(user) -> list[HomeCard]:
    findings = Finding.objects.visible_to(user)
    if persona(user) == "customer":
        to_confirm = findings.filter(status=Finding.Status.SUBMITTED).count()
        return [
            HomeCard(
                "findings_to_confirm",
                _("Audit findings awaiting your confirmation"),
                to_confirm or None,
                "bi-clipboard-check",
                url_or_none("audits:finding-list", "status=submitted"),
                alert=to_confirm > 0,
            )
        ]
    overdue = findings.overdue().count()
    return [
        HomeCard(
            "findings_overdue",
            _("Overdue audit findings"),
            overdue or None,
            "bi-clipboard-x",
            url_or_none("audits:finding-list", "overdue=on"),
            alert=overdue > 0,
        )
    ]
