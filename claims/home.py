"""The claim cards and "whose turn it is" on the home pages (registered in ClaimsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
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
from core.waiting import Party

from . import selectors


def _shown_if_any(count: int) -> int | None:
    # Claim cards appear once there is something to act on; a zero card is noise at the top.
    return count or None


def claim_cards(user) -> list[HomeCard]:
    if persona(user) == "customer":
        return _customer_cards(user)
    if persona(user) in ("engineer", "manager"):
        return _engineer_cards(user)
    return []


def _customer_cards(user) -> list[HomeCard]:
    # Each card opens the list filtered to exactly the claims it counts.
    waiting = selectors.count_claims_with_steps_to_approve(user)
    return [
        HomeCard(
            "open_claims",
            gettext_lazy("Open claims"),
            _shown_if_any(selectors.count_open(user)),
            "bi-flag",
            url_or_none("claims:claim-list", "open=on"),
        ),
        HomeCard(
            "steps_to_approve",
            gettext_lazy("Claims with 8D steps awaiting your approval"),
            _shown_if_any(waiting),
            "bi-patch-question",
            url_or_none("claims:claim-list", "steps_to_approve=on"),
            alert=waiting > 0,
        ),
    ]


def _engineer_cards(user) -> list[HomeCard]:
    overdue = selectors.count_overdue(user)
    return [
        HomeCard(
            "new_claims",
            gettext_lazy("New claims"),
            _shown_if_any(selectors.count_new(user)),
            "bi-inbox",
            url_or_none("claims:inbox", "status=submitted"),
        ),
        HomeCard(
            "overdue_claims",
            gettext_lazy("Claims with overdue 8D steps"),
            _shown_if_any(overdue),
            "bi-exclamation-octagon",
            url_or_none("claims:inbox", "overdue=on"),
            alert=overdue > 0,
        ),
    ]


@register_home_waiting
def claim_waiting(user) -> HomeWaiting:
    """Our claims in one count; the customer's steps, 8D evaluations and cost sheets one by one.

    No signature of ours is due on a claim: approving a step and accepting the 8D are the
    customer's (a manager records them only on the customer's behalf).
    """
    if persona(user) == "customer":
        return HomeWaiting(for_customer=_customer_items(user))
    count = WaitingCount(
        "claims",
        _("Claims"),
        selectors.count_waiting(user, Party.US),
        url_or_none("claims:claim-list", "waiting=us"),
    )
    return HomeWaiting(for_us=[count])


def _customer_items(user) -> list:
    items = []
    for step in selectors.steps_waiting(user, Party.CUSTOMER):
        url = reverse("claims:eightd-step", args=[step.claim_id, step.code])
        title = f"{step.claim.number} · {step.get_code_display()}"
        items.append(item_for("step", step, title, url))
    for claim in selectors.claims_waiting(user, Party.CUSTOMER):
        items.append(item_for("claim", claim, claim.number))
    for sheet in selectors.cost_sheets_waiting(user, Party.CUSTOMER):
        url = f"{sheet.claim.get_absolute_url()}#costs"
        title = _("Costs of %(number)s") % {"number": sheet.claim.number}
        items.append(item_for("costs", sheet, title, url))
    return items
