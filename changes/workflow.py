"""The change request lifecycle (REFERENCE §3): which status may go where, and who may move it.

draft → submitted → impact assessment → review board → customer approval pending → approved
(or rejected / deferred) → ECN released → validated → implemented → closed; cancelled from any
open status.

Validation comes *before* implementation. REFERENCE §3 lists "implemented (break point reached) →
validated (PPAP approved)" as states but states the rule "validation must precede
implementation": the new parts are validated (and, where required, their PPAP approved) before
the break point is reached in series production, never afterwards. The table therefore only
allows validating a released change and implementing a validated one, so that "validation after
implementation" and "implementation without validation" are both impossible.

Transitions with the capability ``AUTOMATIC`` are taken by the services themselves (the last
assessment moves the change to the board, the last board signature moves it on); no role holds
that capability, so they never show up as buttons.
"""

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow

WORK = "changes.work"
APPROVE = "changes.approve"
REVIEW = "changes.review"
AUTOMATIC = "changes.automatic"

OPEN_STATUSES = {
    "draft",
    "submitted",
    "impact_assessment",
    "review_board",
    "customer_approval",
    "deferred",
    "approved",
    "released",
    "validated",
    "implemented",
}

CHANGE_WORKFLOW = Workflow(
    {
        "submit": Transition({"draft"}, "submitted", WORK, _("Submit")),
        "start_assessment": Transition(
            {"submitted"}, "impact_assessment", WORK, _("Start impact assessment")
        ),
        "to_review_board": Transition({"impact_assessment"}, "review_board", AUTOMATIC),
        # Board members decide one by one (approve with their signature) on their own rows.
        "board_reject": Transition(
            {"review_board"}, "rejected", WORK, _("Reject (review board)"), needs_comment=True
        ),
        "board_defer": Transition(
            {"review_board"}, "deferred", WORK, _("Defer (review board)"), needs_comment=True
        ),
        "resume": Transition({"deferred"}, "review_board", WORK, _("Back to the review board")),
        "to_customer": Transition({"review_board"}, "customer_approval", AUTOMATIC),
        "board_complete": Transition({"review_board"}, "approved", AUTOMATIC),
        "customer_approve": Transition(
            {"customer_approval"}, "approved", REVIEW, _("Approve the change")
        ),
        "customer_reject": Transition(
            {"customer_approval"}, "rejected", REVIEW, _("Reject the change"), needs_comment=True
        ),
        "waive": Transition(
            {"customer_approval"}, "approved", APPROVE, _("Record the customer's waiver")
        ),
        "release": Transition({"approved"}, "released", APPROVE, _("Release the ECN")),
        "validate": Transition({"released"}, "validated", WORK, _("Record validation")),
        "implement": Transition({"validated"}, "implemented", WORK, _("Record implementation")),
        "close": Transition({"implemented"}, "closed", WORK, _("Close")),
        "cancel": Transition(OPEN_STATUSES, "cancelled", WORK, _("Cancel"), needs_comment=True),
    }
)


def change_actions_for(change, user) -> list[str]:
    """The transitions ``user`` may take now: the buttons on the change page."""
    return CHANGE_WORKFLOW.allowed(change.status, user)
