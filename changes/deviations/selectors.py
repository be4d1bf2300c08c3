"""Reads for the deviation register, the detail page, the API and the export."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.signatures import signatures_of
from customers.models import CustomerRequirements

from ..models import Deviation, DeviationEvent, DeviationShipment


def deviations_for_list(user) -> QuerySet[Deviation]:
    """The deviations ``user`` may see, with what the register shows (parts prefetched)."""
    return Deviation.objects.visible_to(user).with_related().prefetch_related("parts")


def expiring_soon(deviations: QuerySet[Deviation], today: dt.date | None = None):
    """Active deviations within their customer's warning period before the expiry date.

    The period is per customer: one condition per distinct value in use (a handful), none per row.
    """
    today = today or timezone.localdate()
    windows = CustomerRequirements.objects.values_list(
        "deviation_expiry_warning_days", flat=True
    ).distinct()
    condition = Q(pk__in=[])
    for days in windows:
        condition |= Q(
            customer__requirements__deviation_expiry_warning_days=days,
            expires_on__lte=today + dt.timedelta(days=days),
        )
    return deviations.active().filter(condition)


def near_cap(deviations: QuerySet[Deviation]):
    """Active deviations with at least the customer's warning share of the cap shipped."""
    return (
        deviations.active()
        .filter(quantity_cap__isnull=False)
        .alias(shipped_percent=F("quantity_shipped") * 100)
        .filter(
            shipped_percent__gte=F("quantity_cap")
            * F("customer__requirements__deviation_cap_warning_percent")
        )
    )


def shipments_for(deviation: Deviation) -> QuerySet[DeviationShipment]:
    return deviation.shipments.select_related("recorded_by").order_by("-shipped_on", "-pk")


def events_for(deviation: Deviation) -> QuerySet[DeviationEvent]:
    return DeviationEvent.objects.filter(deviation=deviation).select_related("actor")


def signatures_for(deviation: Deviation):
    return signatures_of(deviation)
