"""The notifications of audits and their findings (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Audience, Kind, register

GROUP = _("Audits")

REPORT_APPROVAL_NEEDED = "audits.report_approval_needed"
REPORT_SENT_BACK = "audits.report_sent_back"
FINDING_CONFIRMATION_NEEDED = "audits.finding_confirmation_needed"
FINDING_REVIEW_NEEDED = "audits.finding_review_needed"
FINDING_DECIDED = "audits.finding_decided"
FINDINGS_OVERDUE = "audits.findings_overdue"

KINDS = (
    Kind(REPORT_APPROVAL_NEEDED, _("An audit report waits for your approval"), Audience.INTERNAL),
    Kind(REPORT_SENT_BACK, _("An audit report was sent back to you"), Audience.INTERNAL),
    Kind(
        FINDING_CONFIRMATION_NEEDED,
        _("Our response to your audit finding waits for your confirmation"),
        Audience.CUSTOMER,
    ),
    Kind(
        FINDING_REVIEW_NEEDED,
        _("A response to an audit finding waits for your review"),
        Audience.INTERNAL,
    ),
    Kind(FINDING_DECIDED, _("A finding response was accepted or sent back"), Audience.INTERNAL),
    Kind(FINDINGS_OVERDUE, _("Overdue audit findings (daily escalation)"), Audience.INTERNAL),
)


def register_kinds() -> None:
    register(*KINDS, group=GROUP)
