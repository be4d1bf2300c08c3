"""Deviations over the API: scoped reads, drafting, transitions, the signed decision, shipments."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as endpoint
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.roles import INTERNAL_ROLES
from claims.document_views import CsvDownloadRenderer, PdfDownloadRenderer, pdf_response
from claims.models import Claim
from core import limits
from core.api.base import ScopedPrimaryKeyRelatedField, TenantScopedMixin
from core.api.schema import INTERNAL_ONLY
from core.api.waiting import WaitingForField
from core.locking import etag_of, expected_version_of
from core.tenancy import is_internal
from customers.models import Part

from ..models import ChangeRequest, Deviation, DeviationEvent, DeviationShipment
from . import selectors, services
from .documents import deviation_filename, render_deviation
from .exports import deviations_csv_response
from .filters import DeviationFilter

VERSION_HELP = (
    "The version of the deviation you read. The write is refused with 409 when the record "
    "changed since; the If-Match header (the ETag) says the same. Leave both out to write "
    "without the check."
)

# --- serializers ---------------------------------------------------------------------------------


@extend_schema_serializer(extensions={INTERNAL_ONLY: ["internal_note", "owner"]})
class DeviationSerializer(serializers.ModelSerializer):
    parts = ScopedPrimaryKeyRelatedField(queryset=Part.objects.all(), many=True)
    originating_claim = ScopedPrimaryKeyRelatedField(
        queryset=Claim.objects.all(), required=False, allow_null=True
    )
    change_request = ScopedPrimaryKeyRelatedField(
        queryset=ChangeRequest.objects.all(), required=False, allow_null=True
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True, role__in=INTERNAL_ROLES),
        required=False,
        help_text="Staff only: who receives the warnings; defaults to you.",
    )
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    part_numbers = serializers.SerializerMethodField()
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    remaining_quantity = serializers.IntegerField(read_only=True, allow_null=True)
    usage_percent = serializers.IntegerField(read_only=True, allow_null=True)
    days_to_expiry = serializers.SerializerMethodField()
    near_expiry = serializers.BooleanField(read_only=True)
    near_cap = serializers.BooleanField(read_only=True)
    waiting_for = WaitingForField()

    class Meta:
        model = Deviation
        fields = [
            "id",
            "number",
            "customer",
            "customer_code",
            "kind",
            "status",
            "title",
            "parts",
            "part_numbers",
            "lots",
            "quantity_cap",
            "expires_on",
            "quantity_shipped",
            "remaining_quantity",
            "usage_percent",
            "days_to_expiry",
            "near_expiry",
            "near_cap",
            "specification",
            "actual",
            "reason",
            "risk_assessment",
            "identification",
            "customer_authorisation",
            "originating_claim",
            "change_request",
            "owner",
            "owner_name",
            "internal_note",
            "requested_at",
            "decided_at",
            "decision_comment",
            "closed_at",
            "created_at",
            "waiting_for",
            "version",
        ]
        read_only_fields = [
            "id",
            "number",
            "customer",
            "status",
            "quantity_shipped",
            "requested_at",
            "decided_at",
            "decision_comment",
            "closed_at",
            "created_at",
            "version",
        ]

    def get_part_numbers(self, deviation) -> list[str]:
        return [part.part_number for part in deviation.parts.all()]

    def get_days_to_expiry(self, deviation) -> int | None:
        return deviation.days_to_expiry()

    def validate_parts(self, parts):
        if not parts:
            raise serializers.ValidationError(_("Name at least one affected part."))
        if len({part.customer_id for part in parts}) > 1:
            raise serializers.ValidationError(_("All parts must belong to one customer."))
        return parts

    def to_representation(self, deviation):
        data = super().to_representation(deviation)
        request = self.context.get("request")
        if not is_internal(request.user if request else None):
            data.pop("internal_note", None)
            data.pop("owner", None)
        return data


@extend_schema_serializer(component_name="Deviation")
class DeviationUpdateSerializer(DeviationSerializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    class Meta(DeviationSerializer.Meta):
        read_only_fields = [n for n in DeviationSerializer.Meta.read_only_fields if n != "version"]


class DeviationExpectedVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class DeviationReasonSerializer(DeviationExpectedVersionSerializer):
    reason = serializers.CharField(max_length=limits.LONG_TEXT)


class DeviationApproveSerializer(DeviationExpectedVersionSerializer):
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, help_text="Your password: the signature."
    )
    authorisation = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The customer's authorisation number (required when staff record it).",
    )
    quantity_cap = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, help_text="Only lower."
    )
    expires_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Only earlier."
    )
    comment = serializers.CharField(
        max_length=limits.COMMENT, required=False, allow_blank=True, default=""
    )


class DeviationRejectSerializer(DeviationExpectedVersionSerializer):
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, help_text="Your password: the signature."
    )
    reason = serializers.CharField(max_length=limits.LONG_TEXT)


class DeviationShipmentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.StringRelatedField()
    version = serializers.IntegerField(
        required=False, min_value=1, write_only=True, help_text=VERSION_HELP
    )

    class Meta:
        model = DeviationShipment
        fields = [
            "id",
            "shipped_on",
            "quantity",
            "lot",
            "shipping_reference",
            "note",
            "recorded_by",
            "recorded_at",
            "version",
        ]
        read_only_fields = ["id", "recorded_by", "recorded_at"]


class DeviationEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = DeviationEvent
        fields = ["action", "label", "from_status", "to_status", "comment", "actor", "created_at"]


# --- the viewset ---------------------------------------------------------------------------------

_NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="Not found or not visible to you.")
_FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="You may not do this.")
_INVALID = OpenApiResponse(OpenApiTypes.OBJECT, description="Validation errors by field.")
_CONFLICT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Not possible in the deviation's status, or changed since the version you sent.",
)
_WRITE_RESPONSES = {400: _INVALID, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT}
_IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag you read (e.g. "3"): refused with 409 when the deviation changed since.',
)


def _transition(name: str, service, request_serializer, to_kwargs=dict, attribute=None):
    """A ``POST /deviations/{id}/<name>/`` endpoint that runs one service."""

    def transition(self, request, pk=None):
        deviation = self.get_object()
        given = request_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = expected_version_of(data.pop("version", None), request.headers.get("If-Match"))
        service(
            deviation=deviation, actor=request.user, expected_version=version, **to_kwargs(data)
        )
        return self.deviation_response(deviation.pk)

    transition.__name__ = attribute or name
    transition = endpoint(detail=True, methods=["post"], url_path=name, url_name=name)(transition)
    return extend_schema(
        request=request_serializer,
        parameters=[_IF_MATCH],
        responses={200: DeviationSerializer, **_WRITE_RESPONSES},
        summary=f"Deviation transition: {name}",
    )(transition)


class DeviationViewSet(
    TenantScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Deviations and concessions visible to you. Never deleted: cancel or close them."""

    queryset = Deviation.objects.all()
    serializer_class = DeviationSerializer
    filterset_class = DeviationFilter
    ordering_fields = ["created_at", "number", "expires_on", "status", "quantity_shipped"]
    ordering = ["-created_at", "-pk"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        return queryset.with_related().prefetch_related("parts")

    def deviation_response(self, pk, status_code=status.HTTP_200_OK):
        deviation = self.get_queryset().get(pk=pk)
        response = Response(self.get_serializer(deviation).data, status=status_code)
        response["ETag"] = etag_of(deviation)
        return response

    @extend_schema(responses={200: DeviationSerializer, 404: _NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return self.deviation_response(self.get_object().pk)

    @extend_schema(
        request=DeviationSerializer,
        responses={201: DeviationSerializer, 400: _INVALID, 403: _FORBIDDEN},
    )
    def create(self, request, *args, **kwargs):
        given = DeviationSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        parts = fields.pop("parts")
        deviation = services.deviation_create(
            actor=request.user, customer=parts[0].customer, parts=parts, **fields
        )
        return self.deviation_response(deviation.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=DeviationUpdateSerializer,
        parameters=[_IF_MATCH],
        responses={200: DeviationSerializer, **_WRITE_RESPONSES},
    )
    def partial_update(self, request, *args, **kwargs):
        deviation = self.get_object()
        given = DeviationUpdateSerializer(
            deviation, data=request.data, partial=True, context=self.get_serializer_context()
        )
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        version = expected_version_of(fields.pop("version", None), request.headers.get("If-Match"))
        services.deviation_update(
            deviation=deviation, actor=request.user, expected_version=version, **fields
        )
        return self.deviation_response(deviation.pk)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    request_approval = _transition(
        "request",
        services.deviation_request,
        DeviationExpectedVersionSerializer,
        lambda data: {},
        attribute="request_approval",
    )
    close = _transition("close", services.deviation_close, DeviationReasonSerializer)
    cancel = _transition("cancel", services.deviation_cancel, DeviationReasonSerializer)
    approve = _transition("approve", services.deviation_approve, DeviationApproveSerializer)
    reject = _transition("reject", services.deviation_reject, DeviationRejectSerializer)

    @extend_schema(
        methods=["GET"], request=None, responses={200: DeviationShipmentSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request=DeviationShipmentSerializer,
        parameters=[_IF_MATCH],
        responses={201: DeviationShipmentSerializer, **_WRITE_RESPONSES},
        summary="Record a shipment under an approved deviation",
    )
    @endpoint(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def shipments(self, request, pk=None):
        deviation = self.get_object()
        if request.method == "POST":
            given = DeviationShipmentSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            data = dict(given.validated_data)
            version = expected_version_of(
                data.pop("version", None), request.headers.get("If-Match")
            )
            shipment = services.shipment_record(
                deviation=deviation, actor=request.user, expected_version=version, **data
            )
            return Response(
                DeviationShipmentSerializer(shipment).data, status=status.HTTP_201_CREATED
            )
        return Response(
            DeviationShipmentSerializer(selectors.shipments_for(deviation), many=True).data
        )

    @extend_schema(
        request=None, responses={200: DeviationEventSerializer(many=True), 404: _NOT_FOUND}
    )
    @endpoint(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        deviation = self.get_object()
        return Response(DeviationEventSerializer(selectors.events_for(deviation), many=True).data)

    @extend_schema(
        request=None,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: _NOT_FOUND},
        summary="The deviation as PDF (for the shipping papers)",
    )
    @endpoint(
        detail=True,
        methods=["get"],
        url_path="pdf",
        renderer_classes=[JSONRenderer, PdfDownloadRenderer],
        filter_backends=[],
        pagination_class=None,
    )
    def pdf(self, request, pk=None):
        deviation = self.get_object()
        return pdf_response(render_deviation(deviation), deviation_filename(deviation))

    @extend_schema(
        request=None,
        filters=True,
        responses={(200, "text/csv"): OpenApiTypes.BINARY, 400: _INVALID},
        summary="The deviations you may see as CSV, filtered like the list",
    )
    @endpoint(
        detail=False,
        methods=["get"],
        url_path="export",
        renderer_classes=[JSONRenderer, CsvDownloadRenderer],
        pagination_class=None,
    )
    def export(self, request):
        return deviations_csv_response(self.filter_queryset(self.get_queryset()))
