"""The claim cards on the home pages (registered in ClaimsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.home import HomeCard, persona, url_or_none

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
    waiting = selectors.count_steps_awaiting_approval(user)
    return [
        HomeCard(
            "open_claims",
            _("Open claims"),
            _shown_if_any(selectors.count_open(user)),
            "bi-flag",
            url_or_none("claims:claim-list"),
        ),
        HomeCard(
            "steps_to_approve",
            _("8D steps awaiting your approval"),
            _shown_if_any(waiting),
            "bi-patch-question",
            url_or_none("claims:claim-list"),
            alert=waiting > 0,
        ),
    ]


def _engineer_cards(user) -> list[HomeCard]:
    overdue = selectors.count_overdue(user)
    return [
        HomeCard(
            "new_claims",
            _("New claims"),
            _shown_if_any(selectors.count_new(user)),
            "bi-inbox",
            url_or_none("claims:inbox", "status=submitted"),
        ),
        HomeCard(
            "overdue_claims",
            _("Claims with overdue 8D steps"),
            _shown_if_any(overdue),
            "bi-exclamation-octagon",
            url_or_none("claims:inbox", "overdue=on"),
            alert=overdue > 0,
        ),
    ]
