"""The campaign lifecycle: planned → open for answers → closed.

Capabilities (accounts/roles.py): ``surveys.view`` reads templates, campaigns and results (our
staff), ``surveys.manage`` plans, opens and closes campaigns and keeps the schedules (quality
managers), ``surveys.answer`` answers surveys and rates 8Ds (the customer's users).
"""

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow

VIEW = "surveys.view"
MANAGE = "surveys.manage"
ANSWER = "surveys.answer"

CAMPAIGN_WORKFLOW = Workflow(
    {
        "open": Transition({"planned"}, "open", MANAGE, _("Open for answers")),
        "close": Transition({"open"}, "closed", MANAGE, _("Close the campaign")),
    }
)
