"""Special status cards and "whose turn it is" on the home pages (registered in
SpecialStatusConfig.ready and by ``register_home_waiting``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.home import (
    CountCard,
    HomeCard,
    HomeWaiting,
    items_for,
    ours,
    persona,
    register_home_waiting,
)
from core.waiting import Party, waiting_filter

from .models import SpecialStatus
from .selectors import only_in_force

TO_SIGN = CountCard(
    "special_status_exits",
    gettext_lazy("Special status exits awaiting your signature"),
    "bi-shield-exclamation",
    "special_status:status-list",
    "waiting=customer",
)
IN_FORCE = CountCard(
    "special_statuses_in_force",
    gettext_lazy("Special statuses in force"),
    "bi-shield-exclamation",
    "special_status:status-list",
    "in_force=on",
)


def status_cards(user) -> list[HomeCard]:
    statuses = SpecialStatus.objects.visible_to(user)
    if persona(user) == "customer":
        return [TO_SIGN.of(waiting_filter(statuses, Party.CUSTOMER).count())]
    return [IN_FORCE.of(only_in_force(statuses).count())]


@register_home_waiting
def status_waiting(user) -> HomeWaiting:
    statuses = SpecialStatus.objects.visible_to(user)
    if persona(user) == "customer":
        waiting = waiting_filter(statuses.select_related("customer"), Party.CUSTOMER)
        return HomeWaiting(for_customer=items_for("special_status", waiting.order_by("pk"), _title))
    count = waiting_filter(statuses, Party.US).count()
    return HomeWaiting(
        for_us=[ours("special_status", _("Special status"), count, "special_status:status-list")]
    )


def _title(special_status) -> str:
    return f"{special_status.number} · {special_status.get_kind_display()}"
