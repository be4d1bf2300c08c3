"""Deviations over the API: scoped reads, drafting, transitions, the signed decision, shipments."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.roles import INTERNAL_ROLES
from claims.selectors import linkable_claims
from core import limits
from core.api import endpoints
from core.api import serializers as core_serializers
from core.api.base import ScopedPrimaryKeyRelatedField
from core.api.transitions import TransitionEndpoints, VersionedRecordViewSet, expected_version
from core.api.waiting import WaitingForField
from customers.models import Part

from ..models import ChangeRequest, Deviation, DeviationEvent, DeviationShipment
from . import selectors, services
from .documents import DEVIATION_PDF
from .exports import deviations_csv_response
from .filters import DeviationFilter

# --- serializers ---------------------------------------------------------------------------------


@extend_schema_field({"type": "array", "items": {"type": "integer"}, "minItems": 1})
class PartIdsField(serializers.ManyRelatedField):
    """The ids of one or more parts; the schema says "at least one" (DRF's allow_empty=False)."""


class DeviationSerializer(core_serializers.HidesInternalFields, serializers.ModelSerializer):
    internal_fields = ("internal_note", "owner")
    parts = PartIdsField(
        child_relation=ScopedPrimaryKeyRelatedField(queryset=Part.objects.all()),
        allow_empty=False,
    )
    originating_claim = ScopedPrimaryKeyRelatedField(
        queryset=linkable_claims(), required=False, allow_null=True
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
            "status",
            "parts",
            "part_numbers",
            *services.EDITABLE_FIELDS,
            "owner_name",
            "quantity_shipped",
            "remaining_quantity",
            "usage_percent",
            "days_to_expiry",
            "near_expiry",
            "near_cap",
            "requested_at",
            "decided_at",
            "decision_comment",
            "closed_at",
            "created_at",
            "waiting_for",
            "version",
        ]
        # Our staff write only what the services take about a draft.
        read_only_fields = [
            name for name in fields if name not in ("parts", *services.EDITABLE_FIELDS)
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


@extend_schema_serializer(component_name="Deviation")
class DeviationUpdateSerializer(DeviationSerializer):
    version = core_serializers.version_field()

    class Meta(DeviationSerializer.Meta):
        read_only_fields = [n for n in DeviationSerializer.Meta.read_only_fields if n != "version"]


DeviationExpectedVersionSerializer = core_serializers.VersionedWriteSerializer


class DeviationReasonSerializer(DeviationExpectedVersionSerializer):
    reason = serializers.CharField(max_length=limits.LONG_TEXT)


class DeviationApproveSerializer(DeviationExpectedVersionSerializer):
    password = core_serializers.signature_password(help_text="Your password: the signature.")
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
    comment = core_serializers.optional_text(limits.COMMENT)


class DeviationRejectSerializer(DeviationExpectedVersionSerializer):
    password = core_serializers.signature_password(help_text="Your password: the signature.")
    reason = serializers.CharField(max_length=limits.LONG_TEXT)


class DeviationShipmentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.StringRelatedField()
    version = core_serializers.version_field(write_only=True)

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


class DeviationEventSerializer(core_serializers.RecordEventSerializer):
    class Meta(core_serializers.RecordEventSerializer.Meta):
        model = DeviationEvent


# --- the viewset ---------------------------------------------------------------------------------

_WRITE_RESPONSES = endpoints.write_responses(
    "Not possible in the deviation's status, or changed since the version you sent."
)
_IF_MATCH = endpoints.if_match(
    'The ETag you read (e.g. "3"): refused with 409 when the deviation changed since.'
)


_transition = TransitionEndpoints(
    record="deviation",
    responses={200: DeviationSerializer, **_WRITE_RESPONSES},
    parameters=(_IF_MATCH,),
    summary="Deviation transition: {name}",
)


class DeviationViewSet(VersionedRecordViewSet):
    """Deviations and concessions visible to you. Never deleted: cancel or close them."""

    queryset = Deviation.objects.all()
    serializer_class = DeviationSerializer
    filterset_class = DeviationFilter
    ordering_fields = ["created_at", "number", "expires_on", "status", "quantity_shipped"]
    ordering = ["-created_at", "-pk"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        return queryset.with_related().prefetch_related("parts")

    @extend_schema(responses={200: DeviationSerializer, 404: endpoints.NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return self.record_response(self.get_object().pk)

    @endpoints.create_schema(DeviationSerializer)
    def create(self, request, *args, **kwargs):
        given = DeviationSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        parts = fields.pop("parts")
        deviation = services.deviation_create(
            actor=request.user, customer=parts[0].customer, parts=parts, **fields
        )
        return self.record_response(deviation.pk, status.HTTP_201_CREATED)

    partial_update = _transition.partial_update(
        DeviationUpdateSerializer, services.deviation_update
    )

    request_approval = _transition(
        "request", services.deviation_request, attribute="request_approval"
    )
    close = _transition("close", services.deviation_close, DeviationReasonSerializer)
    cancel = _transition("cancel", services.deviation_cancel, DeviationReasonSerializer)
    approve = _transition("approve", services.deviation_approve, DeviationApproveSerializer)
    reject = _transition("reject", services.deviation_reject, DeviationRejectSerializer)

    @endpoints.rows_and_add_endpoint(
        DeviationShipmentSerializer,
        _WRITE_RESPONSES,
        parameters=[_IF_MATCH],
        summary="Record a shipment under an approved deviation",
    )
    def shipments(self, request, pk=None):
        deviation = self.get_object()
        if request.method == "POST":
            given = DeviationShipmentSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            data = dict(given.validated_data)
            version = expected_version(request, data)
            shipment = services.shipment_record(
                deviation=deviation, actor=request.user, expected_version=version, **data
            )
            return Response(
                DeviationShipmentSerializer(shipment).data, status=status.HTTP_201_CREATED
            )
        return Response(
            DeviationShipmentSerializer(selectors.shipments_for(deviation), many=True).data
        )

    events = endpoints.events_endpoint(DeviationEventSerializer, selectors.events_for)

    pdf = endpoints.document_endpoint(
        DEVIATION_PDF, "pdf", "The deviation as PDF (for the shipping papers)"
    )

    @endpoints.export_endpoint("The deviations you may see as CSV, filtered like the list")
    def export(self, request):
        return deviations_csv_response(self.filter_queryset(self.get_queryset()))
