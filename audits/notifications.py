"""Who hears of what in an audit's and a finding's life, through ``notifications.notify``.

Called by the services inside their transaction (DESIGN §7). A drafted report asks everybody who
may approve it with their signature (``audits.plan``); a report sent back goes to the lead
auditor. Our response to a finding goes to whoever decides on it: the auditing customer's users
for a customer audit, our planners (``audits.plan``) for our own audits; their decision goes back
to the responder and the lead auditor. Overdue nonconformities escalate daily to the quality
managers. Customer notifications carry nothing internal.
"""

from __future__ import annotations

from operator import attrgetter

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from notifications.recipients import customer_users, internal_users_with
from notifications.services import Notices, Text, notify

from . import notification_kinds as kinds
from .workflow import PLAN


def _auditors(audit) -> list:
    """The lead auditor, else whoever planned the audit."""
    return [audit.lead_auditor or audit.created_by]


# --- the report ----------------------------------------------------------------------------------

_AUDIT = Notices()

report_approval_needed = _AUDIT.notice(
    kinds.REPORT_APPROVAL_NEEDED,
    _("%(number)s: the audit report waits for your approval"),
    "%(title)s",
    to=lambda audit: internal_users_with(PLAN),
)
# ``comment``: why it was sent back.
report_sent_back = _AUDIT.notice(
    kinds.REPORT_SENT_BACK,
    _("%(number)s: the audit report was sent back"),
    "%(comment)s",
    to=_auditors,
)


# --- findings ------------------------------------------------------------------------------------

_FINDING = Notices(
    says={
        "description": lambda finding: finding.description[:300],
        "comment": attrgetter("decision_comment"),
    },
)
_CONFIRMATION_NEEDED = _FINDING.notice(
    kinds.FINDING_CONFIRMATION_NEEDED,
    _("%(reference)s: our response waits for your confirmation"),
    _("Please confirm the closure of the finding or send it back in the portal."),
    to=lambda finding: customer_users(finding.customer_id),
)
_REVIEW_NEEDED = _FINDING.notice(
    kinds.FINDING_REVIEW_NEEDED,
    _("%(reference)s: the response waits for your review"),
    "%(description)s",
    to=lambda finding: internal_users_with(PLAN),
)


def finding_response_submitted(audit, finding, actor) -> list:
    """Our response is in: the customer confirms (their audit) or our planners review it."""
    notice = _CONFIRMATION_NEEDED if audit.is_customer_audit else _REVIEW_NEEDED
    return notice(finding, actor)


# The response was accepted or sent back: the responder and the lead auditor hear of it.
_DECIDED = {
    action: _FINDING.notice(
        kinds.FINDING_DECIDED,
        title,
        "%(comment)s",
        to=lambda finding: [finding.responded_by, *_auditors(finding.audit)],
    )
    for action, title in {
        "close": _("%(reference)s: the finding was closed"),
        "confirm_closure": _("%(reference)s: the customer confirmed the closure"),
        "send_back": _("%(reference)s: the response was sent back"),
    }.items()
}


def finding_decided(audit, finding, actor, action: str) -> list:
    """The decision ``action`` on our response: told unless it is none of those (a cancel)."""
    notice = _DECIDED.get(action)
    return notice(finding, actor) if notice is not None else []


# --- daily escalation ----------------------------------------------------------------------------


class _Lines:
    """Texts rendered one per line in the recipient's language and time zone."""

    def __init__(self, texts):
        self.texts = texts

    def __str__(self) -> str:
        language = translation.get_language()
        return "\n".join(text.render(language) for text in self.texts)


def findings_overdue(managers, findings) -> list:
    """One notification per quality manager, listing the overdue nonconformities."""
    count = len(findings)
    single = findings[0] if count == 1 else None
    lines = []
    for finding in findings:
        due = finding.next_due
        lines.append(
            Text(
                _("%(reference)s (%(classification)s), due %(due)s: %(description)s"),
                reference=finding.reference,
                classification=finding.Classification(finding.classification).label,
                due=date_format(timezone.localtime(due), "SHORT_DATE_FORMAT") if due else "–",
                description=finding.description[:120],
            )
        )
    return notify(
        kind=kinds.FINDINGS_OVERDUE,
        recipients=managers,
        record=single,
        url=single.get_absolute_url() if single else reverse("audits:finding-list") + "?overdue=on",
        title=Text(
            ngettext_lazy(
                "Audit findings: %(count)s nonconformity overdue",
                "Audit findings: %(count)s nonconformities overdue",
                count,
            ),
            count=count,
        ),
        body=Text(
            _("These audit findings are overdue and need your attention:\n\n%(findings)s"),
            findings=_Lines(lines),
        ),
    )
