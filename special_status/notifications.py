"""Who hears of what in a special status's life, through ``notifications.notify`` (DESIGN §7).

Called by the services inside their transaction. The quality managers hear of every new status,
of every exit criterion met and of the moment all are met; the customer (their users and report
recipients) is asked to sign the exit; their decision goes to the responsible engineer and the
managers. Customer notifications carry nothing internal (no costs).
"""

from __future__ import annotations

from operator import attrgetter

from django.utils.translation import gettext_lazy as _

from notifications.recipients import quality_managers
from notifications.services import THE_CUSTOMER, Notices

from . import notification_kinds as kinds


def _managers(special_status) -> list:
    return quality_managers()


def _owner_and_managers(special_status) -> list:
    return [special_status.owner, *quality_managers()]


_STATUS = Notices(
    says={
        "kind": lambda special_status: special_status.Kind(special_status.kind).label,
        "status": lambda special_status: special_status.Status(special_status.status).label,
        "customer": lambda special_status: special_status.customer.name,
        "reason": lambda special_status: special_status.reason[:500],
        "comment": attrgetter("decision_comment"),
    },
)

opened = _STATUS.notice(
    kinds.OPENED,
    _("%(number)s: %(customer)s put us on %(kind)s"),
    _("Reason given by the customer: %(reason)s"),
    to=_managers,
)
# ``criterion``: its text; ``met`` and ``total``: how many are met now, of how many.
criterion_met = _STATUS.notice(
    kinds.CRITERION_MET,
    _("%(number)s: exit criterion met (%(met)s of %(total)s)"),
    _("%(criterion)s\n\nEvidence: %(evidence)s"),
    to=_managers,
)
all_criteria_met = _STATUS.notice(
    kinds.ALL_CRITERIA_MET,
    _("%(number)s: every exit criterion is met"),
    _("%(kind)s of %(customer)s: request the exit from the customer."),
    to=_managers,
)
exit_requested = _STATUS.notice(
    kinds.EXIT_REQUESTED,
    _("%(number)s: we ask you to end %(kind)s"),
    _(
        "Every exit criterion you set is met; the evidence is in the quality portal.\n\n"
        "Please sign or decline the exit there."
    ),
    to=THE_CUSTOMER,
)
exit_signed = _STATUS.notice(
    kinds.EXIT_DECIDED,
    _("%(number)s: the exit is signed, %(kind)s has ended"),
    "%(comment)s",
    to=_owner_and_managers,
)
exit_declined = _STATUS.notice(
    kinds.EXIT_DECIDED,
    _("%(number)s: the customer declined the exit"),
    "%(comment)s",
    to=_owner_and_managers,
)
