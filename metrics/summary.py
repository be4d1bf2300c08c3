"""The one-page summary of the monthly report: each key figure against its target, with its traffic
light and its change against the previous month, and the month's ppm per customer.

Every value comes from ``kpis_for`` (the dashboard's figures) for the report month and for the
month before; targets from ``metrics.targets``. Figures that describe the present rather than a
month (open and overdue findings, overdue actions) cannot be recomputed for last month, so they
show no change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import formats
from django.utils.translation import gettext as _

from customers import defaults
from customers.models import Customer

from . import ppm
from .kpis import Kpis
from .targets import Target, company_target, ppm_target

# The first page has room for this many customers; the detail pages list them all.
SUMMARY_CUSTOMERS = 12


def number(value, decimals: int = 0) -> str:
    if value is None:
        return _("n/a")
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def signed(value, decimals: int = 0) -> str:
    """A change with its sign: "+12.50", "−3.00", "±0"."""
    if value is None:
        return ""
    if not value:
        return "±" + number(0, decimals)
    sign = "+" if value > 0 else "−"
    return sign + number(abs(value), decimals)


@dataclass(frozen=True)
class SummaryRow:
    key: str
    label: str
    value: str
    previous: str  # "" for figures of the present, which have no previous month
    change: str
    target: str  # "" without a target
    light: str  # "green", "amber", "red" or "" (no target or no value)


@dataclass(frozen=True)
class Measure:
    """One figure of the summary before formatting."""

    key: str
    label: str
    value: Decimal | int | None
    previous: Decimal | int | None = None
    target: Target | None = None
    unit: str = ""
    decimals: int = 0
    monthly: bool = True  # False: a figure of the present, compared with nothing

    def row(self) -> SummaryRow:
        unit = f" {self.unit}" if self.unit else ""
        change_unit = " " + _("pp") if self.unit == "%" else unit
        has_change = self.monthly and self.value is not None and self.previous is not None
        return SummaryRow(
            key=self.key,
            label=self.label,
            value=number(self.value, self.decimals) + (unit if self.value is not None else ""),
            previous=self._previous_text(unit),
            change=signed(self.value - self.previous, self.decimals) + change_unit
            if has_change
            else "",
            target=self._target_text(unit),
            light=self.target.light(self.value) if self.target else "",
        )

    def _previous_text(self, unit: str) -> str:
        if not self.monthly:
            return ""
        if self.previous is None:
            return _("n/a")
        return number(self.previous, self.decimals) + unit

    def _target_text(self, unit: str) -> str:
        if self.target is None:
            return ""
        relation = "≤" if self.target.better == "lower" else "≥"
        return f"{relation} {number(self.target.target, self.decimals)}{unit}"


def summary_rows(
    kpis: Kpis, previous: Kpis, opened_closed: dict[dt.date, tuple[int, int]], *, internal: bool
) -> list[SummaryRow]:
    """The key figures of ``kpis.month`` against their targets and the month before."""
    this_month, last_month = kpis.month, ppm.add_months(kpis.month, -1)
    opened, closed = opened_closed.get(this_month, (0, 0))
    opened_before, closed_before = opened_closed.get(last_month, (0, 0))
    measures = [
        Measure(
            "ppm_0km",
            _("0 km ppm"),
            kpis.month_counts.ppm_0km,
            previous.month_counts.ppm_0km,
            ppm_target(kpis.targets.ppm_0km),
            decimals=2,
        ),
        Measure(
            "ppm_field",
            _("Field ppm"),
            kpis.month_counts.ppm_field,
            previous.month_counts.ppm_field,
            ppm_target(kpis.targets.ppm_field),
            decimals=2,
        ),
        Measure("claims_opened", _("Claims opened"), opened, opened_before),
        Measure("claims_closed", _("Claims closed"), closed, closed_before),
        Measure(
            "on_time_rate",
            _("8D on-time rate"),
            kpis.on_time.rate,
            previous.on_time.rate,
            company_target("on_time_rate"),
            unit="%",
            decimals=1,
        ),
        Measure(
            "reaction_hours",
            _("Mean reaction time"),
            kpis.mean_reaction_hours,
            previous.mean_reaction_hours,
            company_target("reaction_hours"),
            unit="h",
            decimals=1,
        ),
        Measure(
            "first_time_approval_rate",
            _("PPAP first-time approval"),
            module_value(kpis, "ppap", "first_time_approval_rate"),
            module_value(previous, "ppap", "first_time_approval_rate"),
            company_target("first_time_approval_rate"),
            unit="%",
            decimals=1,
        ),
        Measure(
            "open_findings",
            _("Open audit findings"),
            module_value(kpis, "audits", "open_findings"),
            monthly=False,
        ),
        Measure(
            "overdue_findings",
            _("Overdue nonconformities"),
            module_value(kpis, "audits", "overdue_findings"),
            target=company_target("overdue_findings"),
            monthly=False,
        ),
    ]
    if internal:
        measures.append(
            Measure(
                "overdue_actions",
                _("Overdue actions"),
                kpis.overdue_actions,
                target=company_target("overdue_actions"),
                monthly=False,
            )
        )
    rows = [measure.row() for measure in measures]
    if internal:
        rows.append(cost_row(kpis.cost_of_poor_quality, previous.cost_of_poor_quality))
    return rows


def module_value(kpis: Kpis, module: str, key: str):
    for figure in kpis.module_sections.get(module, []):
        if figure.key == key:
            return figure.value
    return None


def cost_row(costs: dict[str, Decimal], before: dict[str, Decimal]) -> SummaryRow:
    """The cost of poor quality, one amount per currency: amounts are never converted."""
    currencies = sorted(set(costs) | set(before))

    def amounts(totals: dict[str, Decimal]) -> str:
        return " · ".join(f"{number(totals[c], 2)} {c}" for c in currencies if c in totals)

    changes = [
        f"{signed(costs.get(c, Decimal(0)) - before.get(c, Decimal(0)), 2)} {c}" for c in currencies
    ]
    return SummaryRow(
        key="cost_of_poor_quality",
        label=_("Cost of poor quality"),
        value=amounts(costs) or number(0, 2),
        previous=amounts(before) or number(0, 2),
        change=" · ".join(changes),
        target="",
        light="",
    )


# --- ppm per customer -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerPpm:
    name: str
    counts: ppm.Counts
    target_0km: Target
    target_field: Target
    pk: int | None = None  # the customer, for a link to its scorecard

    @property
    def nonconforming(self) -> int:
        return self.counts.defects_0km + self.counts.defects_field

    @property
    def light_0km(self) -> str:
        return self.target_0km.light(self.counts.ppm_0km)

    @property
    def light_field(self) -> str:
        return self.target_field.light(self.counts.ppm_field)


def customer_ppm(month: dt.date, customer=None, counts: ppm.Counts | None = None) -> list:
    """The month's ppm of every customer with deliveries or claims, each against its own targets.

    Worst first: most parts charged to ppm, then most parts delivered. For one customer's report
    only that customer (``counts``: its month, already read).
    """
    if customer is not None:
        return [_customer_row(customer, counts or ppm.Counts())]
    per_customer = ppm.breakdown("customer", ppm.Scope(), month, month)
    customers = Customer.objects.filter(pk__in=per_customer).select_related("requirements")
    rows = [_customer_row(c, per_customer[c.pk]) for c in customers]
    return sorted(rows, key=lambda row: (-row.nonconforming, -row.counts.delivered, row.name))


def _customer_row(customer, counts: ppm.Counts) -> CustomerPpm:
    try:
        agreed = customer.requirements
        targets = (agreed.ppm_target_0km, agreed.ppm_target_field)
    except ObjectDoesNotExist:
        targets = (defaults.PPM_TARGET_0KM, defaults.PPM_TARGET_FIELD)
    target_0km, target_field = ppm_target(targets[0]), ppm_target(targets[1])
    return CustomerPpm(customer.name, counts, target_0km, target_field, pk=customer.pk)
