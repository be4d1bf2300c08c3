"""Whose turn it is on a document revision (``core.waiting``).

A draft waits for its author to finish it and send it for review; a revision in review waits for
its reviewers, and once all of them approved, for a quality manager's signature. An approved
revision waits for its effective date: until then its document's owner makes sure the people who
work to it know the change. Nobody has to act on a revision in effect, superseded or obsolete.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from accounts.roles import ENGINEERS_LABEL, MANAGERS_LABEL
from core.waiting import WaitingTable, our_turn, person, role

from .models import Revision

S = Revision.Status
REVIEWERS_LABEL = gettext_lazy("reviewers")

STATUS_WAITING = WaitingTable(
    Revision,
    [
        our_turn(
            S.DRAFT,
            person("author", ENGINEERS_LABEL),
            gettext_lazy("finish the revision and send it for review"),
            since="created_at",
        ),
        our_turn(
            S.UNDER_REVIEW,
            role(REVIEWERS_LABEL),
            gettext_lazy("review the revision"),
            since="submitted_at",
            when={"reviews_complete": False},
        ),
        our_turn(
            S.UNDER_REVIEW,
            role(MANAGERS_LABEL),
            gettext_lazy("approve and sign the revision"),
            since="submitted_at",
            when={"reviews_complete": True},
        ),
        our_turn(
            S.APPROVED,
            person("document__owner", ENGINEERS_LABEL),
            gettext_lazy("inform the users before the revision takes effect"),
            since="approved_at",
            due="effective_on",
        ),
    ],
)
