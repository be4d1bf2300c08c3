"""Special statuses over the API: what a status, its exit criteria and its inputs look like."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.roles import INTERNAL_ROLES
from core import limits
from core.api import serializers as core_serializers
from core.api.attachments import API_DOWNLOAD_URL_NAME
from core.api.base import ScopedPrimaryKeyRelatedField
from core.api.waiting import WaitingForField
from core.filters import BIGINT_MAX
from customers.models import Customer, Part, Plant

from ..models import ExitCriterion, SpecialStatus, SpecialStatusEvent
from ..services import COST_FIELDS, EDITABLE_FIELDS, MAX_CRITERIA


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class IdsField(serializers.ManyRelatedField):
    """The ids of the parts or plants concerned (none: the status concerns all of them)."""


class ExitCriterionFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    download_url = serializers.CharField(help_text="Where the file is downloaded.")


class ExitCriterionSerializer(serializers.ModelSerializer):
    met_by = serializers.StringRelatedField(allow_null=True)
    files = serializers.SerializerMethodField(help_text="The evidence files you may see.")

    class Meta:
        model = ExitCriterion
        fields = ["id", "position", "text", "met", "met_on", "evidence", "met_by", "files"]
        read_only_fields = fields

    @extend_schema_field(ExitCriterionFileSerializer(many=True))
    def get_files(self, criterion) -> list[dict]:
        files = self.context.get("evidence", {}).get(criterion.pk, [])
        return [
            {
                "id": attachment.pk,
                "original_name": attachment.original_name,
                "download_url": reverse(API_DOWNLOAD_URL_NAME, args=[attachment.pk]),
            }
            for attachment in files
        ]


class SpecialStatusSerializer(core_serializers.HidesInternalFields, serializers.ModelSerializer):
    # The inspection costs are ours: a customer does not see them (DESIGN §5).
    internal_fields = ("owner", "inspection_hours", "hourly_rate", "currency", "inspection_cost")
    customer = ScopedPrimaryKeyRelatedField(queryset=Customer.objects.all())
    parts = IdsField(
        child_relation=ScopedPrimaryKeyRelatedField(queryset=Part.objects.all()),
        required=False,
    )
    plants = IdsField(
        child_relation=ScopedPrimaryKeyRelatedField(queryset=Plant.objects.all()),
        required=False,
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True, role__in=INTERNAL_ROLES),
        required=False,
        help_text="Staff only: who drives the exit criteria; defaults to you.",
    )
    criteria = serializers.ListField(
        child=serializers.CharField(max_length=limits.NOTE),
        write_only=True,
        required=False,
        max_length=MAX_CRITERIA,
        help_text="On creation: the customer's exit criteria, one text each.",
    )
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    part_numbers = serializers.SerializerMethodField()
    opened_by = serializers.StringRelatedField(source="created_by", read_only=True)
    exit_requested_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    decided_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    exit_confirmation = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The customer's written confirmation (a file id) when a manager recorded it.",
    )
    criteria_met = serializers.SerializerMethodField()
    criteria_total = serializers.SerializerMethodField()
    inspection_cost = serializers.DecimalField(
        max_digits=24, decimal_places=2, read_only=True, help_text="Hours × rate (staff only)."
    )
    waiting_for = WaitingForField()

    class Meta:
        model = SpecialStatus
        fields = [
            "id",
            "number",
            "customer",
            "customer_code",
            "status",
            *EDITABLE_FIELDS,
            "parts",
            "part_numbers",
            "plants",
            "criteria",
            "criteria_met",
            "criteria_total",
            "opened_by",
            "exit_requested_at",
            "exit_requested_by",
            "decided_at",
            "decided_by",
            "decision_comment",
            "exit_confirmation",
            "closing_note",
            *COST_FIELDS,
            "inspection_cost",
            "created_at",
            "waiting_for",
            "version",
        ]
        read_only_fields = [
            name
            for name in fields
            if name not in ("customer", "parts", "plants", "criteria", *EDITABLE_FIELDS)
        ]

    def get_part_numbers(self, special_status) -> list[str]:
        return [part.part_number for part in special_status.parts.all()]

    def get_criteria_met(self, special_status) -> int:
        return getattr(special_status, "criteria_met", 0)

    def get_criteria_total(self, special_status) -> int:
        return getattr(special_status, "criteria_total", 0)

    def validate(self, data):
        customer = data.get("customer")
        parts = data.get("parts") or []
        if customer is not None and any(part.customer_id != customer.pk for part in parts):
            raise serializers.ValidationError({"parts": [_("Choose the customer's own parts.")]})
        return data


@extend_schema_serializer(component_name="SpecialStatus")
class SpecialStatusUpdateSerializer(serializers.ModelSerializer):
    """What a PATCH may change while the status is open (staff)."""

    parts = IdsField(
        child_relation=ScopedPrimaryKeyRelatedField(queryset=Part.objects.all()),
        required=False,
    )
    plants = IdsField(
        child_relation=ScopedPrimaryKeyRelatedField(queryset=Plant.objects.all()),
        required=False,
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True, role__in=INTERNAL_ROLES),
        required=False,
    )
    version = core_serializers.version_field()

    class Meta:
        model = SpecialStatus
        fields = [*EDITABLE_FIELDS, "parts", "plants", "version"]


class SpecialStatusCostsSerializer(core_serializers.VersionedWriteSerializer):
    inspection_hours = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    hourly_rate = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False, default="EUR")


class SpecialStatusSignExitSerializer(core_serializers.VersionedWriteSerializer):
    password = core_serializers.signature_password(help_text="Your password: the signature.")
    closing_note = core_serializers.optional_text(limits.LONG_TEXT)
    confirmation = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=BIGINT_MAX,
        help_text=(
            "Staff recording the customer's exit: the id of the customer's written confirmation "
            "among the status's files (required for them, ignored for customer users)."
        ),
    )


class SpecialStatusReasonSerializer(core_serializers.VersionedWriteSerializer):
    reason = serializers.CharField(max_length=limits.COMMENT)


class ExitCriterionTextSerializer(core_serializers.VersionedWriteSerializer):
    text = serializers.CharField(max_length=limits.NOTE)


class ExitCriterionMeetSerializer(core_serializers.VersionedWriteSerializer):
    met_on = serializers.DateField()
    evidence = serializers.CharField(max_length=limits.LONG_TEXT)


class SpecialStatusEventSerializer(core_serializers.RecordEventSerializer):
    class Meta(core_serializers.RecordEventSerializer.Meta):
        model = SpecialStatusEvent
