"""The metrics dashboard for staff and the scorecard of one customer (REFERENCE §5).

Both read their figures from ``metrics.selectors`` (the same ``Kpis`` as the API and the monthly
report) and only turn them into tiles, tables and charts here. Every figure is formatted for the
viewer's language; a ppm without deliveries is "n/a", never 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import data_version
from core.charts import page_svg
from core.forms import DateInput, StyledForm
from core.routes import Routes
from customers.models import Customer, Plant
from customers.permissions import has
from special_status import selectors as special_status
from surveys import selectors as survey_selectors

from . import charts, ppm, rating_inputs, selectors, summary
from .kpis import MODULES, Kpis
from .ppm import Counts, Period

METRICS_VIEW = "metrics.view"
PORTAL_USE = "portal.use"
PERIOD_CHOICES = ((12, gettext_lazy("12 months")), (24, gettext_lazy("24 months")))
FIRST_MONTH = dt.date(2000, 1, 1)
routes = Routes()


def last_complete_month(today: dt.date | None = None) -> dt.date:
    return ppm.add_months(ppm.month_start(today or timezone.localdate()), -1)


# --- filters -------------------------------------------------------------------------------------


class MonthInput(DateInput):
    input_type = "month"
    value_format = "%Y-%m"


class MonthField(forms.DateField):
    """A calendar month as YYYY-MM, cleaned to its first day."""

    widget = MonthInput
    input_formats = ["%Y-%m"]
    default_error_messages = {"invalid": gettext_lazy("Enter a month as YYYY-MM.")}

    def to_python(self, value):
        day = super().to_python(value)
        return ppm.month_start(day) if day else day


class PeriodForm(StyledForm):
    month = MonthField(
        label=gettext_lazy("Month"),
        required=False,
        help_text=gettext_lazy("The period ends with this month; default: the last complete one."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = last_complete_month()

    def clean_month(self):
        month = self.cleaned_data.get("month")
        if month is None:
            return last_complete_month()
        if month > ppm.month_start(timezone.localdate()):
            raise forms.ValidationError(_("Choose a month that has begun."))
        if month < FIRST_MONTH:
            raise forms.ValidationError(_("Choose a month from 2000 on."))
        return month

    def value(self, name, default):
        """The cleaned value of a field, or ``default`` while the filters are unbound or wrong."""
        cleaned = getattr(self, "cleaned_data", {})
        value = cleaned.get(name) if name not in self.errors else None
        return default if value is None else value


class DashboardFilterForm(PeriodForm):
    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(),
        required=False,
        label=gettext_lazy("Customer"),
        empty_label=gettext_lazy("All customers"),
    )
    plant = forms.ModelChoiceField(
        queryset=Plant.objects.none(),
        required=False,
        label=gettext_lazy("Plant"),
        empty_label=gettext_lazy("All plants"),
    )
    months = forms.TypedChoiceField(
        choices=PERIOD_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        initial=12,
        label=gettext_lazy("Period"),
    )
    field_order = ["customer", "plant", "months", "month"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).only("pk", "name")
        self.fields["plant"].queryset = Plant.objects.visible_to(user).only("pk", "code", "name")
        self.fields["month"].help_text = ""


class StaffScorecardForm(PeriodForm):
    """Staff choose whose scorecard to see; customer users get theirs without this choice."""

    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(), required=False, label=gettext_lazy("Customer")
    )
    field_order = ["customer", "month"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).only("pk", "name")
        self.fields["month"].help_text = ""


# --- formatting ----------------------------------------------------------------------------------


def number(value, decimals: int = 0) -> str:
    """Thousands separators in the viewer's language; ``None`` (no deliveries) is "n/a"."""
    if value is None:
        return _("n/a")
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Figure:
    """One ppm figure against its target: ``state`` is "good", "bad" or "" (no figure)."""

    key: str
    label: str
    value: Decimal | None
    target: Decimal
    counts: Counts

    @property
    def text(self) -> str:
        return number(self.value, 2)

    @property
    def delivered(self) -> str:
        return number(self.counts.delivered)

    @property
    def state(self) -> str:
        if self.value is None:
            return ""
        return "good" if self.value <= self.target else "bad"


@dataclass(frozen=True)
class PpmCard:
    kind: str
    title: str
    target: Decimal
    figures: list[Figure]

    @property
    def target_text(self) -> str:
        return number(self.target, 2)


def _ppm(counts: Counts, kind: str) -> Decimal | None:
    return counts.ppm_0km if kind == "0km" else counts.ppm_field


