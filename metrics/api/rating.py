"""The rated scorecard over the API (REFERENCE §6): a customer's card for a period, its settings,
the certificates it requires and the scores the customer gives us in its own system.

The card is the page's (``metrics.rating_inputs.scorecard``). Customer users read their own
company's card, certificates and scores (another customer's id is a 404); the settings and every
write are for our staff, writes for managers (``scorecard.manage``), refused before any record is
looked up.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.base import RecordViewSet, ScopedPrimaryKeyRelatedField
from core.api.endpoints import FORBIDDEN, INVALID, NOT_FOUND, create_schema
from core.filters import BIGINT_MAX, FilterSet
from customers.filters import CustomerFilter, visible_customers
from customers.models import Customer, Plant
from customers.permissions import has
from metrics import rating, rating_inputs, rating_services
from metrics.models import Band, CustomerRating, RequiredCertificate

from .metrics import MayReadMetrics, MonthField, last_complete_month

METRICS_VIEW = "metrics.view"
PORTAL_USE = "portal.use"
MANAGE = rating_services.SCORECARD_MANAGE
_DECIMAL = {"max_digits": None, "allow_null": True}


class MayManageScorecards(BasePermission):
    """Reads for whoever reads metrics (the queryset scopes them); writes for managers."""

    message = _("You are not allowed to change the scorecard of a customer.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return has(request.user, METRICS_VIEW) or has(request.user, PORTAL_USE)
        return has(request.user, MANAGE)


class StaffScorecardSettings(BasePermission):
    """Our staff read a customer's settings; managers change them. Customers: neither."""

    message = _("The scorecard settings are for our staff.")

    def has_permission(self, request, view):
        needed = METRICS_VIEW if request.method in SAFE_METHODS else MANAGE
        return has(request.user, needed)


# --- the card ------------------------------------------------------------------------------------


class ScorecardQuerySerializer(serializers.Serializer):
    customer = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=BIGINT_MAX,
        help_text="The customer's id; required for staff. Customer users get their own company.",
    )
    period = serializers.ChoiceField(
        choices=rating_inputs.PERIODS,
        default=rating_inputs.MONTH,
        help_text="One month, the quarter up to the month, or the 12 months to the month.",
    )
    month = MonthField(
        required=False, help_text="The period's last month (YYYY-MM); default: the last complete."
    )


class MetricLineSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=tuple(rating.METRICS))
    label = serializers.CharField()
    unit = serializers.CharField(help_text='"ppm", "%" or "h".')
    better = serializers.ChoiceField(choices=(rating.LOWER, rating.HIGHER))
    value = serializers.DecimalField(
        decimal_places=2, **_DECIMAL, help_text="null: n/a, the metric drops out with its weight."
    )
    target = serializers.DecimalField(decimal_places=2, **_DECIMAL)
    limit = serializers.DecimalField(decimal_places=2, **_DECIMAL)
    score = serializers.DecimalField(
        decimal_places=2, rounding=ROUND_HALF_UP, **_DECIMAL, help_text="0–100; null: n/a."
    )
    weight = serializers.IntegerField()
    counted = serializers.BooleanField(help_text="Whether it is part of the total.")


class OverrideSerializer(serializers.Serializer):
    effect = serializers.ChoiceField(choices=(rating.TO_RED, rating.AT_MOST_YELLOW))
    reason = serializers.CharField()
    changed = serializers.BooleanField(help_text="Whether it moved the band.")


class CustomerScoreSerializer(serializers.Serializer):
    month = MonthField()
    score = serializers.DecimalField(max_digits=4, decimal_places=1)
    band = serializers.ChoiceField(choices=Band.choices)
    note = serializers.CharField(allow_null=True, help_text="Internal: null for customer users.")


class ScorecardSerializer(serializers.Serializer):
    customer = serializers.IntegerField()
    period = serializers.ChoiceField(choices=rating_inputs.PERIODS)
    label = serializers.CharField(help_text='The period: "2026-03", "2026 Q1", …')
    to = MonthField(help_text="The period's last month.")
    metrics = MetricLineSerializer(many=True, help_text="The rated metrics.")
    total = serializers.DecimalField(
        max_digits=None, decimal_places=1, allow_null=True, help_text="null: no metric had a value."
    )
    band = serializers.ChoiceField(
        choices=Band.choices,
        allow_null=True,
        help_text="The band of the total after the overrides; null: no total and no red one.",
    )
    green_from = serializers.DecimalField(max_digits=4, decimal_places=1)
    yellow_from = serializers.DecimalField(max_digits=4, decimal_places=1)
    overrides = OverrideSerializer(many=True, help_text="Open special statuses, certificates.")
    customer_rating = CustomerScoreSerializer(
        allow_null=True, help_text="The customer's own score of the period's last month."
    )

    def get_fields(self):
        fields = super().get_fields()
        ordered = {"customer": fields.pop("customer"), "period": fields.pop("period")}
        ordered["from"] = MonthField(help_text="The period's first month.")
        return {**ordered, **fields}


