"""Change and deviation cards on the home pages (registered in ChangesConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.home import HomeCard, persona, url_or_none

from .deviations.selectors import expiring_soon
from .models import ChangeRequest, Deviation


def _shown_if_any(count: int) -> int | None:
    return count or None


def change_cards(user) -> list[HomeCard]:
    changes = ChangeRequest.objects.visible_to(user)
    deviations = Deviation.objects.visible_to(user)
    if persona(user) == "customer":
        notices = changes.filter(status=ChangeRequest.Status.CUSTOMER_APPROVAL).count()
        requested = deviations.filter(status=Deviation.Status.REQUESTED).count()
        return [
            HomeCard(
                "change_notices_to_decide",
                _("Change notices awaiting your decision"),
                _shown_if_any(notices),
                "bi-arrow-repeat",
                url_or_none("changes:change-list", "status=customer_approval"),
                alert=notices > 0,
            ),
            HomeCard(
                "deviations_to_decide",
                _("Deviation requests awaiting your decision"),
                _shown_if_any(requested),
                "bi-sign-merge-right",
                url_or_none("changes:deviation-list", "status=requested"),
                alert=requested > 0,
            ),
        ]
    expiring = expiring_soon(deviations).count()
    return [
        HomeCard(
            "open_changes",
            _("Open change requests"),
            _shown_if_any(changes.open().count()),
            "bi-arrow-repeat",
            url_or_none("changes:change-list"),
        ),
        HomeCard(
            "deviations_expiring",
            _("Deviations expiring soon"),
            _shown_if_any(expiring),
            "bi-hourglass-split",
            url_or_none("changes:deviation-list", "expiring=on"),
            alert=expiring > 0,
        ),
    ]
