"""The notifications of controlled documents (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Audience, Kind, register

GROUP = _("Controlled documents")

REVIEW_REQUESTED = "documents.review_requested"
READY_FOR_APPROVAL = "documents.ready_for_approval"
REVISION_APPROVED = "documents.revision_approved"
REVISION_RETURNED = "documents.revision_returned"
REVIEW_DUE = "documents.review_due"

KINDS = (
    Kind(REVIEW_REQUESTED, _("You are asked to review a document revision"), Audience.INTERNAL),
    Kind(
        READY_FOR_APPROVAL,
        _("Every reviewer approved a document revision: it waits for approval"),
        Audience.INTERNAL,
    ),
    Kind(REVISION_APPROVED, _("Your document revision was approved"), Audience.INTERNAL),
    Kind(
        REVISION_RETURNED,
        _("Your document revision was returned with comments"),
        Audience.INTERNAL,
    ),
    Kind(REVIEW_DUE, _("The periodic review of a document you own is due"), Audience.INTERNAL),
)


def register_kinds() -> None:
    register(*KINDS, group=GROUP)
