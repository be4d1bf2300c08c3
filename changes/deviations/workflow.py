"""The deviation / concession lifecycle (REFERENCE §3, IATF 16949 8.7.1.1): who goes where.

draft → requested (sent to the customer) → approved (active) or rejected; an active deviation ends
as expired (past its expiry date), exhausted (quantity cap shipped) or closed (withdrawn early or
finished). Drafts and open requests may be cancelled.

Transitions with the capability ``AUTOMATIC`` are taken by the services themselves (the daily
expiry, the shipment that reaches the cap); no role holds it, so they never show up as buttons.
The customer's decision (approve / reject) is open to the customer's own users and, for an
authorisation the customer gave outside the portal, to our managers: ``may_decide`` says who.
"""

from django.utils.translation import gettext_lazy as _

from core.workflow import CustomerDecision, Transition, Workflow

WORK = "changes.work"
REVIEW = "changes.review"
APPROVE_FOR_CUSTOMER = "changes.approve"
AUTOMATIC = "changes.automatic"
DECISIONS = ("approve", "reject")

DEVIATION_WORKFLOW = Workflow(
    {
        "request": Transition({"draft"}, "requested", WORK, _("Send to the customer")),
        # Who decides is checked by ``may_decide`` (customer users or our managers).
        "approve": Transition({"requested"}, "approved", None, _("Approve")),
        "reject": Transition({"requested"}, "rejected", None, _("Reject"), needs_comment=True),
        "expire": Transition({"approved"}, "expired", AUTOMATIC),
        "exhaust": Transition({"approved"}, "exhausted", AUTOMATIC),
        "close": Transition({"approved"}, "closed", WORK, _("Close"), needs_comment=True),
        "cancel": Transition(
            {"draft", "requested"}, "cancelled", WORK, _("Cancel"), needs_comment=True
        ),
    }
)


# Our engineers, managers and admins prepare, send, ship under and close deviations; the
# customer's users decide, or our managers recording an authorisation given outside the portal.
WHO = CustomerDecision(
    DEVIATION_WORKFLOW,
    DECISIONS,
    "requested",
    work=WORK,
    review=REVIEW,
    on_behalf=APPROVE_FOR_CUSTOMER,
)
may_work, may_decide = WHO.may_work, WHO.may_decide
actions_for, decisions_for = WHO.actions_for, WHO.decisions_for
