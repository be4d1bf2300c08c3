"""The notifications of change requests, deviations and concessions (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Audience, Kind, register

GROUP = _("Changes and concessions")

# Change requests
ASSESSMENT_NEEDED = "changes.assessment_needed"
BOARD_SIGNATURE_NEEDED = "changes.board_signature_needed"
CUSTOMER_DECISION_NEEDED = "changes.customer_decision_needed"
DECISION_REMINDER = "changes.decision_reminder"
CUSTOMER_DECIDED = "changes.customer_decided"
RELEASE_NEEDED = "changes.release_needed"
RELEASED = "changes.released"
# Deviations and concessions
DEVIATION_DECISION_NEEDED = "changes.deviation_decision_needed"
DEVIATION_DECIDED = "changes.deviation_decided"
DEVIATION_WARNING = "changes.deviation_warning"

KINDS = (
    Kind(
        ASSESSMENT_NEEDED, _("A change request waits for your impact assessment"), Audience.INTERNAL
    ),
    Kind(
        BOARD_SIGNATURE_NEEDED,
        _("A change request waits for your review board signature"),
        Audience.INTERNAL,
    ),
    Kind(CUSTOMER_DECISION_NEEDED, _("A change notice waits for your decision"), Audience.CUSTOMER),
    Kind(
        DECISION_REMINDER,
        _("Reminder: a change notice still waits for your decision"),
        Audience.CUSTOMER,
    ),
    Kind(
        CUSTOMER_DECIDED, _("The customer approved or rejected a change notice"), Audience.INTERNAL
    ),
    Kind(
        RELEASE_NEEDED, _("An approved change waits for the signed ECN release"), Audience.INTERNAL
    ),
    Kind(RELEASED, _("The ECN of your change was released"), Audience.INTERNAL),
    Kind(
        DEVIATION_DECISION_NEEDED,
        _("A deviation or concession waits for your decision"),
        Audience.CUSTOMER,
    ),
    Kind(
        DEVIATION_DECIDED,
        _("The customer approved or rejected a deviation or concession"),
        Audience.INTERNAL,
    ),
    Kind(
        DEVIATION_WARNING, _("Deviations near their expiry date or quantity cap"), Audience.INTERNAL
    ),
)


def register_kinds() -> None:
    register(*KINDS, group=GROUP)
