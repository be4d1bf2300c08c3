"""Change request representations: customer users get no cost, internal or assessors' notes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core import limits
from core.api import serializers as core_serializers
from core.api.base import ScopedPrimaryKeyRelatedField
from core.api.waiting import WaitingForField
from customers.api.serializers import PartNumbersSerializer
from customers.models import Customer, Part

from .. import models
from ..models.change import Function
from ..services import EDIT_FIELDS

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


class AffectedPartSerializer(PartNumbersSerializer, serializers.ModelSerializer):
    class Meta:
        model = models.AffectedPart
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
        model = models.AffectedDocument
        fields = ["id", "kind", "identifier", "current_revision", "new_revision"]
        read_only_fields = fields


class StockDispositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.StockDisposition
        fields = ["id", "location", "quantity", "disposition", "note"]
        read_only_fields = fields


class ChangeAssessorSerializer(core_serializers.HidesInternalFields, serializers.ModelSerializer):
    internal_fields = ("internal_note",)
    user_name = serializers.StringRelatedField(source="user")

    class Meta:
        model = models.ChangeAssessor
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


class ChangeApproverSerializer(serializers.ModelSerializer):
    user_name = serializers.StringRelatedField(source="user")

    class Meta:
        model = models.ChangeApprover
        fields = ["id", "function", "user", "user_name", "approved_at"]
        read_only_fields = fields


class ChangeSerializer(core_serializers.HidesInternalFields, serializers.ModelSerializer):
    internal_fields = INTERNAL_FIELDS
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
        model = models.ChangeRequest
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


@extend_schema_serializer(component_name="Change")
class ChangeUpdateSerializer(ChangeSerializer):
    """A change to what the change request is, with the version the client read (optional)."""

    version = core_serializers.version_field()

    class Meta(ChangeSerializer.Meta):
        read_only_fields = [name for name in READ_ONLY if name not in ("version", "customer")]

    def get_fields(self):
        fields = super().get_fields()
        fields["customer"].read_only = True
        return fields


ChangeExpectedVersionSerializer = core_serializers.VersionedWriteSerializer


class ChangeReasonSerializer(ChangeExpectedVersionSerializer):
    reason = serializers.CharField(max_length=limits.LONG_TEXT)


class ChangeDeferSerializer(ChangeReasonSerializer):
    until = serializers.DateField()


class ChangePasswordSerializer(ChangeExpectedVersionSerializer):
    password = core_serializers.signature_password(
        help_text="Your password: the electronic signature."
    )


class ChangeCustomerApproveSerializer(ChangePasswordSerializer):
    comment = core_serializers.optional_text(limits.COMMENT)


class ChangeCustomerRejectSerializer(ChangePasswordSerializer):
    reason = serializers.CharField(max_length=limits.LONG_TEXT)


class ChangeWaiverSerializer(ChangePasswordSerializer):
    waived_by = serializers.CharField(
        max_length=200, help_text="Who waived the approval on the customer's side."
    )
    basis = serializers.CharField(max_length=limits.LONG_TEXT)
    waiver_date = serializers.DateField()
    reference = core_serializers.optional_text(200)


class ChangeValidateSerializer(ChangeExpectedVersionSerializer):
    results = serializers.CharField(max_length=limits.LONG_TEXT)


class ChangeImplementSerializer(ChangeExpectedVersionSerializer):
    implemented_on = serializers.DateField()
    break_point = serializers.CharField(max_length=100)


class ChangeBoardApproveSerializer(serializers.Serializer):
    approver = serializers.IntegerField(help_text="The id of your row among the approvers.")
    password = core_serializers.signature_password()
    comment = core_serializers.optional_text(limits.COMMENT)


class ChangeAssessSerializer(serializers.Serializer):
    assessor = serializers.IntegerField(help_text="The id of your row among the assessors.")
    assessment = serializers.CharField(max_length=limits.LONG_TEXT)
    internal_note = core_serializers.optional_text(limits.LONG_TEXT)


class ChangePartRowSerializer(serializers.Serializer):
    part = ScopedPrimaryKeyRelatedField(queryset=Part.objects.all())
    new_revision = serializers.CharField(max_length=20)
    current_revision = core_serializers.optional_text(20)


class ChangePersonRowSerializer(serializers.Serializer):
    function = serializers.ChoiceField(choices=Function.choices)
    user = serializers.IntegerField(help_text="A staff user id.")


class ChangeEventSerializer(core_serializers.RecordEventSerializer):
    class Meta(core_serializers.RecordEventSerializer.Meta):
        model = models.ChangeEvent
