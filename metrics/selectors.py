"""Reads behind the delivery pages, the dashboard, the scorecard and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from claims import kpis as claim_kpis

from . import ppm
from .kpis import Kpis, kpis_for, month_bounds
from .models import Delivery
from .ppm import Counts, Scope


def deliveries_for(user) -> QuerySet[Delivery]:
    """The deliveries ``user`` may see, with what a list shows of their customer, part and plant."""
    return Delivery.objects.visible_to(user).select_related("customer", "part", "plant")


def delivery_totals(deliveries: QuerySet[Delivery]) -> dict:
    """How many deliveries and parts a (filtered) set holds, in one query."""
    totals = deliveries.order_by().aggregate(count=Count("pk"), quantity=Sum("quantity"))
    return {"count": totals["count"], "quantity": totals["quantity"] or 0}


# --- dashboard and scorecard ---------------------------------------------------------------------


@dataclass
class DashboardFigures:
    """Everything the dashboard shows for one scope and period, read in a fixed number of queries.

    ``months`` holds the ppm counts of every month of the period, oldest first; the KPI tiles come
    from ``kpis`` (the same ``Kpis`` the scorecard, the API and the monthly report use).
    """

    kpis: Kpis
    months: dict[dt.date, Counts]
    sources: list[tuple[str, int]]
    parts: list[tuple[str, int]]
    opened_closed: dict[dt.date, tuple[int, int]]
    plant_id: int | None = None

    @property
    def first(self) -> dt.date:
        return next(iter(self.months))

    @property
    def has_data(self) -> bool:
        """False when the scope has neither deliveries nor claims to show."""
        return bool(
            any(counts.delivered or counts.incidents for counts in self.months.values())
            or self.opened_closed
            or self.kpis.open_claims
            or self.kpis.provisionally_closed
            or self.kpis.on_time.due
        )


def dashboard_figures(
    month: dt.date, *, months: int = 12, customer=None, plant=None, now=None
) -> DashboardFigures:
    """The dashboard of ``months`` months ending with ``month``, for a customer and plant or all."""
    month = ppm.month_start(month)
    first = ppm.add_months(month, 1 - months)
    customer_id = customer.pk if customer is not None else None
    plant_id = plant.pk if plant is not None else None
    scope = Scope(customer_id=customer_id, plant_id=plant_id)
    monthly = ppm.monthly_counts(scope, first, month)
    kpis = kpis_for(month, customer=customer, plant_id=plant_id, now=now, monthly=monthly)
    start, _ = month_bounds(first)
    _, end = month_bounds(month)
    claim_scope = {"customer_id": customer_id, "plant_id": plant_id}
    return DashboardFigures(
        kpis=kpis,
        months=monthly,
        sources=claim_kpis.pareto("source", start, end, **claim_scope),
        parts=claim_kpis.pareto("part", start, end, **claim_scope),
        opened_closed=claim_kpis.opened_and_closed_by_month(start, end, **claim_scope),
        plant_id=plant_id,
    )


@dataclass
class ScorecardFigures:
    """One customer's own figures: the KPI set of the month and the ppm of the last 12 months."""

    customer: object
    kpis: Kpis
    months: dict[dt.date, Counts]


SCORECARD_MONTHS = 12


def scorecard_figures(customer, month: dt.date, *, now=None) -> ScorecardFigures:
    month = ppm.month_start(month)
    first = ppm.add_months(month, 1 - SCORECARD_MONTHS)
    monthly = ppm.monthly_counts(Scope(customer_id=customer.pk), first, month)
    return ScorecardFigures(
        customer=customer,
        kpis=kpis_for(month, customer=customer, now=now, monthly=monthly),
        months=monthly,
    )
