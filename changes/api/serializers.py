"""Change request representations: customer users get no cost, internal or assessors' notes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core import limits
from core.api.base import ScopedPrimaryKeyRelatedField
from core.api.schema import INTERNAL_ONLY
from core.api.waiting import WaitingForField
from core.tenancy import is_internal
from customers.models import Customer, Part

from ..models import (
    AffectedDocument,
    AffectedPart,
    ChangeApprover,
    ChangeAssessor,
    ChangeEvent,
    ChangeRequest,
    StockDisposition,
)
from ..models.change import Function
from ..services import EDIT_FIELDS

VERSION_HELP = (
    "The version of the change you read. The write is refused with 409 when the change changed "
    "since; the If-Match header (the ETag) says the same. Leave both out to write without "
    "the check."
)
# Never shown to customer users.
INTERNAL_FIELDS = ("cost_amount", "cost_currency", "internal_notes")
EDITABLE = list(EDIT_FIELDS)
READ_ONLY = [
    "id",
    "number",
    "customer",
    "customer_code",
    "status",
    "validation_results",
    "decision_reason",
    "deferred_until",
    "customer_notified_at",
    "customer_decision",
    "customer_decided_at",
    "customer_comment",
    "waiver_by",
    "waiver_basis",
    "waiver_date",
    "waiver_reference",
    "released_at",
    "validated_at",
    "implemented_on",
    "implemented_break_point",
    "closed_at",
    "created_at",
    "waiting_for",
    "version",
]


def _viewer_is_internal(serializer) -> bool:
    request = serializer.context.get("request")
    return is_internal(request.user if request else None)


class AffectedPartSerializer(serializers.ModelSerializer):
    part_number = serializers.CharField(source="part.part_number", read_only=True)
    customer_part_number = serializers.CharField(source="part.customer_part_number", read_only=True)

    class Meta:
        model = AffectedPart
        fields = [
            "id",
            "part",
            "part_number",
            "customer_part_number",
            "current_revision",
            "new_revision",
        ]
        read_only_fields = fields


class AffectedDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = AffectedDocument
        fields = ["id", "kind", "identifier", "current_revision", "new_revision"]
        read_only_fields = fields


class StockDispositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockDisposition
        fields = ["id", "location", "quantity", "disposition", "note"]
        read_only_fields = fields


@extend_schema_serializer(extensions={INTERNAL_ONLY: ["internal_note"]})
class ChangeAssessorSerializer(serializers.ModelSerializer):
    user_name = serializers.StringRelatedField(source="user")

    class Meta:
        model = ChangeAssessor
        fields = [
            "id",
            "function",
            "user",
            "user_name",
            "assessment",
            "internal_note",
            "assessed_at",
        ]
        read_only_fields = fields

    def to_representation(self, row):
        data = super().to_representation(row)
        if not _viewer_is_internal(self):
            data.pop("internal_note", None)
        return data


class ChangeApproverSerializer(serializers.ModelSerializer):
    user_name = serializers.StringRelatedField(source="user")

    class Meta:
        model = ChangeApprover
        fields = ["id", "function", "user", "user_name", "approved_at"]
        read_only_fields = fields


@extend_schema_serializer(extensions={INTERNAL_ONLY: list(INTERNAL_FIELDS)})
class ChangeSerializer(serializers.ModelSerializer):
    customer = ScopedPrimaryKeyRelatedField(queryset=Customer.objects.all())
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    cost_amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Staff only.",
    )
    parts = AffectedPartSerializer(many=True, read_only=True)
    documents = AffectedDocumentSerializer(many=True, read_only=True)
    dispositions = StockDispositionSerializer(many=True, read_only=True)
    assessors = ChangeAssessorSerializer(many=True, read_only=True)
    approvers = ChangeApproverSerializer(many=True, read_only=True)
    waiting_for = WaitingForField()

    class Meta:
        model = ChangeRequest
        fields = [
            *READ_ONLY[:4],
            *EDITABLE,
            *READ_ONLY[4:],
            "parts",
            "documents",
            "dispositions",
            "assessors",
            "approvers",
        ]
        read_only_fields = READ_ONLY

    def to_representation(self, change):
        data = super().to_representation(change)
        if not _viewer_is_internal(self):
            for name in INTERNAL_FIELDS:
                data.pop(name, None)
        return data


@extend_schema_serializer(component_name="Change")
class ChangeUpdateSerializer(ChangeSerializer):
    """A change to what the change request is, with the version the client read (optional)."""

    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    class Meta(ChangeSerializer.Meta):
        read_only_fields = [name for name in READ_ONLY if name not in ("version", "customer")]

    def get_fields(self):
        fields = super().get_fields()
        fields["customer"].read_only = True
        return fields


class ChangeExpectedVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class ChangeReasonSerializer(ChangeExpectedVersionSerializer):
    reason = serializers.CharField(max_length=limits.LONG_TEXT)


class ChangeDeferSerializer(ChangeReasonSerializer):
    until = serializers.DateField()


class ChangePasswordSerializer(ChangeExpectedVersionSerializer):
    password = serializers.CharField(
        write_only=True,
        style={"input_type": "password"},
        help_text="Your password: the electronic signature.",
    )


class ChangeCustomerApproveSerializer(ChangePasswordSerializer):
    comment = serializers.CharField(
        max_length=limits.COMMENT, required=False, allow_blank=True, default=""
    )


class ChangeCustomerRejectSerializer(ChangePasswordSerializer):
    reason = serializers.CharField(max_length=limits.LONG_TEXT)


class ChangeWaiverSerializer(ChangePasswordSerializer):
    waived_by = serializers.CharField(
        max_length=200, help_text="Who waived the approval on the customer's side."
    )
    basis = serializers.CharField(max_length=limits.LONG_TEXT)
    waiver_date = serializers.DateField()
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ChangeValidateSerializer(ChangeExpectedVersionSerializer):
    results = serializers.CharField(max_length=limits.LONG_TEXT)


class ChangeImplementSerializer(ChangeExpectedVersionSerializer):
    implemented_on = serializers.DateField()
    break_point = serializers.CharField(max_length=100)


class ChangeBoardApproveSerializer(serializers.Serializer):
    approver = serializers.IntegerField(help_text="The id of your row among the approvers.")
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    comment = serializers.CharField(
        max_length=limits.COMMENT, required=False, allow_blank=True, default=""
    )


class ChangeAssessSerializer(serializers.Serializer):
    assessor = serializers.IntegerField(help_text="The id of your row among the assessors.")
    assessment = serializers.CharField(max_length=limits.LONG_TEXT)
    internal_note = serializers.CharField(
        max_length=limits.LONG_TEXT, required=False, allow_blank=True, default=""
    )


class ChangePartRowSerializer(serializers.Serializer):
    part = ScopedPrimaryKeyRelatedField(queryset=Part.objects.all())
    new_revision = serializers.CharField(max_length=20)
    current_revision = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )


class ChangePersonRowSerializer(serializers.Serializer):
    function = serializers.ChoiceField(choices=Function.choices)
    user = serializers.IntegerField(help_text="A staff user id.")


class ChangeEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = ChangeEvent
        fields = ["action", "label", "from_status", "to_status", "comment", "actor", "created_at"]
