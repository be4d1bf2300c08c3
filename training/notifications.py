"""Who hears of what in the training register, through ``notifications.notify`` (DESIGN §7).

Called by the services inside their transaction, so that the notice commits with the assignment
and its mail goes through the outbox.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.services import Notices

from . import notification_kinds as kinds

_ASSIGNMENT = Notices(
    says={
        "number": lambda assignment: assignment.revision.document.number,
        "title": lambda assignment: assignment.revision.document.title,
        "letter": lambda assignment: assignment.revision.letter,
        "due": lambda assignment: assignment.due_on.isoformat(),
    },
    url=lambda assignment: reverse("training:assignment-list") + "?mine=on",
)

assigned = _ASSIGNMENT.notice(
    kinds.ASSIGNED,
    _("Training due by %(due)s: %(number)s rev. %(letter)s"),
    _("“%(title)s” has a new revision in effect. Get trained on it by %(due)s."),
    to=lambda assignment: [assignment.person],
)