def ppm_cards(kpis: Kpis) -> list[PpmCard]:
    windows = (
        ("month", _("Month"), kpis.month_counts),
        ("ytd", _("Year to date"), kpis.ytd),
        ("r12", _("Rolling 12 months"), kpis.rolling_12),
    )
    cards = []
    for kind, title, target in (
        ("0km", _("0 km ppm"), kpis.targets.ppm_0km),
        ("field", _("Field ppm"), kpis.targets.ppm_field),
    ):
        figures = [
            Figure(key, label, _ppm(counts, kind), target, counts) for key, label, counts in windows
        ]
        cards.append(PpmCard(kind, title, target, figures))
    return cards


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    value: str
    note: str = ""
    alert: bool = False
    details: tuple[tuple[str, str], ...] = ()


def kpi_tiles(kpis: Kpis, *, internal: bool = True) -> list[Tile]:
    """The claim KPIs of the month; cost and overdue actions are internal figures."""
    counts, on_time, hours = kpis.month_counts, kpis.on_time, kpis.mean_reaction_hours
    tiles = [
        Tile("incidents", _("Incidents"), number(counts.incidents), _("Claims counted in ppm")),
        Tile("ipb", _("IPB"), number(counts.ipb, 2), _("Incidents per billion parts")),
        Tile(
            "on_time",
            _("8D on time"),
            _("n/a") if on_time.rate is None else f"{number(on_time.rate, 1)} %",
            _("%(on_time)s of %(due)s 8Ds due") % {"on_time": on_time.on_time, "due": on_time.due},
            alert=on_time.late + on_time.open_overdue > 0,
        ),
        Tile(
            "reaction",
            _("Mean reaction time"),
            _("n/a") if hours is None else f"{number(hours, 1)} h",
            _("From notification to containment (D3)"),
        ),
        Tile(
            "open_claims",
            _("Open claims"),
            number(kpis.open_claims),
            _("By days since notification"),
            details=tuple((_("%s days") % age, number(n)) for age, n in kpis.open_by_age.items()),
        ),
        Tile(
            "provisionally_closed",
            _("Closed provisionally"),
            number(kpis.provisionally_closed),
            _("8D accepted, effectiveness still to be confirmed"),
        ),
    ]
    if internal:
        costs = kpis.cost_of_poor_quality
        tiles += [
            Tile(
                "overdue_actions",
                _("Overdue actions"),
                number(kpis.overdue_actions),
                _("Open actions past their due date"),
                alert=kpis.overdue_actions > 0,
            ),
            Tile(
                "cost",
                _("Cost of poor quality"),
                " · ".join(f"{number(total, 2)} {currency}" for currency, total in costs.items())
                or number(0),
                _("Claim costs and CS2 inspection of the month, per currency"),
            ),
        ]
    return tiles


def special_status_tile(customer) -> Tile:
    """How many escalations, controlled shippings and holds are in force now (REFERENCE §6)."""
    count = special_status.open_count(getattr(customer, "pk", None))
    note = _("Escalations, controlled shipping and new business holds in force")
    return Tile("special_status", _("Open special statuses"), number(count), note, alert=count > 0)


def ppm_rows(months: dict[dt.date, Counts]) -> list[dict]:
    """The ppm table, newest month first."""
    return [
        {
            "month": month,
            "delivered": number(counts.delivered),
            "defects_0km": number(counts.defects_0km),
            "ppm_0km": number(counts.ppm_0km, 2),
            "defects_field": number(counts.defects_field),
            "ppm_field": number(counts.ppm_field, 2),
            "no_deliveries": not counts.delivered,
        }
        for month, counts in reversed(months.items())
    ]


def module_sections(kpis: Kpis) -> list[dict]:
    return [
        {"key": key, "title": MODULES[key][0], "figures": figures}
        for key, figures in kpis.module_sections.items()
    ]


# --- charts --------------------------------------------------------------------------------------


def _periods(months: dict[dt.date, Counts]) -> list[Period]:
    return [Period(month, "month", counts) for month, counts in months.items()]


def trend_charts(months: dict[dt.date, Counts], kpis: Kpis) -> list[dict]:
    periods = _periods(months)
    return [
        {
            "key": f"ppm-{kind}",
            "title": title,
            "svg": page_svg(charts.ppm_trend_svg(periods, kind=kind, target=target), title),
        }
        for kind, title, target in (
            ("0km", _("0 km ppm per month against the target"), kpis.targets.ppm_0km),
            ("field", _("Field ppm per month against the target"), kpis.targets.ppm_field),
        )
    ]


def pareto_charts(figures: selectors.DashboardFigures) -> list[dict]:
    specs = (
        ("sources", _("Defect sources (parts charged to ppm)"), figures.sources),
        ("parts", _("Parts with the most nonconforming parts"), figures.parts),
    )
    return [
        {"key": key, "title": title, "svg": page_svg(charts.pareto_svg(rows, title=title), title)}
        for key, title, rows in specs
    ]