def scorecard_answer(card: rating_inputs.Scorecard, *, internal: bool) -> dict:
    own = card.customer_rating
    return {
        "customer": card.customer.pk,
        "period": card.period.kind,
        "from": card.period.first,
        "to": card.period.last,
        "label": card.period.label,
        "metrics": [
            {
                "key": line.key,
                "label": line.label,
                "unit": line.spec.unit,
                "better": line.spec.better,
                "value": line.value,
                "target": line.target,
                "limit": line.limit,
                "score": line.score,
                "weight": line.weight,
                "counted": line.counts,
            }
            for line in card.rating.lines
        ],
        "total": card.rating.total,
        "band": card.rating.band,
        "green_from": card.rating.green_from,
        "yellow_from": card.rating.yellow_from,
        "overrides": [vars(override) for override in card.rating.overrides],
        "customer_rating": None
        if own is None
        else {
            "month": own.month,
            "score": own.score,
            "band": own.band,
            "note": own.note if internal else None,
        },
    }


_SCORECARD_EXAMPLE = OpenApiExample(
    "A yellow month",
    value={
        "customer": 3,
        "period": "month",
        "from": "2026-03",
        "to": "2026-03",
        "label": "2026-03",
        "metrics": [
            {
                "key": "zero_km_ppm",
                "label": "0 km ppm",
                "unit": "ppm",
                "better": "lower",
                "value": "40.00",
                "target": "50.00",
                "limit": "100.00",
                "score": "100.00",
                "weight": 30,
                "counted": True,
            },
            {
                "key": "reaction_hours",
                "label": "Mean reaction time",
                "unit": "h",
                "better": "lower",
                "value": None,
                "target": "24.00",
                "limit": "48.00",
                "score": None,
                "weight": 10,
                "counted": False,
            },
            {
                "key": "csat",
                "label": "Customer satisfaction (CSAT)",
                "unit": "%",
                "better": "higher",
                "value": "70.00",
                "target": "80.00",
                "limit": "50.00",
                "score": "66.67",
                "weight": 20,
                "counted": True,
            },
        ],
        "total": "70.4",
        "band": "red",
        "green_from": "85.0",
        "yellow_from": "70.0",
        "overrides": [
            {"effect": "red", "reason": "New business hold SST-2026-00003 is open", "changed": True}
        ],
        "customer_rating": {"month": "2026-03", "score": "78.0", "band": "yellow", "note": None},
    },
    response_only=True,
    status_codes=["200"],
)


def _scorecard_customer(user, customer_id) -> Customer:
    """Customer users get their own company (another's id is a 404); staff must name one."""
    if not has(user, METRICS_VIEW):
        customer_id = customer_id or user.customer_id
    elif customer_id is None:
        raise serializers.ValidationError(
            {"customer": [_("Choose a customer: a scorecard rates one customer.")]}
        )
    customers = Customer.objects.visible_to(user).select_related(
        "requirements", "scorecard_settings"
    )
    customer = customers.filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    return customer


class ScorecardView(APIView):
    permission_classes = [IsAuthenticated, MayReadMetrics]

    @extend_schema(
        operation_id="metrics_scorecard",
        summary="The rated scorecard of one customer and period",
        description=(
            "REFERENCE §6: each rated metric's value, target, limit, score (0–100) and weight; "
            "the total (Σ weight × score ÷ Σ weight of the metrics with a value, half-up to one "
            "decimal); its band; every override (open special statuses, certificates expired or "
            "missing, as of today) with its reason and the band after them; and the customer's "
            "own score of the period's last month where it is recorded. The values are those of "
            "`/metrics/ppm/` and `/metrics/kpis/` for the same months, counts pooled."
        ),
        parameters=[ScorecardQuerySerializer],
        responses={
            200: ScorecardSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Wrong or missing parameters."),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not allowed to read metrics."),
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="Not a customer of yours."),
        },
        examples=[_SCORECARD_EXAMPLE],
        tags=["metrics"],
    )
    def get(self, request):
        query = ScorecardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        customer = _scorecard_customer(request.user, params.get("customer"))
        month = params.get("month") or last_complete_month()
        card = rating_inputs.scorecard(customer, params["period"], month, trend=False)
        answer = scorecard_answer(card, internal=has(request.user, METRICS_VIEW))
        return Response(ScorecardSerializer(answer).data)


