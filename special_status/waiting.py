"""Whose turn it is on a special status (``core.waiting``).

While it is open, its responsible engineer works towards the exit criteria and asks for the exit
once all are met; then the customer signs (or declines) the exit.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from accounts.roles import ENGINEERS_LABEL
from core.waiting import WaitingTable, customer_turn, our_turn, person

from .models import SpecialStatus

S = SpecialStatus.Status

STATUS_WAITING = WaitingTable(
    SpecialStatus,
    [
        our_turn(
            S.OPEN,
            person("owner", ENGINEERS_LABEL),
            gettext_lazy("meet the exit criteria and request the exit"),
            since="created_at",
        ),
        customer_turn(
            S.EXIT_REQUESTED, gettext_lazy("sign or decline the exit"), since="exit_requested_at"
        ),
    ],
)
