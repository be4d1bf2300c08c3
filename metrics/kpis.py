"""The KPI set of the dashboard, the customer scorecard and the monthly report (REFERENCE §5).

One function, ``kpis_for``, gathers every figure for a scope (company or one customer) and a
period, so the dashboard, the API and the PDF can never disagree. Modules that do not exist yet
(PPAP, changes, audits) appear as sections without data and fill in once they are installed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims import kpis as claim_kpis
from core.models import Action
from customers import defaults

from . import ppm
from .ppm import Counts, Scope

# Modules whose figures the report shows once they are installed: app label -> section title.
LATER_MODULES = {
    "ppap": _("PPAP"),
    "changes": _("Changes"),
    "audits": _("Audits"),
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
    module_sections: dict[str, str | None] = field(default_factory=dict)

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


def kpis_for(month: dt.date, *, customer=None, now=None) -> Kpis:
    """Every KPI for ``month`` (any day in it), for one customer or the whole company."""
    month = ppm.month_start(month)
    customer_id = customer.pk if customer is not None else None
    scope = Scope(customer_id=customer_id)
    start, end = month_bounds(month)
    first = ppm.add_months(month, -11)
    months = ppm.monthly_counts(scope, min(first, dt.date(month.year, 1, 1)), month)
    return Kpis(
        scope=scope,
        month=month,
        month_counts=months[month],
        ytd=ppm.pooled(c for m, c in months.items() if m.year == month.year),
        rolling_12=ppm.pooled(c for m, c in months.items() if m >= first),
        targets=targets_for(customer),
        on_time=claim_kpis.eight_d_on_time(start, end, customer_id=customer_id, now=now),
        mean_reaction_hours=claim_kpis.mean_reaction_hours(start, end, customer_id=customer_id),
        open_by_age=claim_kpis.open_by_age(customer_id=customer_id, now=now),
        overdue_actions=_overdue_actions(customer),
        cost_of_poor_quality=claim_kpis.cost_of_poor_quality(start, end, customer_id=customer_id),
        module_sections={label: None for label in LATER_MODULES if not apps.is_installed(label)},
    )


def _overdue_actions(customer) -> int:
    if customer is None:
        return Action.objects.overdue().count()
    return claim_kpis.overdue_actions(customer_id=customer.pk)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
