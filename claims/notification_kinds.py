"""The notifications claims send: who hears of what (registered in ``ClaimsConfig.ready``).

Internal kinds reach our staff only; customer kinds reach the customer's users and its report
recipients and carry nothing internal (no internal notes, no costs before they are released).
"""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Audience, Delivery, Kind, register

GROUP = _("Claims and 8D")

# --- to our team ---------------------------------------------------------------------------------
SUBMITTED = "claims.submitted"
SAFETY_ALERT = "claims.safety_alert"
NOT_ACKNOWLEDGED = "claims.not_acknowledged"
STEP_DECIDED = "claims.step_decided"
EIGHT_D_DECIDED = "claims.8d_decided"
COMMENTED = "claims.commented"
COSTS_DECIDED = "claims.costs_decided"
STEP_DUE_SOON = "claims.step_due_soon"
STEP_OVERDUE = "claims.step_overdue"
CUSTOMER_ACTION = "claims.customer_action"
ACCEPTED_PROVISIONALLY = "claims.accepted_provisionally"
EFFECTIVENESS_DUE = "claims.effectiveness_due"

# --- to the customer -----------------------------------------------------------------------------
ACKNOWLEDGED = "claims.acknowledged"
RESPONSIBILITY_ACCEPTED = "claims.responsibility_accepted"
RESPONSIBILITY_REJECTED = "claims.responsibility_rejected"
STEP_SUBMITTED = "claims.step_submitted"
COSTS_RELEASED = "claims.costs_released"
CLOSED = "claims.closed"
ACTION_REVISED = "claims.action_revised"
EFFECTIVENESS_EVIDENCE = "claims.effectiveness_evidence"

# --- to both sides -------------------------------------------------------------------------------
LINKED = "claims.linked"

KINDS = (
    Kind(SUBMITTED, _("New claim submitted"), Audience.INTERNAL),
    Kind(SAFETY_ALERT, _("Safety or critical claim submitted"), Audience.INTERNAL, mandatory=True),
    Kind(NOT_ACKNOWLEDGED, _("Claim not acknowledged in time"), Audience.INTERNAL),
    Kind(STEP_DECIDED, _("Customer approved or sent back an 8D step"), Audience.INTERNAL),
    Kind(EIGHT_D_DECIDED, _("Customer accepted or rejected the 8D"), Audience.INTERNAL),
    Kind(COMMENTED, _("Customer commented on a claim"), Audience.INTERNAL),
    Kind(COSTS_DECIDED, _("Customer accepted or disputed the costs"), Audience.INTERNAL),
    Kind(STEP_DUE_SOON, _("8D step due soon"), Audience.INTERNAL, Delivery.DIGEST),
    Kind(STEP_OVERDUE, _("8D step overdue"), Audience.INTERNAL),
    Kind(CUSTOMER_ACTION, _("Customer added or declined an 8D action"), Audience.INTERNAL),
    Kind(ACCEPTED_PROVISIONALLY, _("Customer accepted an 8D provisionally"), Audience.INTERNAL),
    Kind(EFFECTIVENESS_DUE, _("Effectiveness evidence due soon"), Audience.INTERNAL),
    Kind(ACKNOWLEDGED, _("Your claim was acknowledged"), Audience.CUSTOMER),
    Kind(RESPONSIBILITY_ACCEPTED, _("Your claim was accepted"), Audience.CUSTOMER),
    Kind(RESPONSIBILITY_REJECTED, _("Your claim was rejected"), Audience.CUSTOMER),
    Kind(STEP_SUBMITTED, _("8D step submitted for your approval"), Audience.CUSTOMER),
    Kind(COSTS_RELEASED, _("Claim costs released for your decision"), Audience.CUSTOMER),
    Kind(CLOSED, _("Claim closed"), Audience.CUSTOMER),
    Kind(ACTION_REVISED, _("8D action revised for your decision"), Audience.CUSTOMER),
    Kind(
        EFFECTIVENESS_EVIDENCE,
        _("Effectiveness evidence sent for your confirmation"),
        Audience.CUSTOMER,
    ),
    Kind(LINKED, _("Claim attached to or detached from another claim's 8D"), Audience.ANYONE),
)


def register_kinds() -> None:
    register(*KINDS, group=GROUP)
