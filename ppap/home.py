"""PPAP cards and "whose turn it is" on the home pages (registered in PpapConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.home import (
    HomeCard,
    HomeWaiting,
    WaitingCount,
    WaitingItem,
    item_for,
    persona,
    register_home_waiting,
    url_or_none,
)
from core.waiting import Party, waiting_filter

from . import selectors
from .models import PpapSubmission


def ppap_cards(user) -> list[HomeCard]:
    submissions = PpapSubmission.objects.visible_to(user).filter(is_current=True)
    if persona(user) == "customer":
        # Counted by the same table the list filters on (ppap.waiting): the card opens these.
        waiting = waiting_filter(submissions, Party.CUSTOMER).count()
        return [
            HomeCard(
                "ppap_to_decide",
                gettext_lazy("PPAP submissions awaiting your decision"),
                waiting or None,
                "bi-box-seam",
                url_or_none("ppap:submission-list", "waiting=customer"),
                alert=waiting > 0,
            )
        ]
    overdue = submissions.overdue().count()
    return [
        HomeCard(
            "ppap_overdue",
            gettext_lazy("PPAP submissions past their due date"),
            overdue or None,
            "bi-box-seam",
            url_or_none("ppap:submission-list", "overdue=on"),
            alert=overdue > 0,
        )
    ]


@register_home_waiting
def ppap_waiting(user) -> HomeWaiting:
    if persona(user) == "customer":
        items = [
            item_for("ppap", submission, submission.label)
            for submission in selectors.submissions_waiting(user, Party.CUSTOMER)
        ]
        return HomeWaiting(for_customer=items)
    count = WaitingCount(
        "ppap",
        _("PPAP submissions"),
        selectors.count_waiting(user, Party.US),
        url_or_none("ppap:submission-list", "waiting=us"),
    )
    return HomeWaiting(for_us=[count], my_signature=_warrants(user))


def _warrants(user) -> list[WaitingItem]:
    return [
        WaitingItem(
            "psw",
            submission.label,
            _("sign the part submission warrant"),
            f"{submission.get_absolute_url()}#warrant",
            submission.warrant.updated_at,
            submission.due_date,
        )
        for submission in selectors.warrants_to_sign(user)
    ]
