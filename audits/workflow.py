"""The audit lifecycle and the finding cycle (REFERENCE §4): which state may go where.

Capabilities (accounts/roles.py): ``audits.work`` conducts audits and answers findings,
``audits.plan`` plans the programme, assigns auditors and approves reports, ``audits.review`` is
the customer's: confirming the closure of findings from their own audits of us.
"""

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow

WORK = "audits.work"
PLAN = "audits.plan"
REVIEW = "audits.review"

AUDIT_WORKFLOW = Workflow(
    {
        "prepare": Transition({"planned"}, "in_preparation", WORK, _("Start preparation")),
        "start": Transition({"in_preparation"}, "in_progress", WORK, _("Start the audit")),
        "draft_report": Transition({"in_progress"}, "report_draft", WORK, _("Draft the report")),
        "send_back": Transition(
            {"report_draft"}, "in_progress", PLAN, _("Send the report back"), needs_comment=True
        ),
        "approve_report": Transition(
            {"report_draft"}, "closed", PLAN, _("Approve the report and close")
        ),
        "cancel": Transition(
            {"planned", "in_preparation", "in_progress"},
            "cancelled",
            PLAN,
            _("Cancel the audit"),
            needs_comment=True,
        ),
    }
)

FINDING_WORKFLOW = Workflow(
    {
        "respond": Transition({"open"}, "submitted", WORK, _("Submit the response")),
        # Our own audits: the audit's planner checks the response and closes the finding;
        # observations and improvement ideas can be closed without a response.
        "close": Transition({"open", "submitted"}, "closed", PLAN, _("Close the finding")),
        # A customer's audit of us: the customer confirms the closure or sends it back.
        "confirm_closure": Transition({"submitted"}, "closed", REVIEW, _("Confirm the closure")),
        "send_back": Transition({"submitted"}, "open", None, _("Send back"), needs_comment=True),
        "cancel": Transition(
            {"open", "submitted"}, "cancelled", PLAN, _("Cancel the finding"), needs_comment=True
        ),
    }
)


def audit_actions_for(audit, user) -> list[str]:
    return AUDIT_WORKFLOW.allowed(audit.status, user)


def finding_actions_for(finding, user) -> list[str]:
    """The finding buttons ``user`` may press; who decides depends on whose audit it was."""
    if finding.audit.is_final and finding.audit.status == "cancelled":
        return []
    allowed = FINDING_WORKFLOW.allowed(finding.status, user)
    customer_audit = finding.audit.is_customer_audit
    decider = REVIEW if customer_audit else PLAN
    result = []
    for action in allowed:
        if action == "close" and (customer_audit or _needs_response(finding)):
            continue
        if action == "confirm_closure" and not customer_audit:
            continue
        if action == "send_back" and not user.has_capability(decider):
            continue
        result.append(action)
    return result


def _needs_response(finding) -> bool:
    return finding.is_nonconformity and finding.status == "open"
