"""Change and deviation cards and "whose turn it is" on the home pages (ChangesConfig.ready)."""

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
from .deviations.selectors import expiring_soon
from .models import ChangeRequest, Deviation


def _shown_if_any(count: int) -> int | None:
    return count or None


def change_cards(user) -> list[HomeCard]:
    changes = ChangeRequest.objects.visible_to(user)
    deviations = Deviation.objects.visible_to(user)
    if persona(user) == "customer":
        # Counted and listed by the same table (changes.waiting): the card opens exactly these.
        notices = waiting_filter(changes, Party.CUSTOMER).count()
        requested = waiting_filter(deviations, Party.CUSTOMER).count()
        return [
            HomeCard(
                "change_notices_to_decide",
                gettext_lazy("Change notices awaiting your decision"),
                _shown_if_any(notices),
                "bi-arrow-repeat",
                url_or_none("changes:change-list", "waiting=customer"),
                alert=notices > 0,
            ),
            HomeCard(
                "deviations_to_decide",
                gettext_lazy("Deviation requests awaiting your decision"),
                _shown_if_any(requested),
                "bi-sign-merge-right",
                url_or_none("changes:deviation-list", "waiting=customer"),
                alert=requested > 0,
            ),
        ]
    expiring = expiring_soon(deviations).count()
    return [
        HomeCard(
            "open_changes",
            gettext_lazy("Open change requests"),
            _shown_if_any(changes.open().count()),
            "bi-arrow-repeat",
            url_or_none("changes:change-list", "open=on"),
        ),
        HomeCard(
            "deviations_expiring",
            gettext_lazy("Deviations expiring soon"),
            _shown_if_any(expiring),
            "bi-hourglass-split",
            url_or_none("changes:deviation-list", "expiring=on"),
            alert=expiring > 0,
        ),
    ]


@register_home_waiting
def change_waiting(user) -> HomeWaiting:
    if persona(user) == "customer":
        return HomeWaiting(for_customer=_customer_items(user))
    counts = selectors.count_waiting(user, Party.US)
    return HomeWaiting(
        for_us=[
            WaitingCount(
                "changes",
                _("Change requests"),
                counts["changes"],
                url_or_none("changes:change-list", "waiting=us"),
            ),
            WaitingCount(
                "deviations",
                _("Deviations and concessions"),
                counts["deviations"],
                url_or_none("changes:deviation-list", "waiting=us"),
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
    return [item_for("change", change, _title(change)) for change in changes] + [
        item_for("deviation", deviation, _title(deviation)) for deviation in deviations
    ]


def _title(record) -> str:
    return f"{record.number} · {record.title}"
