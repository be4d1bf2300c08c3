"""ppm and the KPI set over the API: the same figures as the dashboard, scoped to the caller.

Staff (``metrics.view``) read any customer, part and plant or the whole company. A customer user
reads their own company only: their customer is the scope whatever is asked, and another
customer's id (customer or part) is a 404, exactly as for a missing record.
"""

from __future__ import annotations

import datetime as dt
import re

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import data_version
from core.filters import BIGINT_MAX
from customers.models import Customer, Part, Plant
from customers.permissions import has
from metrics import ppm
from metrics.kpis import Kpis, kpis_for, targets_for
from metrics.ppm import GRANULARITIES, WINDOWS, Counts, Scope

METRICS_VIEW = "metrics.view"
PORTAL_USE = "portal.use"
KINDS = ("0km", "field", "all")
MAX_MONTHS = 120  # ten years
# Years 100 to 9999: counting back a year from an earlier month would reach year 0, no date.
_MONTH = re.compile(r"^(0[1-9][0-9]{2}|[1-9][0-9]{3})-(0[1-9]|1[0-2])$")
FIRST_MONTH = dt.date(100, 1, 1)


class MayReadMetrics(BasePermission):
    message = _("You are not allowed to read metrics.")

    def has_permission(self, request, view):
        return has(request.user, METRICS_VIEW) or has(request.user, PORTAL_USE)


def last_complete_month() -> dt.date:
    return ppm.add_months(ppm.month_start(timezone.localdate()), -1)


def _month_text(month: dt.date) -> str:
    # strftime's %Y does not pad years before 1000 on every platform: "358-07" for 0358-07.
    return f"{month.year:04d}-{month.month:02d}"


# --- query parameters ----------------------------------------------------------------------------


@extend_schema_field({"type": "string", "pattern": _MONTH.pattern, "example": "2026-03"})
class MonthField(serializers.Field):
    """A calendar month written YYYY-MM; the value is its first day."""

    default_error_messages = {
        "invalid": _("Enter a month as YYYY-MM."),
        "future": _("Choose a month that has begun."),
    }

    def to_internal_value(self, data):
        match = _MONTH.match(str(data))
        if not match:
            self.fail("invalid")
        month = dt.date(int(match[1]), int(match[2]), 1)
        if month > ppm.month_start(timezone.localdate()):
            self.fail("future")
        return month

    def to_representation(self, value):
        return _month_text(value)


def _with_from(fields: dict, field: serializers.Field) -> dict:
    """``from`` is a Python keyword, so that field is added by name rather than declared."""
    ordered = {"from": field}
    ordered.update(fields)
    return ordered


class ScopeQuerySerializer(serializers.Serializer):
    customer = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=BIGINT_MAX,
        help_text="A customer's id. Customer users always get their own company.",
    )


