"""Whose turn it is on a change request (``core.waiting``), and on deviations (imported below).

We carry a change from the draft through the review board; the customer decides on a notice that
needs their approval; we release the ECN (a manager's signature), validate, implement and close.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from accounts.roles import ENGINEERS_LABEL, MANAGERS_LABEL
from core.waiting import WaitingTable, customer_turn, our_turn, person, role

from .deviations.waiting import DEVIATION_WAITING  # noqa: F401  (registers the deviations' table)
from .models import ChangeRequest

S = ChangeRequest.Status
RAISED_BY = person("created_by", ENGINEERS_LABEL)
ASSESSORS = role(gettext_lazy("the assessors"))
REVIEW_BOARD = role(gettext_lazy("the review board"))
MANAGERS = role(MANAGERS_LABEL)

CHANGE_WAITING = WaitingTable(
    ChangeRequest,
    [
        our_turn(S.DRAFT, RAISED_BY, gettext_lazy("submit the change"), since="created_at"),
        our_turn(
            S.SUBMITTED, RAISED_BY, gettext_lazy("start the impact assessment"), since="updated_at"
        ),
        our_turn(
            S.IMPACT_ASSESSMENT, ASSESSORS, gettext_lazy("assess the impact"), since="updated_at"
        ),
        our_turn(
            S.REVIEW_BOARD,
            REVIEW_BOARD,
            gettext_lazy("sign or decide (review board)"),
            since="updated_at",
        ),
        customer_turn(
            S.CUSTOMER_APPROVAL,
            gettext_lazy("approve or reject the change"),
            since="customer_notified_at",
        ),
        our_turn(
            S.DEFERRED,
            REVIEW_BOARD,
            gettext_lazy("take the change up again"),
            since="updated_at",
            due="deferred_until",
        ),
        # Approved, released, validated: the next step is due by the change's effectivity date.
        *(
            our_turn(status, who, action, since=since, due="effectivity_date")
            for status, who, action, since in (
                (S.APPROVED, MANAGERS, gettext_lazy("release the ECN"), "updated_at"),
                (S.RELEASED, RAISED_BY, gettext_lazy("record the validation"), "released_at"),
                (S.VALIDATED, RAISED_BY, gettext_lazy("record the implementation"), "validated_at"),
            )
        ),
        our_turn(S.IMPLEMENTED, RAISED_BY, gettext_lazy("close the change"), since="updated_at"),
    ],
)
