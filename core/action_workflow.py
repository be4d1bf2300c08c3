"""The action lifecycle: open → in progress → done → closed (effective), or cancelled.

Who may act is not a capability of the transition: it is the action's owner or anyone with
``actions.manage`` (see ``core.services.action_may_act``), so the table carries no capability.
"""

from django.utils.translation import gettext_lazy as _

from .models import Action
from .workflow import Transition, Workflow

S = Action.Status
# Open or in progress: not yet done, closed or cancelled.
ACTIVE = Action.OPEN_STATUSES

ACTION_WORKFLOW = Workflow(
    {
        "start": Transition({S.OPEN}, S.IN_PROGRESS, label=_("Start")),
        "complete": Transition(
            ACTIVE, S.DONE, label=_("Mark done"), needs_comment=True, extra={"field": "note"}
        ),
        "reopen": Transition({S.DONE}, S.IN_PROGRESS, label=_("Reopen")),
        "check_effectiveness": Transition(
            {S.DONE},
            S.CLOSED,
            label=_("Check effectiveness"),
            needs_comment=True,
            # An ineffective action goes back to work instead of closing.
            extra={"field": "evidence", "target_if_not_effective": S.IN_PROGRESS},
        ),
        "cancel": Transition(
            ACTIVE, S.CANCELLED, label=_("Cancel"), needs_comment=True, extra={"field": "reason"}
        ),
    }
)