class PpmQuerySerializer(ScopeQuerySerializer):
    part = serializers.IntegerField(
        required=False, min_value=1, max_value=BIGINT_MAX, help_text="One part's id."
    )
    plant = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=BIGINT_MAX,
        help_text="One of our plants: deliveries by shipping plant.",
    )
    kind = serializers.ChoiceField(
        choices=KINDS,
        default="all",
        help_text="Which claims count as defects: 0 km, field or both.",
    )
    to = MonthField(
        required=False, help_text="Last month included (YYYY-MM); default: the last complete one."
    )
    granularity = serializers.ChoiceField(
        choices=GRANULARITIES,
        required=False,
        help_text="One figure per month (default), quarter or year.",
    )
    window = serializers.ChoiceField(
        choices=tuple(WINDOWS),
        required=False,
        help_text=(
            "One pooled figure ending with `to`: year to date or rolling 3, 6 or 12 months. "
            "Not combined with `from` or `granularity`."
        ),
    )

    def get_fields(self):
        month = MonthField(
            required=False,
            help_text="First month included (YYYY-MM); default: 11 months before `to`.",
        )
        return _with_from(super().get_fields(), month)

    def validate(self, attrs):
        if attrs.get("window") and ("from" in attrs or "granularity" in attrs):
            raise serializers.ValidationError(
                {"window": [_("A window is one figure: leave out from and granularity.")]}
            )
        last = attrs.get("to") or last_complete_month()
        if attrs.get("window"):
            first, last = ppm.window_months(attrs["window"], last)
        else:
            first = attrs.get("from") or ppm.add_months(last, -11)
        # A series reaching back before the first month a query may name starts with that month.
        first = max(first, FIRST_MONTH)
        if first > last:
            raise serializers.ValidationError({"from": [_("from must not be after to.")]})
        if len(ppm.months_between(first, last)) > MAX_MONTHS:
            raise serializers.ValidationError(
                {"from": [_("Ask for at most %d years at a time.") % (MAX_MONTHS // 12)]}
            )
        attrs.update({"from": first, "to": last})
        attrs.setdefault("granularity", "month")
        return attrs


class KpisQuerySerializer(ScopeQuerySerializer):
    month = MonthField(
        required=False, help_text="The month (YYYY-MM); default: the last complete one."
    )


# --- answers -------------------------------------------------------------------------------------

_RATE = {"max_digits": None, "decimal_places": 2, "allow_null": True}


class TargetsSerializer(serializers.Serializer):
    ppm_0km = serializers.DecimalField(max_digits=None, decimal_places=2)
    ppm_field = serializers.DecimalField(max_digits=None, decimal_places=2)


class PpmPeriodSerializer(serializers.Serializer):
    period = serializers.CharField(help_text='"2026-03", "2026 Q1", "2026" or the window.')
    to = MonthField()
    delivered = serializers.IntegerField(help_text="Parts delivered.")
    defects = serializers.IntegerField(help_text="Nonconforming parts charged to ppm.")
    incidents = serializers.IntegerField(help_text="Claims counted in ppm.")
    ppm = serializers.DecimalField(**_RATE, help_text="null when nothing was delivered (n/a).")
    ipb = serializers.DecimalField(**_RATE, help_text="Incidents per billion parts; null: n/a.")

    def get_fields(self):
        return _with_from(super().get_fields(), MonthField())


class PpmSerializer(serializers.Serializer):
    customer = serializers.IntegerField(allow_null=True)
    part = serializers.IntegerField(allow_null=True)
    plant = serializers.IntegerField(allow_null=True)
    kind = serializers.ChoiceField(choices=KINDS)
    granularity = serializers.ChoiceField(choices=GRANULARITIES, allow_null=True)
    window = serializers.ChoiceField(choices=tuple(WINDOWS), allow_null=True)
    to = MonthField()
    target = serializers.DecimalField(
        **_RATE, help_text="The ppm target of this kind; null for all kinds together."
    )
    targets = TargetsSerializer(help_text="The customer's targets, or ours for the company.")
    periods = PpmPeriodSerializer(many=True)

    def get_fields(self):
        return _with_from(super().get_fields(), MonthField())


class CountsSerializer(serializers.Serializer):
    delivered = serializers.IntegerField()
    defects_0km = serializers.IntegerField()
    defects_field = serializers.IntegerField()
    incidents = serializers.IntegerField()
    ppm_0km = serializers.DecimalField(**_RATE)
    ppm_field = serializers.DecimalField(**_RATE)
    ipb = serializers.DecimalField(**_RATE)


class FiguresSerializer(serializers.Serializer):
    month = CountsSerializer()
    ytd = CountsSerializer(help_text="January to the month, pooled.")
    rolling_12 = CountsSerializer(help_text="The 12 months ending with the month, pooled.")


class OnTimeSerializer(serializers.Serializer):
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    open_overdue = serializers.IntegerField()
    due = serializers.IntegerField()
    rate = serializers.DecimalField(
        max_digits=None, decimal_places=1, allow_null=True, help_text="Percent; null: none due."
    )


class KpisSerializer(serializers.Serializer):
    customer = serializers.IntegerField(allow_null=True, help_text="null: the whole company.")
    month = MonthField()
    figures = FiguresSerializer()
    targets = TargetsSerializer()
    eight_d_on_time = OnTimeSerializer(help_text="8Ds (D8) that fell due in the month.")
    mean_reaction_hours = serializers.DecimalField(
        max_digits=None, decimal_places=1, allow_null=True
    )
    open_claims = serializers.IntegerField()
    open_by_age = serializers.DictField(
        child=serializers.IntegerField(), help_text="Open claims by days since notification."
    )
    provisionally_closed = serializers.IntegerField(
        help_text=(
            "Claims closed provisionally now: the 8D accepted, its effectiveness not yet "
            "confirmed by the customer. Not among the open claims, not closed either."
        )
    )
    overdue_actions = serializers.IntegerField(
        allow_null=True, help_text="Internal figure: null for customer users."
    )
    cost_of_poor_quality = serializers.DictField(
        child=serializers.DecimalField(max_digits=None, decimal_places=2),
        allow_null=True,
        help_text="Claim costs and CS2 inspection costs of the month per currency. Internal "
        "figure: null for customers.",
    )
    modules = serializers.DictField(
        child=serializers.DictField(),
        help_text=(
            "Key figures of PPAP, changes and audits: module -> figure -> value (a count, a "
            "percentage as a decimal string, a grade, or null when there is nothing to compute "
            "it from)."
        ),
    )


# --- scope ---------------------------------------------------------------------------------------


def _customer(user, customer_id):
    """The customer a request is about; customer users get their own, a foreign id is a 404."""
    if not has(user, METRICS_VIEW):
        customer_id = customer_id or user.customer_id
    elif customer_id is None:
        return None  # the whole company
    visible = Customer.objects.visible_to(user).select_related("requirements")
    customer = visible.filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    return customer


def _part(user, part_id, customer):
    if part_id is None:
        return None
    part = (
        Part.objects.visible_to(user)
        .select_related("customer__requirements")
        .filter(pk=part_id)
        .first()
    )
    if part is None:
        raise Http404
    if customer is not None and part.customer_id != customer.pk:
        raise serializers.ValidationError({"part": [_("This part belongs to another customer.")]})
    return part


def _plant(plant_id):
    if plant_id is not None and not Plant.objects.filter(pk=plant_id).exists():
        raise serializers.ValidationError({"plant": [_("There is no plant with this id.")]})
    return plant_id


# --- figures -------------------------------------------------------------------------------------


def _one_kind(counts: Counts, kind: str) -> Counts:
    """The counts of one kind (or both together) as 0 km counts, so one rule rounds them all."""
    if kind == "0km":
        return Counts(counts.delivered, counts.defects_0km, 0, counts.incidents_0km)
    if kind == "field":
        return Counts(counts.delivered, counts.defects_field, 0, counts.incidents_field)
    defects = counts.defects_0km + counts.defects_field
    return Counts(counts.delivered, defects, 0, counts.incidents)


def _period(label: str, first: dt.date, last: dt.date, counts: Counts, kind: str) -> dict:
    figures = _one_kind(counts, kind)
    return {
        "period": label,
        "from": first,
        "to": last,
        "delivered": figures.delivered,
        "defects": figures.defects_0km,
        "incidents": figures.incidents,
        "ppm": figures.ppm_0km,
        "ipb": figures.ipb,
    }


def _periods(scope: Scope, query: dict) -> list[dict]:
    first, last, kind = query["from"], query["to"], query["kind"]
    if query.get("window"):
        counts = ppm.pooled(ppm.monthly_counts(scope, first, last).values())
        label = f"{query['window'].upper()} {_month_text(last)}"
        return [_period(label, first, last, counts, kind)]
    periods = []
    for period in ppm.series(scope, first, last, query["granularity"]):
        span = _period_end(period.start, query["granularity"])
        start, end = max(period.start, first), min(span, last)
        periods.append(_period(period.label, start, end, period.counts, kind))
    return periods


def _period_end(start: dt.date, granularity: str) -> dt.date:
    length = {"month": 1, "quarter": 3, "year": 12}[granularity]
    return ppm.add_months(start, length - 1)


def _counts(counts: Counts) -> dict:
    return {
        "delivered": counts.delivered,
        "defects_0km": counts.defects_0km,
        "defects_field": counts.defects_field,
        "incidents": counts.incidents,
        "ppm_0km": counts.ppm_0km,
        "ppm_field": counts.ppm_field,
        "ipb": counts.ipb,
    }


def kpis_answer(kpis: Kpis, *, customer, internal: bool) -> dict:
    on_time = kpis.on_time
    return {
        "customer": customer.pk if customer is not None else None,
        "month": kpis.month,
        "figures": {
            "month": _counts(kpis.month_counts),
            "ytd": _counts(kpis.ytd),
            "rolling_12": _counts(kpis.rolling_12),
        },
        "targets": vars(kpis.targets),
        "eight_d_on_time": {
            "on_time": on_time.on_time,
            "late": on_time.late,
            "open_overdue": on_time.open_overdue,
            "due": on_time.due,
            "rate": on_time.rate,
        },
        "mean_reaction_hours": kpis.mean_reaction_hours,
        "open_claims": kpis.open_claims,
        "open_by_age": kpis.open_by_age,
        "provisionally_closed": kpis.provisionally_closed,
        "overdue_actions": kpis.overdue_actions if internal else None,
        "cost_of_poor_quality": kpis.cost_of_poor_quality if internal else None,
        "modules": {
            key: {figure.key: figure.api_value for figure in figures}
            for key, figures in kpis.module_sections.items()
        },
    }


# --- endpoints -----------------------------------------------------------------------------------

_NOT_FOUND = OpenApiResponse(
    OpenApiTypes.OBJECT, description="The customer or part does not exist or is not yours."
)
_FORBIDDEN = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Not signed in, or not allowed to read metrics."
)


def _invalid(*examples: tuple[str, dict]) -> OpenApiResponse:
    return OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Wrong parameters, each listed under its name.",
        examples=[OpenApiExample(name, value=value) for name, value in examples],
    )


_INVALID_PPM = _invalid(
    ("from after to", {"from": ["from must not be after to."]}),
    ("Unknown granularity", {"granularity": ['"week" is not a valid choice.']}),
)
_INVALID_KPIS = _invalid(("Not a month", {"month": ["Enter a month as YYYY-MM."]}))
_PPM_EXAMPLES = [
    OpenApiExample(
        "Two months of one customer",
        value={
            "customer": 3,
            "part": None,
            "plant": None,
            "kind": "0km",
            "granularity": "month",
            "window": None,
            "from": "2026-02",
            "to": "2026-03",
            "target": "50.00",
            "targets": {"ppm_0km": "50.00", "ppm_field": "10.00"},
            "periods": [
                {
                    "period": "2026-02",
                    "from": "2026-02",
                    "to": "2026-02",
                    "delivered": 0,
                    "defects": 0,
                    "incidents": 0,
                    "ppm": None,
                    "ipb": None,
                },
                {
                    "period": "2026-03",
                    "from": "2026-03",
                    "to": "2026-03",
                    "delivered": 48200,
                    "defects": 12,
                    "incidents": 1,
                    "ppm": "248.96",
                    "ipb": "20746.89",
                },
            ],
        },
        response_only=True,
        status_codes=["200"],
    ),
]
_KPIS_EXAMPLE = OpenApiExample(
    "The company in March",
    value={
        "customer": None,
        "month": "2026-03",
        "figures": {
            name: {
                "delivered": 96400,
                "defects_0km": 12,
                "defects_field": 0,
                "incidents": 1,
                "ppm_0km": "124.48",
                "ppm_field": "0.00",
                "ipb": "10373.44",
            }
            for name in ("month", "ytd", "rolling_12")
        },
        "targets": {"ppm_0km": "50.00", "ppm_field": "10.00"},
        "eight_d_on_time": {"on_time": 3, "late": 1, "open_overdue": 0, "due": 4, "rate": "75.0"},
        "mean_reaction_hours": "18.5",
        "open_claims": 5,
        "open_by_age": {"0-7": 2, "8-30": 2, "31-90": 1, "90+": 0},
        "provisionally_closed": 1,
        "overdue_actions": 2,
        "cost_of_poor_quality": {"EUR": "1840.00"},
        "modules": {
            "ppap": {
                "first_time_approval_rate": "80.0",
                "first_submissions_decided": 5,
                "waiting_for_decision": 2,
                "interim_approvals": 1,
            },
            "changes": {
                "open_changes": 4,
                "waiting_for_customer": 1,
                "implemented": 2,
                "active_deviations": 3,
                "deviations_expiring": 1,
            },
            "audits": {
                "audits_closed": 1,
                "latest_grade": "B",
                "open_findings": 6,
                "overdue_findings": 1,
            },
        },
    },
    response_only=True,
    status_codes=["200"],
)


class _MetricsView(APIView):
    """A read of the quality figures: who may read them, and the query that selects them."""

    permission_classes = [IsAuthenticated, MayReadMetrics]

    def query(self, query_serializer: type) -> dict:
        """The query parameters, checked (a bad one is a 400)."""
        query = query_serializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data


class PpmView(_MetricsView):
    @extend_schema(
        operation_id="metrics_ppm",
        summary="ppm and IPB per month, quarter, year or window",
        description=(
            "Counts are pooled over each period (never an average of monthly ppm): delivered "
            "parts, nonconforming parts charged to ppm and incidents (claims accepted as ours). "
            "A period without deliveries has `ppm` and `ipb` null (n/a). Without `from` and "
            "`to`, the 12 months ending with the last complete month. Customer users always "
            "get their own company; another customer's id is a 404."
        ),
        parameters=[PpmQuerySerializer],
        responses={200: PpmSerializer, 400: _INVALID_PPM, 403: _FORBIDDEN, 404: _NOT_FOUND},
        examples=_PPM_EXAMPLES,
        tags=["metrics"],
    )
    def get(self, request):
        params = self.query(PpmQuerySerializer)
        customer = _customer(request.user, params.get("customer"))
        part = _part(request.user, params.get("part"), customer)
        plant_id = _plant(params.get("plant"))
        scope = Scope(
            customer_id=customer.pk if customer else None,
            part_id=part.pk if part else None,
            plant_id=plant_id,
        )
        targets = targets_for(customer or (part.customer if part else None))
        kind = params["kind"]
        window = params.get("window")
        answer = {
            "customer": scope.customer_id,
            "part": scope.part_id,
            "plant": plant_id,
            "kind": kind,
            "granularity": None if window else params["granularity"],
            "window": window,
            "from": params["from"],
            "to": params["to"],
            "target": {"0km": targets.ppm_0km, "field": targets.ppm_field}.get(kind),
            "targets": vars(targets),
            # Computed once per data version: every dashboard client asks for the same periods.
            "periods": data_version.cached(
                "ppm-periods", (scope, sorted(params.items())), lambda: _periods(scope, params)
            ),
        }
        return Response(PpmSerializer(answer).data)


class KpisView(_MetricsView):
    @extend_schema(
        operation_id="metrics_kpis",
        summary="The KPI set of one month",
        description=(
            "ppm of the month, year to date and rolling 12 months against the targets, the 8D "
            "on-time rate, the mean reaction time, open claims by age and, for staff, overdue "
            "actions and the cost of poor quality: the figures of the dashboard and the "
            "monthly report. Without `customer`, staff get the whole company; customer users "
            "always get their own company."
        ),
        parameters=[KpisQuerySerializer],
        responses={200: KpisSerializer, 400: _INVALID_KPIS, 403: _FORBIDDEN, 404: _NOT_FOUND},
        examples=[_KPIS_EXAMPLE],
        tags=["metrics"],
    )
    def get(self, request):
        params = self.query(KpisQuerySerializer)
        customer = _customer(request.user, params.get("customer"))
        month = params.get("month") or last_complete_month()
        key = (month, getattr(customer, "pk", None))
        kpis = data_version.cached("kpis", key, lambda: kpis_for(month, customer=customer))
        internal = has(request.user, METRICS_VIEW)
        answer = kpis_answer(kpis, customer=customer, internal=internal)
        return Response(KpisSerializer(answer).data)
