"""Change and deviation cards and "whose turn it is" on the home pages (ChangesConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.home import (
    CountCard,
    HomeCard,
    HomeWaiting,
    WaitingItem,
    item_for,
    items_for,
    ours,
    persona,
    register_home_waiting,
)
from core.waiting import Party, waiting_filter

from . import selectors
from .deviations.selectors import expiring_soon
from .models import ChangeRequest, Deviation

# A customer's cards: counted and listed by the same table (changes.waiting), they open these.
NOTICES_TO_DECIDE = CountCard(
    "change_notices_to_decide",
    gettext_lazy("Change notices awaiting your decision"),
    "bi-arrow-repeat",
    "changes:change-list",
    "waiting=customer",
)
DEVIATIONS_TO_DECIDE = CountCard(
    "deviations_to_decide",
    gettext_lazy("Deviation requests awaiting your decision"),
    "bi-sign-merge-right",
    "changes:deviation-list",
    "waiting=customer",
)
OPEN_CHANGES = CountCard(
    "open_changes",
    gettext_lazy("Open change requests"),
    "bi-arrow-repeat",
    "changes:change-list",
    "open=on",
    alert=False,
)
EXPIRING = CountCard(
    "deviations_expiring",
    gettext_lazy("Deviations expiring soon"),
    "bi-hourglass-split",
    "changes:deviation-list",
    "expiring=on",
)


def change_cards(user) -> list[HomeCard]:
    changes = ChangeRequest.objects.visible_to(user)
    deviations = Deviation.objects.visible_to(user)
    if persona(user) == "customer":
        return [
            NOTICES_TO_DECIDE.of(waiting_filter(changes, Party.CUSTOMER).count()),
            DEVIATIONS_TO_DECIDE.of(waiting_filter(deviations, Party.CUSTOMER).count()),
        ]
    return [OPEN_CHANGES.of(changes.open().count()), EXPIRING.of(expiring_soon(deviations).count())]


@register_home_waiting
def change_waiting(user) -> HomeWaiting:
    if persona(user) == "customer":
        return HomeWaiting(for_customer=_customer_items(user))
    counts = selectors.count_waiting(user, Party.US)
    return HomeWaiting(
        for_us=[
            ours("changes", _("Change requests"), counts["changes"], "changes:change-list"),
            ours(
                "deviations",
                _("Deviations and concessions"),
                counts["deviations"],
                "changes:deviation-list",
            ),
        ],
        my_signature=_signatures(user),
    )


def _signatures(user) -> list[WaitingItem]:
    """Review-board approvals the user is named on, and ECN releases for those who sign them."""
    items = []
    for row in selectors.board_signatures_due(user):
        change = row.change
        action = _("sign for the review board as %(function)s") % {
            "function": row.get_function_display()
        }
        url = f"{change.get_absolute_url()}#board"
        items.append(WaitingItem("board", _title(change), action, url, change.updated_at))
    for change in selectors.releases_due(user):
        items.append(item_for("release", change, _title(change)))
    return items


def _customer_items(user) -> list[WaitingItem]:
    changes = selectors.changes_waiting(user, Party.CUSTOMER)
    deviations = selectors.deviations_waiting(user, Party.CUSTOMER)
    return items_for("change", changes, _title) + items_for("deviation", deviations, _title)


def _title(record) -> str:
    return f"{record.number} · {record.title}"
