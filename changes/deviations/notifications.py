"""Who hears of what in a deviation's life, through ``notifications.notify`` (DESIGN §7).

Called by the services inside their transaction. A request goes to the customer (their users and
report recipients); the customer's decision goes to the deviation's owner (else the quality
managers); the daily warnings go to each owner, one notification per owner and run.
"""

from __future__ import annotations

from operator import attrgetter

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from notifications.recipients import owner_or_managers
from notifications.services import THE_CUSTOMER, Notices, Text, notify

from .. import notification_kinds as kinds
from ..notifications import Lines, short_date

_DEVIATION = Notices(
    says={
        "kind": lambda deviation: deviation.Kind(deviation.kind).label,
        "status": lambda deviation: deviation.Status(deviation.status).label,
        "comment": attrgetter("decision_comment"),
    },
)

# Sent to the customer: their users and report recipients are asked to decide.
decision_needed = _DEVIATION.notice(
    kinds.DEVIATION_DECISION_NEEDED,
    _("%(number)s: %(kind)s requested for your approval"),
    _(
        "We request your authorisation for %(number)s: %(title)s\n\n"
        "Please approve or reject it in the quality portal."
    ),
    to=THE_CUSTOMER,
)
# The customer's decision (or our record of it) goes to the owner, else the managers.
decided = _DEVIATION.notice(
    kinds.DEVIATION_DECIDED,
    _("%(number)s: %(status)s by the customer"),
    "%(comment)s",
    to=lambda deviation: owner_or_managers(deviation.owner),
)


def warning(owner, deviations: list) -> list:
    """One notification to ``owner`` about their deviations near expiry or cap."""
    count = len(deviations)
    single = deviations[0] if count == 1 else None
    return notify(
        kind=kinds.DEVIATION_WARNING,
        recipients=[owner],
        record=single,
        url=single.get_absolute_url() if single else reverse("changes:deviation-list"),
        title=Text(
            ngettext_lazy(
                "Deviations: %(count)s needs your attention",
                "Deviations: %(count)s need your attention",
                count,
            ),
            count=count,
        ),
        body=Text("%(lines)s", lines=Lines([_line(d) for d in deviations], "\n\n")),
    )


def _line(deviation) -> Text:
    reasons = []
    if deviation.near_expiry:
        reasons.append(
            Text(
                _("expires on %(date)s (%(days)s days left)"),
                date=short_date(deviation.expires_on),
                days=deviation.days_to_expiry(),
            )
        )
    if deviation.near_cap:
        reasons.append(
            Text(
                _("%(shipped)s of %(cap)s parts shipped"),
                shipped=deviation.quantity_shipped,
                cap=deviation.quantity_cap,
            )
        )
    return Text(
        "%(number)s %(title)s: %(reasons)s",
        number=deviation.number,
        title=deviation.title,
        reasons=Lines(reasons, "; "),
    )
