"""The notifications of PPAP submissions (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Audience, Kind, register

GROUP = _("PPAP")

PSW_SIGNATURE_NEEDED = "ppap.psw_signature_needed"
DECISION_NEEDED = "ppap.decision_needed"
DECIDED = "ppap.decided"
INTERIM_EXPIRING = "ppap.interim_expiring"

KINDS = (
    Kind(
        PSW_SIGNATURE_NEEDED,
        _("A part submission warrant waits for your signature"),
        Audience.INTERNAL,
    ),
    Kind(DECISION_NEEDED, _("A PPAP submission waits for your decision"), Audience.CUSTOMER),
    Kind(
        DECIDED,
        _("The customer decided on a PPAP submission, or an interim approval expired"),
        Audience.INTERNAL,
    ),
    # Both sides hear of it: we resubmit, the customer expects the resubmission.
    Kind(INTERIM_EXPIRING, _("An interim PPAP approval expires soon"), Audience.ANYONE),
)


def register_kinds() -> None:
    register(*KINDS, group=GROUP)
