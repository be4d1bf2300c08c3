"""The claim cards and "whose turn it is" on the home pages (registered in ClaimsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.home import (
    CountCard,
    HomeCard,
    HomeWaiting,
    item_for,
    ours,
    persona,
    register_home_waiting,
)
from core.waiting import Party

from . import selectors

# Each card opens the list filtered to exactly the claims it counts.
OPEN_CLAIMS = CountCard(
    "open_claims",
    gettext_lazy("Open claims"),
    "bi-flag",
    "claims:claim-list",
    "open=on",
    alert=False,
)
STEPS_TO_APPROVE = CountCard(
    "steps_to_approve",
    gettext_lazy("Claims with 8D steps awaiting your approval"),
    "bi-patch-question",
    "claims:claim-list",
    "steps_to_approve=on",
)
NEW_CLAIMS = CountCard(
    "new_claims",
    gettext_lazy("New claims"),
    "bi-inbox",
    "claims:inbox",
    "status=submitted",
    alert=False,
)
OVERDUE_CLAIMS = CountCard(
    "overdue_claims",
    gettext_lazy("Claims with overdue 8D steps"),
    "bi-exclamation-octagon",
    "claims:inbox",
    "overdue=on",
)


def claim_cards(user) -> list[HomeCard]:
    if persona(user) == "customer":
        return [
            OPEN_CLAIMS.of(selectors.count_open(user)),
            STEPS_TO_APPROVE.of(selectors.count_claims_with_steps_to_approve(user)),
        ]
    if persona(user) in ("engineer", "manager"):
        return [
            NEW_CLAIMS.of(selectors.count_new(user)),
            OVERDUE_CLAIMS.of(selectors.count_overdue(user)),
        ]
    return []


@register_home_waiting
def claim_waiting(user) -> HomeWaiting:
    """Our claims in one count; the customer's steps, 8D evaluations and cost sheets one by one.

    No signature of ours is due on a claim: approving a step and accepting the 8D are the
    customer's (a manager records them only on the customer's behalf).
    """
    if persona(user) == "customer":
        return HomeWaiting(for_customer=_customer_items(user))
    count = selectors.count_waiting(user, Party.US)
    return HomeWaiting(for_us=[ours("claims", _("Claims"), count, "claims:claim-list")])


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
