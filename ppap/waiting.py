"""Whose turn it is on a PPAP submission (``core.waiting``).

Only the current revision of a submission waits for anybody: earlier revisions are read-only.
We prepare a draft (elements, the warrant and its signature, the run) and send it; the customer
gives the disposition; after an interim approval or a rejection we resubmit a new revision.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from accounts.roles import ENGINEERS_LABEL
from core.waiting import Party, Turn, WaitingTable, company, person

from .models import PpapSubmission

S = PpapSubmission.Status
OWNER = person("owner", ENGINEERS_LABEL)
CURRENT = {"is_current": True}

SUBMISSION_WAITING = WaitingTable(
    PpapSubmission,
    [
        Turn(
            S.DRAFT,
            Party.US,
            OWNER,
            gettext_lazy("prepare and submit the PPAP"),
            since="created_at",
            due="due_date",
            when=CURRENT,
        ),
        Turn(
            S.SUBMITTED,
            Party.CUSTOMER,
            company(),
            gettext_lazy("give the PPAP disposition"),
            since="sent_at",
            when=CURRENT,
        ),
        Turn(
            S.INTERIM,
            Party.US,
            OWNER,
            gettext_lazy("resubmit for full approval"),
            since="decided_at",
            due="interim_expires_on",
            when=CURRENT,
        ),
        Turn(
            S.INTERIM_EXPIRED,
            Party.US,
            OWNER,
            gettext_lazy("resubmit for full approval"),
            since="decided_at",
            due="interim_expires_on",
            when=CURRENT,
        ),
        Turn(
            S.REJECTED,
            Party.US,
            OWNER,
            gettext_lazy("correct and resubmit the PPAP"),
            since="decided_at",
            when=CURRENT,
        ),
    ],
)
