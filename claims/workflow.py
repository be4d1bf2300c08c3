"""The claim lifecycle and the 8D step cycle (REFERENCE §1): which state may go where.

Transitions with the capability ``AUTOMATIC`` are taken by the services themselves (a step approval
moves the claim on); no role holds that capability, so they never show up as buttons.
"""

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow

FILE = "claims.file"
WORK = "claims.work"
REVIEW = "claims.review"
AUTOMATIC = "claims.automatic"

ACTIVE_8D = {
    "containment",
    "root_cause",
    "corrective_action",
    "prevention",
    "customer_evaluation",
}

CLAIM_WORKFLOW = Workflow(
    {
        "submit": Transition({"draft"}, "submitted", FILE, _("Submit")),
        "acknowledge": Transition({"submitted"}, "acknowledged", WORK, _("Acknowledge")),
        "start_review": Transition({"acknowledged"}, "under_review", WORK, _("Start review")),
        "accept_responsibility": Transition(
            {"under_review"}, "containment", WORK, _("Accept as ours")
        ),
        "reject_responsibility": Transition(
            {"under_review"}, "rejected", WORK, _("Reject responsibility"), needs_comment=True
        ),
        "to_root_cause": Transition({"containment"}, "root_cause", AUTOMATIC),
        "to_corrective_action": Transition({"root_cause"}, "corrective_action", AUTOMATIC),
        "to_prevention": Transition({"corrective_action"}, "prevention", AUTOMATIC),
        "to_customer_evaluation": Transition({"prevention"}, "customer_evaluation", AUTOMATIC),
        "customer_accept_8d": Transition(
            {"customer_evaluation"}, "closed", REVIEW, _("Accept the 8D")
        ),
        "customer_reject_8d": Transition(
            {"customer_evaluation"},
            "corrective_action",
            REVIEW,
            _("Reject the 8D"),
            needs_comment=True,
        ),
        # Accepted pending proof of effectiveness by a date (claims.provisional); the customer
        # confirms it, or sends the corrective actions back when the evidence does not hold.
        "customer_accept_provisionally": Transition(
            {"customer_evaluation"},
            "provisionally_closed",
            REVIEW,
            _("Accept provisionally"),
        ),
        "customer_confirm_effectiveness": Transition(
            {"provisionally_closed"}, "closed", REVIEW, _("Confirm effectiveness")
        ),
        "customer_reject_effectiveness": Transition(
            {"provisionally_closed"},
            "corrective_action",
            REVIEW,
            _("Effectiveness not proven"),
            needs_comment=True,
        ),
        "reopen": Transition({"closed"}, "root_cause", WORK, _("Reopen"), needs_comment=True),
        # Who may cancel (the filing customer or our staff) is checked by the service.
        "cancel": Transition(
            {"draft", "submitted"}, "cancelled", None, _("Cancel claim"), needs_comment=True
        ),
    }
)

# Approving this step moves a claim in the given status on by the given transition.
ADVANCE_ON_APPROVAL = {
    "D3": ("containment", "to_root_cause"),
    "D4": ("root_cause", "to_corrective_action"),
    "D6": ("corrective_action", "to_prevention"),
    "D7": ("prevention", "to_customer_evaluation"),
}

STEP_WORKFLOW = Workflow(
    {
        "save": Transition({"open", "draft", "sent_back"}, "draft", WORK, _("Save draft")),
        "submit": Transition(
            {"open", "draft", "sent_back"}, "submitted", WORK, _("Submit to customer")
        ),
        "approve": Transition({"submitted"}, "approved", REVIEW, _("Approve")),
        "send_back": Transition(
            {"submitted"}, "sent_back", REVIEW, _("Send back"), needs_comment=True
        ),
    }
)


def claim_actions_for(claim, user) -> list[str]:
    """The claim transitions ``user`` may take now: the buttons on the claim page.

    None on a claim that follows another claim's 8D (claims.linking): that claim is worked on.
    """
    if claim.master_id is not None:
        return []
    return CLAIM_WORKFLOW.allowed(claim.status, user)


def step_actions_for(step, claim, user) -> list[str]:
    following = claim.master_id is not None  # the master's steps are worked on instead
    if following or claim.status not in {"acknowledged", "under_review", *ACTIVE_8D}:
        return []
    return STEP_WORKFLOW.allowed(step.status, user)
