"""The notifications of special statuses (registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Audience, Kind, register

GROUP = _("Special status")

# To our team
OPENED = "special_status.opened"
CRITERION_MET = "special_status.criterion_met"
ALL_CRITERIA_MET = "special_status.all_criteria_met"
EXIT_DECIDED = "special_status.exit_decided"
# To the customer
EXIT_REQUESTED = "special_status.exit_requested"

KINDS = (
    Kind(
        OPENED,
        _("A customer put us on a special status (escalation, controlled shipping, hold)"),
        Audience.INTERNAL,
    ),
    Kind(CRITERION_MET, _("An exit criterion of a special status was met"), Audience.INTERNAL),
    Kind(
        ALL_CRITERIA_MET,
        _("Every exit criterion of a special status is met"),
        Audience.INTERNAL,
    ),
    Kind(EXIT_DECIDED, _("The customer signed or declined the exit"), Audience.INTERNAL),
    Kind(
        EXIT_REQUESTED,
        _("We ask you to end a special status: your signature is needed"),
        Audience.CUSTOMER,
    ),
)


def register_kinds() -> None:
    register(*KINDS, group=GROUP)
