"""The PPAP submission lifecycle and the element cycle (REFERENCE §2)."""

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow

WORK = "ppap.work"
SIGN = "ppap.sign"
REVIEW = "ppap.review"
AUTOMATIC = "ppap.automatic"

SUBMISSION_WORKFLOW = Workflow(
    {
        "send": Transition({"draft"}, "submitted", WORK, _("Submit to the customer")),
        "cancel": Transition({"draft"}, "cancelled", WORK, _("Cancel"), needs_comment=True),
        "approve": Transition({"submitted"}, "approved", REVIEW, _("Approve")),
        "approve_deviations": Transition(
            {"submitted"}, "approved_deviations", REVIEW, _("Approve with deviations")
        ),
        "interim": Transition({"submitted"}, "interim", REVIEW, _("Interim approval")),
        "reject": Transition({"submitted"}, "rejected", REVIEW, _("Reject"), needs_comment=True),
        "expire": Transition({"interim"}, "interim_expired", AUTOMATIC),
        # The old revision keeps its status; the new revision starts as a draft.
        "resubmit": Transition(
            {"interim", "interim_expired", "rejected"}, "draft", WORK, _("Resubmit (new revision)")
        ),
    }
)
DISPOSITIONS = ("approve", "approve_deviations", "interim", "reject")

ELEMENT_WORKFLOW = Workflow(
    {
        "start": Transition({"open"}, "in_progress", WORK, _("Start")),
        "ready": Transition({"open", "in_progress"}, "ready", WORK, _("Mark ready")),
        "reopen": Transition({"ready"}, "in_progress", WORK, _("Reopen")),
        "approve": Transition({"ready"}, "approved", REVIEW, _("Approve element")),
        "reject": Transition(
            {"ready"}, "rejected", REVIEW, _("Reject element"), needs_comment=True
        ),
    }
)
INTERNAL_ELEMENT_ACTIONS = ("start", "ready", "reopen")
CUSTOMER_ELEMENT_ACTIONS = ("approve", "reject")


def submission_actions_for(submission, user) -> list[str]:
    if not submission.is_current:
        return []
    actions = SUBMISSION_WORKFLOW.allowed(submission.status, user)
    if not submission.is_vda:
        actions = [a for a in actions if a != "approve_deviations"]
    return actions


def element_actions_for(element, submission, user) -> list[str]:
    if not submission.is_current:
        return []
    if submission.status == "draft":
        if is_warrant_element(element, submission):
            return []  # follows the warrant's signature (services.warrant_sign)
        names = INTERNAL_ELEMENT_ACTIONS
    elif submission.status == "submitted" and element.is_submitted_element:
        names = CUSTOMER_ELEMENT_ACTIONS
    else:
        return []
    allowed = ELEMENT_WORKFLOW.allowed(element.status, user)
    return [name for name in names if name in allowed]


def is_warrant_element(element, submission) -> bool:
    """The element that is the Part Submission Warrant itself (18 in AIAG): it is ready when the
    warrant is signed and open again when a change removes the signature, never by hand."""
    from .editions import edition

    return element.number == edition(submission.edition).PSW
