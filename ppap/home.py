"""PPAP cards on the home pages (registered in PpapConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.home import HomeCard, persona, url_or_none

from .models import PpapSubmission


def ppap_cards(user) -> list[HomeCard]:
    submissions = PpapSubmission.objects.visible_to(user).filter(is_current=True)
    if persona(user) == "customer":
        waiting = submissions.filter(status=PpapSubmission.Status.SUBMITTED).count()
        return [
            HomeCard(
                "ppap_to_decide",
                _("PPAP submissions awaiting your decision"),
                waiting or None,
                "bi-box-seam",
                url_or_none("ppap:submission-list", "status=submitted"),
                alert=waiting > 0,
            )
        ]
    overdue = submissions.overdue().count()
    return [
        HomeCard(
            "ppap_overdue",
            _("PPAP submissions past their due date"),
            overdue or None,
            "bi-box-seam",
            url_or_none("ppap:submission-list", "overdue=on"),
            alert=overdue > 0,
        )
    ]