def opened_closed_chart(figures: selectors.DashboardFigures) -> dict:
    # Every month of the period, also those without a claim opened or closed.
    months = {month: figures.opened_closed.get(month, (0, 0)) for month in figures.months}
    title = _("Claims opened and closed per month")
    return {
        "key": "opened-closed",
        "title": title,
        "svg": page_svg(charts.opened_closed_svg(months), title),
    }


# --- pages ---------------------------------------------------------------------------------------


def survey_tile(customer) -> Tile:
    """The latest survey's CSAT and NPS: the customer's, or each customer's latest pooled."""
    figures = survey_selectors.latest_campaign_figures(getattr(customer, "pk", None))
    if figures is None:
        return Tile("survey", _("Customer satisfaction"), _("n/a"), _("No survey answered yet"))
    csat = figures["csat"]
    value = _("%(csat)s CSAT · NPS %(nps)s") % {
        "csat": f"{number(csat, 1)} %" if csat is not None else _("n/a"),
        "nps": figures["nps"] if figures["nps"] is not None else _("n/a"),
    }
    note = _("Latest survey: %(responses)s of %(invited)s asked answered") % {
        "responses": number(figures["responses"]),
        "invited": number(figures["invited"]),
    }
    return Tile("survey", _("Customer satisfaction"), value, note)


def dashboard_content(month: dt.date, months: int, customer, plant) -> dict:
    """The figures, tiles, tables and charts of the dashboard: everything but the filter form."""
    figures = selectors.dashboard_figures(month, months=months, customer=customer, plant=plant)
    has_data = figures.has_data
    return {
        "customer": customer,
        "plant": plant,
        "month": figures.kpis.month,
        "first": figures.first,
        "figures": figures,
        "has_data": has_data,
        "ppm_cards": ppm_cards(figures.kpis),
        "tiles": [
            *kpi_tiles(figures.kpis),
            special_status_tile(customer),
            survey_tile(customer),
        ],
        "trend_charts": trend_charts(figures.months, figures.kpis) if has_data else [],
        "pareto_charts": pareto_charts(figures) if has_data else [],
        "opened_closed_chart": opened_closed_chart(figures) if has_data else None,
        "ppm_rows": ppm_rows(figures.months),
        "modules": module_sections(figures.kpis),
        "rating": rating_inputs.rating_summary(customer, month) if customer else None,
    }


@routes("")
@login_required
def dashboard(request):
    """Computed once per change of the data (and at least once a minute, for the figures that age
    with the clock): every manager opening it would otherwise aggregate the same year of claims."""
    user = request.user
    if not has(user, METRICS_VIEW):
        if has(user, PORTAL_USE):
            return redirect("metrics:scorecard")
        raise HttpForbidden
    form = DashboardFilterForm(request.GET or None, user=user)
    form.is_valid()
    customer, plant = form.value("customer", None), form.value("plant", None)
    month, months = form.value("month", last_complete_month()), form.value("months", 12)
    key = (month, months, getattr(customer, "pk", None), getattr(plant, "pk", None))
    content = data_version.cached(
        "dashboard", key, lambda: dashboard_content(month, months, customer, plant)
    )
    context = {"form": form, "filtered": bool(request.GET), **content}
    return render(request, "metrics/dashboard.html", context)


def scorecard_content(customer, month: dt.date) -> dict:
    figures = selectors.scorecard_figures(customer, month)
    return {
        "figures": figures,
        "month": figures.kpis.month,
        "first": next(iter(figures.months)),
        "ppm_cards": ppm_cards(figures.kpis),
        "tiles": kpi_tiles(figures.kpis, internal=False),
        "trend_charts": trend_charts(figures.months, figures.kpis),
        "ppm_rows": ppm_rows(figures.months),
    }


@routes("scorecard/")
@login_required
def scorecard(request):
    """A customer user's own scorecard; staff see any customer's with ``?customer=<id>``."""
    user = request.user
    if has(user, PORTAL_USE) and user.customer_id:
        # The company is the user's own; a customer in the query string is not even read.
        form = PeriodForm(request.GET or None)
        form.is_valid()
        customer = user.customer
    elif has(user, METRICS_VIEW):
        form = StaffScorecardForm(request.GET or None, user=user)
        form.is_valid()
        customer = form.value("customer", None)
    else:
        raise HttpForbidden
    context = {"form": form, "customer": customer, "staff": has(user, METRICS_VIEW)}
    month = form.value("month", last_complete_month())
    if customer is None:
        # No customer chosen: every customer's month at a glance, each linking to its scorecard.
        visible = set(Customer.objects.visible_to(user).values_list("pk", flat=True))
        rows = [row for row in summary.customer_ppm(month) if row.pk in visible]
        context.update(month=month, overview=rows)
    else:
        context.update(
            data_version.cached(
                "scorecard", (customer.pk, month), lambda: scorecard_content(customer, month)
            )
        )
    return render(request, "metrics/scorecard.html", context)
