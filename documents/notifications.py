"""Who hears of what in a document's life, through ``notifications.notify`` (DESIGN §7).

Called by the services inside their transaction, so the notice commits with the change and its
mail goes through the outbox. Reviewers are asked to review; the approvers hear once every
reviewer approved; the author hears of the approval or of the return; the owner is reminded of
the periodic review. All of it is internal: customers read released revisions, nothing more.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.recipients import internal_users_with
from notifications.services import Notices

from . import notification_kinds as kinds
from .workflow import APPROVE


def _reviewers(revision) -> list:
    return [review.reviewer for review in revision.reviews.select_related("reviewer")]


def _approvers(revision) -> list:
    return [user for user in internal_users_with(APPROVE) if user.pk != revision.author_id]


def _author(revision) -> list:
    return [revision.author]


def _owner(document) -> list:
    return [document.owner]


_REVISION = Notices(
    says={
        "number": lambda revision: revision.document.number,
        "title": lambda revision: revision.document.title,
        "letter": lambda revision: revision.letter,
        "change": lambda revision: revision.change_description[:500],
    },
)
_DOCUMENT = Notices(says={"due": lambda document: document.next_review_on.isoformat()})

review_requested = _REVISION.notice(
    kinds.REVIEW_REQUESTED,
    _("%(number)s rev. %(letter)s: please review “%(title)s”"),
    _("What changed: %(change)s"),
    to=_reviewers,
)
ready_for_approval = _REVISION.notice(
    kinds.READY_FOR_APPROVAL,
    _("%(number)s rev. %(letter)s: every reviewer approved, please approve and sign"),
    _("What changed: %(change)s"),
    to=_approvers,
)
approved = _REVISION.notice(
    kinds.REVISION_APPROVED,
    _("%(number)s rev. %(letter)s was approved"),
    _("Effective from %(effective)s."),
    to=_author,
)
# ``comment``: the reviewer's comments that sent it back.
returned = _REVISION.notice(
    kinds.REVISION_RETURNED,
    _("%(number)s rev. %(letter)s was returned with comments"),
    "%(comment)s",
    to=_author,
)
review_due = _DOCUMENT.notice(
    kinds.REVIEW_DUE,
    _("%(number)s: the periodic review is due on %(due)s"),
    _("Review “%(title)s” and record the review, or start a new revision."),
    to=_owner,
)
