"""The KPI set of the dashboard, the customer scorecard and the monthly report (REFERENCE §5).

One function, ``kpis_for``, gathers every figure for a scope (company or one customer) and a
period, so the dashboard, the API and the PDF can never disagree. PPAP, changes and audits report
their own key figures (``<app>.selectors.kpi_figures``), shown as one section each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits import selectors as audit_selectors
from changes import selectors as change_selectors
from claims import kpis as claim_kpis
from core.figures import Figure
from core.models import Action
from customers import defaults
from ppap import selectors as ppap_selectors

from . import ppm
from .ppm import Counts, Scope

# The modules with a key-figure section: key -> (section title, figures function).
MODULES = {
    "ppap": (_("PPAP"), ppap_selectors.kpi_figures),
    "changes": (_("Changes and deviations"), change_selectors.kpi_figures),
    "audits": (_("Audits"), audit_selectors.kpi_figures),
}


@dataclass(frozen=True)
class Targets:
    ppm_0km: Decimal
    ppm_field: Decimal


@dataclass
class Kpis:
    scope: Scope
    month: dt.date  # the report month (first day)
    month_counts: Counts
    ytd: Counts
    rolling_12: Counts
    targets: Targets
    on_time: claim_kpis.OnTime
    mean_reaction_hours: Decimal | None
    open_by_age: dict[str, int]
    overdue_actions: int
    cost_of_poor_quality: dict[str, Decimal]
    module_sections: dict[str, list[Figure]] = field(default_factory=dict)
    # 8Ds accepted provisionally, their effectiveness not yet confirmed: not among the open.
    provisionally_closed: int = 0

    @property
    def open_claims(self) -> int:
        return sum(self.open_by_age.values())


def targets_for(customer) -> Targets:
    """The customer's agreed targets; our default targets for the company as a whole."""
    if customer is None:
        return Targets(defaults.PPM_TARGET_0KM, defaults.PPM_TARGET_FIELD)
    requirements = customer.requirements
    return Targets(requirements.ppm_target_0km, requirements.ppm_target_field)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = ppm.month_start(month)
    end = ppm.add_months(start, 1)
    return _aware(start), _aware(end)


def kpis_for(month: dt.date, *, customer=None, plant_id=None, now=None, monthly=None) -> Kpis:
    """Every KPI for ``month`` (any day in it), for one customer or the whole company.

    ``plant_id`` narrows every figure to one of our plants: deliveries by shipping plant, claims
    by the plant that makes the part. ``monthly`` may pass ppm counts the caller already has, as
    long as they cover the twelve months up to ``month`` (which always include its January).
    """
    month = ppm.month_start(month)
    customer_id = customer.pk if customer is not None else None
    scope = Scope(customer_id=customer_id, plant_id=plant_id)
    narrowed = {"customer_id": customer_id, "plant_id": plant_id}
    start, end = month_bounds(month)
    first = ppm.add_months(month, -11)
    open_by_age, provisionally_closed = claim_kpis.standing_claims(now=now, **narrowed)
    if monthly is None:
        monthly = ppm.monthly_counts(scope, first, month)
    return Kpis(
        scope=scope,
        month=month,
        month_counts=monthly[month],
        ytd=ppm.pooled(c for m, c in monthly.items() if m.year == month.year and m <= month),
        rolling_12=ppm.pooled(c for m, c in monthly.items() if first <= m <= month),
        targets=targets_for(customer),
        on_time=claim_kpis.eight_d_on_time(start, end, now=now, **narrowed),
        mean_reaction_hours=claim_kpis.mean_reaction_hours(start, end, **narrowed),
        open_by_age=open_by_age,
        overdue_actions=_overdue_actions(customer_id, plant_id),
        cost_of_poor_quality=claim_kpis.cost_of_poor_quality(start, end, **narrowed),
        module_sections=module_figures(start, end, customer_id=customer_id, plant_id=plant_id),
        provisionally_closed=provisionally_closed,
    )


def module_figures(start, end, *, customer_id=None, plant_id=None) -> dict[str, list[Figure]]:
    return {
        key: figures(start, end, customer_id=customer_id, plant_id=plant_id)
        for key, (_title, figures) in MODULES.items()
    }


def _overdue_actions(customer_id, plant_id) -> int:
    if customer_id is None and plant_id is None:
        return Action.objects.overdue().count()  # every action, not only those on claims
    return claim_kpis.overdue_actions(customer_id=customer_id, plant_id=plant_id)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