# --- settings ------------------------------------------------------------------------------------


class MetricSettingSerializer(serializers.Serializer):
    rated = serializers.BooleanField()
    weight = serializers.IntegerField(min_value=0, max_value=100)
    target = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        allow_null=True,
        help_text="null: the default (for ppm, the target agreed in the requirements).",
    )
    limit = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        allow_null=True,
        help_text="null: the default (lower is better: twice the target).",
    )
    effective_target = serializers.DecimalField(
        max_digits=None, decimal_places=2, allow_null=True, read_only=True
    )
    effective_limit = serializers.DecimalField(
        max_digits=None, decimal_places=2, allow_null=True, read_only=True
    )


ScorecardMetricsSerializer = type(
    "ScorecardMetricsSerializer",
    (serializers.Serializer,),
    {
        key: MetricSettingSerializer(help_text=f"{spec.label} ({spec.better} is better).")
        for key, spec in rating.METRICS.items()
    },
)


class ScorecardSettingsSerializer(serializers.Serializer):
    customer = serializers.IntegerField(read_only=True)
    metrics = ScorecardMetricsSerializer()
    green_from = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=100
    )
    yellow_from = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=100
    )


def settings_answer(customer) -> dict:
    settings = rating_inputs.settings_for(customer)
    agreed = rating_inputs.agreed_targets(customer)
    metrics = {}
    for key in rating.METRICS:
        enabled, weight, target, limit = settings.metric(key)
        effective_target, effective_limit = settings.target_and_limit(key, agreed.get(key))
        metrics[key] = {
            "rated": enabled,
            "weight": weight,
            "target": target,
            "limit": limit,
            "effective_target": effective_target,
            "effective_limit": effective_limit,
        }
    return {
        "customer": customer.pk,
        "metrics": metrics,
        "green_from": settings.green_from,
        "yellow_from": settings.yellow_from,
    }


def _model_fields(data: dict) -> dict:
    fields = {"green_from": data["green_from"], "yellow_from": data["yellow_from"]}
    for key, metric in data["metrics"].items():
        fields[f"{key}_enabled"] = metric["rated"]
        for part in ("weight", "target", "limit"):
            fields[f"{key}_{part}"] = metric[part]
    return fields


def _nested_errors(error: DjangoValidationError) -> dict:
    """The model's errors under the names the API uses: metrics.<key>.<part>."""
    names = {
        f"{key}_{part}": (key, "rated" if part == "enabled" else part)
        for key in rating.METRICS
        for part in rating_services.METRIC_PARTS
    }
    errors: dict = {}
    for field, messages in error.message_dict.items():
        if field in names:
            key, part = names[field]
            errors.setdefault("metrics", {}).setdefault(key, {})[part] = messages
        else:
            errors["non_field_errors" if field == "__all__" else field] = messages
    return errors


_CUSTOMER_PATH = OpenApiParameter("customer", int, OpenApiParameter.PATH, description="Its id.")


