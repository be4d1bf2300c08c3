"""The special status lifecycle (REFERENCE §6): who moves it where.

open → exit_requested: our staff, once every exit criterion is met.
exit_requested → closed: the customer signs the exit with their password. A quality manager may
    record the exit on the customer's behalf, signing with their own password and naming the
    customer's written confirmation (a letter or e-mail attached to the status): the customer
    decides, the portal only records it.
exit_requested → open: the customer declines the exit, saying why (or a manager records that).

Who decides is checked by ``may_decide`` (the customer's users, or our managers), not by the
table's capability, as for a deviation's approval.
"""

from django.utils.translation import gettext_lazy as _

from core.workflow import CustomerDecision, Transition, Workflow

WORK = "special_status.work"
REVIEW = "special_status.review"
DECIDE_FOR_CUSTOMER = "special_status.decide_for_customer"
DECISIONS = ("sign_exit", "decline_exit")

STATUS_WORKFLOW = Workflow(
    {
        "request_exit": Transition({"open"}, "exit_requested", WORK, _("Request the exit")),
        "sign_exit": Transition({"exit_requested"}, "closed", None, _("Sign the exit")),
        "decline_exit": Transition(
            {"exit_requested"}, "open", None, _("Decline the exit"), needs_comment=True
        ),
    }
)


# Our engineers, managers and admins open statuses, meet criteria and ask for the exit; the
# customer's users decide, or our managers recording the customer's written decision.
WHO = CustomerDecision(
    STATUS_WORKFLOW,
    DECISIONS,
    "exit_requested",
    work=WORK,
    review=REVIEW,
    on_behalf=DECIDE_FOR_CUSTOMER,
)
may_work, may_decide = WHO.may_work, WHO.may_decide
actions_for, decisions_for = WHO.actions_for, WHO.decisions_for
