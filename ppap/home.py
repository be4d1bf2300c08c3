"""PPAP cards and "whose turn it is" on the home pages (registered in PpapConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.home import (
    CountCard,
    HomeCard,
    HomeWaiting,
    WaitingItem,
    items_for,
    ours,
    persona,
    register_home_waiting,
    waiting_or_overdue,
)
from core.waiting import Party

from . import selectors
from .models import PpapSubmission

TO_DECIDE = CountCard(
    "ppap_to_decide",
    gettext_lazy("PPAP submissions awaiting your decision"),
    "bi-box-seam",
    "ppap:submission-list",
    "waiting=customer",
)
OVERDUE = CountCard(
    "ppap_overdue",
    gettext_lazy("PPAP submissions past their due date"),
    "bi-box-seam",
    "ppap:submission-list",
    "overdue=on",
)


def ppap_cards(user) -> list[HomeCard]:
    current = PpapSubmission.objects.visible_to(user).filter(is_current=True)
    return waiting_or_overdue(user, current, waiting=TO_DECIDE, overdue=OVERDUE)


@register_home_waiting
def ppap_waiting(user) -> HomeWaiting:
    if persona(user) == "customer":
        submissions = selectors.submissions_waiting(user, Party.CUSTOMER)
        return HomeWaiting(for_customer=items_for("ppap", submissions, lambda s: s.label))
    count = selectors.count_waiting(user, Party.US)
    mine = ours("ppap", _("PPAP submissions"), count, "ppap:submission-list")
    return HomeWaiting(for_us=[mine], my_signature=_warrants(user))


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