class ScorecardSettingsViewSet(viewsets.GenericViewSet):
    """One customer's scorecard settings, named by the customer's id."""

    permission_classes = [IsAuthenticated, StaffScorecardSettings]
    serializer_class = ScorecardSettingsSerializer
    lookup_url_kwarg = "customer"
    lookup_value_regex = "[0-9]+"
    filter_backends = []

    def _customer(self, customer_id) -> Customer:
        customers = Customer.objects.visible_to(self.request.user).select_related(
            "requirements", "scorecard_settings"
        )
        return get_object_or_404(customers, pk=customer_id)

    @extend_schema(
        summary="Read a customer's scorecard settings",
        parameters=[_CUSTOMER_PATH],
        responses={200: ScorecardSettingsSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
        tags=["metrics"],
    )
    def retrieve(self, request, customer=None):
        return Response(ScorecardSettingsSerializer(settings_answer(self._customer(customer))).data)

    @extend_schema(
        summary="Change a customer's scorecard settings (managers)",
        description="Every metric, weight, target, limit and band edge at once; null: default.",
        parameters=[_CUSTOMER_PATH],
        request=ScorecardSettingsSerializer,
        responses={200: ScorecardSettingsSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
        tags=["metrics"],
    )
    def update(self, request, customer=None):
        found = self._customer(customer)
        given = ScorecardSettingsSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            rating_services.scorecard_settings_update(
                customer=found, actor=request.user, **_model_fields(given.validated_data)
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(_nested_errors(error)) from error
        found = self._customer(customer)
        return Response(ScorecardSettingsSerializer(settings_answer(found)).data)


# --- certificates and the customer's own scores -------------------------------------------------


class CertificateFilter(FilterSet):
    customer = CustomerFilter(queryset=visible_customers)
    is_active = django_filters.BooleanFilter(label=_("Still required"))

    class Meta:
        model = RequiredCertificate
        fields = ["customer", "is_active"]


class CertificateSerializer(serializers.ModelSerializer):
    customer = ScopedPrimaryKeyRelatedField(queryset=Customer.objects.all())
    plant = serializers.PrimaryKeyRelatedField(
        queryset=Plant.objects.all(), allow_null=True, required=False
    )
    problem = serializers.SerializerMethodField(
        help_text='Why it does not count as valid today (expired, missing); "" when it does.'
    )

    class Meta:
        model = RequiredCertificate
        fields = [
            "id",
            "customer",
            "name",
            "certificate_number",
            "valid_until",
            "plant",
            "is_active",
            "problem",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # The service checks the unique constraints, with their own messages.
        validators = []

    def get_problem(self, certificate) -> str:
        return certificate.state().problem(timezone.localdate())


class CustomerRatingFilter(FilterSet):
    customer = CustomerFilter(queryset=visible_customers)

    class Meta:
        model = CustomerRating
        fields = ["customer"]


class CustomerRatingSerializer(serializers.ModelSerializer):
    customer = ScopedPrimaryKeyRelatedField(queryset=Customer.objects.all())
    month = MonthField(help_text="The rated month, YYYY-MM.")
    note = serializers.CharField(
        allow_blank=True,
        allow_null=True,
        required=False,
        max_length=CustomerRating._meta.get_field("note").max_length,
        help_text="Internal: null for customer users.",
    )

    class Meta:
        model = CustomerRating
        fields = [
            "id",
            "customer",
            "month",
            "score",
            "band",
            "note",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["recorded_by", "created_at", "updated_at"]
        validators = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not has(getattr(request, "user", None), METRICS_VIEW):
            data["note"] = None
        return data


def _documented(name: str, serializer):
    change = {200: serializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND}
    return extend_schema_view(
        list=extend_schema(summary=f"List the {name} visible to you", tags=["metrics"]),
        retrieve=extend_schema(responses={200: serializer, 404: NOT_FOUND}, tags=["metrics"]),
        create=create_schema(serializer, tags=["metrics"]),
        update=extend_schema(responses=change, tags=["metrics"]),
        partial_update=extend_schema(responses=change, tags=["metrics"]),
    )


class _ScorecardRecordViewSet(RecordViewSet):
    """Read by whoever reads metrics (customers: their own); written by managers only."""

    permission_classes = [IsAuthenticated, MayManageScorecards]
    create_service = None
    update_service = None
    record_argument = ""

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        serializer.instance = self.create_service(
            customer=fields.pop("customer"), actor=self.request.user, **fields
        )

    def perform_update(self, serializer):
        fields = dict(serializer.validated_data)
        customer = fields.pop("customer", serializer.instance.customer)
        if customer.pk != serializer.instance.customer_id:
            raise serializers.ValidationError(
                {"customer": [_("A record stays with its customer.")]}
            )
        serializer.instance = self.update_service(
            **{self.record_argument: serializer.instance}, actor=self.request.user, **fields
        )


@_documented("certificates a customer requires", CertificateSerializer)
class CertificateViewSet(_ScorecardRecordViewSet):
    queryset = RequiredCertificate.objects.all()
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    search_fields = ["name", "certificate_number"]
    ordering_fields = ["name", "valid_until", "created_at"]
    ordering = ["name", "pk"]
    create_service = staticmethod(rating_services.certificate_create)
    update_service = staticmethod(rating_services.certificate_update)
    record_argument = "certificate"

    def scope_queryset(self, queryset):
        return queryset.select_related("plant")


@_documented("customers' own monthly scores", CustomerRatingSerializer)
class CustomerRatingViewSet(_ScorecardRecordViewSet):
    queryset = CustomerRating.objects.all()
    serializer_class = CustomerRatingSerializer
    filterset_class = CustomerRatingFilter
    ordering_fields = ["month", "score", "created_at"]
    ordering = ["-month", "pk"]
    create_service = staticmethod(rating_services.customer_rating_create)
    update_service = staticmethod(rating_services.customer_rating_update)
    record_argument = "customer_rating"

    def perform_create(self, serializer):
        if serializer.validated_data.get("note") is None:
            serializer.validated_data["note"] = ""
        super().perform_create(serializer)

    def perform_update(self, serializer):
        if "note" in serializer.validated_data and serializer.validated_data["note"] is None:
            serializer.validated_data["note"] = ""
        super().perform_update(serializer)
