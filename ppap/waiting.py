"""Whose turn it is on a PPAP submission (``core.waiting``).

Only the current revision of a submission waits for anybody: earlier revisions are read-only.
We prepare a draft (elements, the warrant and its signature, the run) and send it; the customer
gives the disposition; after an interim approval or a rejection we resubmit a new revision.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from accounts.roles import ENGINEERS_LABEL
from core.waiting import WaitingTable, customer_turn, our_turn, person

from .models import PpapSubmission

S = PpapSubmission.Status
OWNER = person("owner", ENGINEERS_LABEL)
CURRENT = {"is_current": True}

SUBMISSION_WAITING = WaitingTable(
    PpapSubmission,
    [
        our_turn(
            S.DRAFT,
            OWNER,
            gettext_lazy("prepare and submit the PPAP"),
            since="created_at",
            due="due_date",
            when=CURRENT,
        ),
        customer_turn(
            S.SUBMITTED, gettext_lazy("give the PPAP disposition"), since="sent_at", when=CURRENT
        ),
        # An interim approval, running or run out, is followed by the full submission.
        *(
            our_turn(
                interim,
                OWNER,
                gettext_lazy("resubmit for full approval"),
                since="decided_at",
                due="interim_expires_on",
                when=CURRENT,
            )
            for interim in (S.INTERIM, S.INTERIM_EXPIRED)
        ),
        our_turn(
            S.REJECTED,
            OWNER,
            gettext_lazy("correct and resubmit the PPAP"),
            since="decided_at",
            when=CURRENT,
        ),
    ],
)
