"""Whose turn it is on a change request (``core.waiting``), and on deviations (imported below).

We carry a change from the draft through the review board; the customer decides on a notice that
needs their approval; we release the ECN (a manager's signature), validate, implement and close.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from accounts.roles import ENGINEERS_LABEL, MANAGERS_LABEL
from core.waiting import Party, Turn, WaitingTable, company, person, role

from .deviations.waiting import DEVIATION_WAITING  # noqa: F401  (registers the deviations' table)
from .models import ChangeRequest

S = ChangeRequest.Status
RAISED_BY = person("created_by", ENGINEERS_LABEL)
ASSESSORS = role(gettext_lazy("the assessors"))
REVIEW_BOARD = role(gettext_lazy("the review board"))

CHANGE_WAITING = WaitingTable(
    ChangeRequest,
    [
        Turn(S.DRAFT, Party.US, RAISED_BY, gettext_lazy("submit the change"), since="created_at"),
        Turn(
            S.SUBMITTED,
            Party.US,
            RAISED_BY,
            gettext_lazy("start the impact assessment"),
            since="updated_at",
        ),
        Turn(
            S.IMPACT_ASSESSMENT,
            Party.US,
            ASSESSORS,
            gettext_lazy("assess the impact"),
            since="updated_at",
        ),
        Turn(
            S.REVIEW_BOARD,
            Party.US,
            REVIEW_BOARD,
            gettext_lazy("sign or decide (review board)"),
            since="updated_at",
        ),
        Turn(
            S.CUSTOMER_APPROVAL,
            Party.CUSTOMER,
            company(),
            gettext_lazy("approve or reject the change"),
            since="customer_notified_at",
        ),
        Turn(
            S.DEFERRED,
            Party.US,
            REVIEW_BOARD,
            gettext_lazy("take the change up again"),
            since="updated_at",
            due="deferred_until",
        ),
        Turn(
            S.APPROVED,
            Party.US,
            role(MANAGERS_LABEL),
            gettext_lazy("release the ECN"),
            since="updated_at",
            due="effectivity_date",
        ),
        Turn(
            S.RELEASED,
            Party.US,
            RAISED_BY,
            gettext_lazy("record the validation"),
            since="released_at",
            due="effectivity_date",
        ),
        Turn(
            S.VALIDATED,
            Party.US,
            RAISED_BY,
            gettext_lazy("record the implementation"),
            since="validated_at",
            due="effectivity_date",
        ),
        Turn(
            S.IMPLEMENTED, Party.US, RAISED_BY, gettext_lazy("close the change"), since="updated_at"
        ),
    ],
)
