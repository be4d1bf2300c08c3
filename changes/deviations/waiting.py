"""Whose turn it is on a deviation or concession (``core.waiting``).

We prepare and send the request; the customer decides; while it is active its owner ships under
it and ends it once the approved specification is met again (or it expires, or the cap is
reached, which the system records by itself).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from accounts.roles import ENGINEERS_LABEL
from core.waiting import WaitingTable, customer_turn, our_turn, person

from ..models import Deviation

S = Deviation.Status
OWNER = person("owner", ENGINEERS_LABEL)

DEVIATION_WAITING = WaitingTable(
    Deviation,
    [
        our_turn(
            S.DRAFT, OWNER, gettext_lazy("send the request to the customer"), since="created_at"
        ),
        customer_turn(
            S.REQUESTED, gettext_lazy("approve or reject the deviation"), since="requested_at"
        ),
        our_turn(
            S.APPROVED,
            OWNER,
            gettext_lazy("ship under it and close it when no longer needed"),
            since="decided_at",
            due="expires_on",
        ),
    ],
)
