"""Audit, answer, finding and catalogue representations for the REST API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import limits
from core.api.base import ScopedPrimaryKeyRelatedField
from core.api.waiting import WaitingForField
from customers.models import Customer, Part

from .. import selectors
from ..models import Answer, Audit, Catalogue, Finding, Process, Question


def _inline_enum(choices, description: str):
    """A read-only status documented inline: "status" names several enums of the API already."""

    @extend_schema_field(
        {
            "allOf": [{"type": "string", "enum": [value for value, _label in choices]}],
            "description": description,
            "readOnly": True,
        }
    )
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, read_only=True, **kwargs)

    return Field


AuditStatusField = _inline_enum(Audit.Status.choices, "The audit's status.")
FindingStatusField = _inline_enum(Finding.Status.choices, "The finding's status.")

VERSION_HELP = (
    "The version of the record you read. The write is refused with 409 when the record changed "
    "since; the If-Match header (the ETag) says the same. Leave both out to write without the "
    "check."
)


class AuditVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class AuditReasonSerializer(AuditVersionSerializer):
    reason = serializers.CharField(
        max_length=limits.LONG_TEXT, required=False, allow_blank=True, default=""
    )
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        style={"input_type": "password"},
        help_text="Approving the report is an electronic signature: your password.",
    )


class AuditQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "position", "code", "element", "sub_element", "star", "text"]


class AuditCatalogueSerializer(serializers.ModelSerializer):
    questions = AuditQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Catalogue
        fields = ["id", "name", "version", "kind", "notes", "is_active", "questions"]


class AuditSerializer(serializers.ModelSerializer):
    customer = ScopedPrimaryKeyRelatedField(
        queryset=Customer.objects.all(), required=False, allow_null=True
    )
    part = ScopedPrimaryKeyRelatedField(
        queryset=Part.objects.all(), required=False, allow_null=True
    )
    process = serializers.PrimaryKeyRelatedField(
        queryset=Process.objects.all(), required=False, allow_null=True
    )
    catalogue = serializers.PrimaryKeyRelatedField(
        queryset=Catalogue.objects.all(), required=False, allow_null=True
    )
    lead_auditor = serializers.PrimaryKeyRelatedField(
        queryset=selectors.auditors(), required=False, allow_null=True
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=selectors.auditors(), many=True, required=False
    )
    shifts_audited = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=3), required=False
    )
    process_steps = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False
    )
    status = AuditStatusField()
    waiting_for = WaitingForField()

    class Meta:
        model = Audit
        fields = [
            "id",
            "number",
            "type",
            "title",
            "customer",
            "process",
            "part",
            "scope",
            "shifts_audited",
            "process_steps",
            "planned_date",
            "lead_auditor",
            "team",
            "external_auditors",
            "catalogue",
            "programme",
            "status",
            "summary",
            "result_percent",
            "grade",
            "downgrade_reasons",
            "approved_at",
            "created_at",
            "waiting_for",
            "version",
        ]
        read_only_fields = [
            "id",
            "number",
            "status",
            "summary",
            "result_percent",
            "grade",
            "downgrade_reasons",
            "approved_at",
            "created_at",
            "version",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_auditor"].queryset = selectors.auditors()
        self.fields["team"].child_relation.queryset = selectors.auditors()


class CustomerAuditSerializer(serializers.ModelSerializer):
    """What a customer user reads of their own audit of us."""

    status = AuditStatusField()

    class Meta:
        model = Audit
        fields = [
            "id",
            "number",
            "type",
            "title",
            "customer",
            "scope",
            "planned_date",
            "external_auditors",
            "status",
            "summary",
            "approved_at",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class AuditAnswerSerializer(serializers.ModelSerializer):
    question_code = serializers.CharField(source="question.code", read_only=True)

    class Meta:
        model = Answer
        fields = [
            "id",
            "question",
            "question_code",
            "step",
            "score",
            "not_evaluated",
            "reason",
            "note",
            "version",
        ]
        read_only_fields = ["id", "question_code", "version"]


class AuditAnswerSaveSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    step = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    score = serializers.IntegerField(required=False, allow_null=True, default=None)
    not_evaluated = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(
        max_length=limits.NOTE, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(
        max_length=limits.LONG_TEXT, required=False, allow_blank=True, default=""
    )
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class AuditResultSerializer(serializers.Serializer):
    overall = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    grade = serializers.CharField(allow_null=True)
    elements = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    )
    sub_elements = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    )
    steps = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    )
    downgrades = serializers.ListField(child=serializers.CharField())
    not_gradable = serializers.ListField(child=serializers.CharField())


class FindingSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    audit = serializers.PrimaryKeyRelatedField(read_only=True)
    next_due = serializers.DateTimeField(read_only=True, allow_null=True)
    status = FindingStatusField()
    waiting_for = WaitingForField()

    class Meta:
        model = Finding
        fields = [
            "id",
            "reference",
            "audit",
            "customer",
            "position",
            "question",
            "step",
            "score",
            "classification",
            "requirement",
            "description",
            "status",
            "raised_at",
            "containment_due",
            "plan_due",
            "implementation_due",
            "next_due",
            "containment",
            "correction",
            "root_cause",
            "effectiveness",
            "responded_at",
            "decision_comment",
            "closed_at",
            "waiting_for",
            "version",
        ]
        read_only_fields = fields


class FindingRaiseSerializer(serializers.Serializer):
    audit = ScopedPrimaryKeyRelatedField(queryset=Audit.objects.all())
    classification = serializers.ChoiceField(choices=Finding.Classification.choices)
    description = serializers.CharField(max_length=limits.LONG_TEXT)
    requirement = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    question = serializers.IntegerField(required=False, allow_null=True, default=None)
    step = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    score = serializers.IntegerField(required=False, allow_null=True, default=None)


class FindingRespondSerializer(AuditVersionSerializer):
    containment = serializers.CharField(
        max_length=limits.LONG_TEXT, required=False, allow_blank=True, default=""
    )
    correction = serializers.CharField(
        max_length=limits.LONG_TEXT, required=False, allow_blank=True, default=""
    )
    root_cause = serializers.CharField(
        max_length=limits.LONG_TEXT, required=False, allow_blank=True, default=""
    )
    effectiveness = serializers.CharField(
        max_length=limits.LONG_TEXT, required=False, allow_blank=True, default=""
    )
