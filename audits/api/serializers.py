"""Audit, answer, finding and catalogue representations for the REST API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import limits
from core.api import serializers as core_serializers
from core.api.base import ScopedPrimaryKeyRelatedField
from core.api.waiting import WaitingForField
from customers.models import Customer, Part

from .. import catalogues, selectors
from ..forms import CatalogueImportForm
from ..models import Answer, Audit, Catalogue, Finding, Process, Question
from ..scoring import SUB_ELEMENTS
from ..services import PLANNED_FIELDS

# What conducting and reporting the audit set: read, never written, through the API.
RESULT_FIELDS = ("status", "summary", "result_percent", "grade", "downgrade_reasons", "approved_at")
# What a customer user reads of their own audit of us: no plan details, no scores.
CUSTOMER_AUDIT_FIELDS = [
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

AuditVersionSerializer = core_serializers.VersionedWriteSerializer


class AuditReasonSerializer(AuditVersionSerializer):
    reason = core_serializers.optional_text(limits.LONG_TEXT)
    password = core_serializers.signature_password(
        required=False,
        allow_blank=True,
        default="",
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


@extend_schema_field(
    {
        "type": "string",
        "enum": list(Catalogue.Kind.values),
        "description": "The kind of catalogue (CSV only: a JSON file names its own).",
    }
)
class CatalogueKindField(serializers.ChoiceField):
    """Documented inline: a second "kind" enum of the catalogue would collide in the schema."""

    def __init__(self, **kwargs):
        super().__init__(choices=Catalogue.Kind.choices, **kwargs)


class CatalogueImportSerializer(serializers.Serializer):
    """The upload of the catalogue import page: a JSON file, or a CSV file with name and version."""

    file = serializers.FileField(help_text="The catalogue file, at most 2 MB.")
    format = serializers.ChoiceField(choices=CatalogueImportForm.FORMATS)
    name = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    version = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    kind = CatalogueKindField(required=False)

    def validate_file(self, upload):
        # The page's limit: the same file is refused (or accepted) by either way in.
        if upload.size > CatalogueImportForm.MAX_BYTES:
            raise serializers.ValidationError(_("A catalogue file has at most 2 MB."))
        return upload


@extend_schema_field(
    {
        # Inline, as the import's: a shared "kind" enum component would collide in the schema.
        "allOf": [{"type": "string", "enum": list(Catalogue.Kind.values)}],
        "description": "The kind of catalogue: VDA 6.3 questions are checked and scored as such.",
    }
)
class CatalogueNewKindField(CatalogueKindField):
    """The kind of a catalogue created from a JSON body."""


_QUESTION_ROW = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "minLength": 1, "maxLength": 20, "example": "P6.1"},
        "element": {
            "type": "string",
            "maxLength": 20,
            "description": "P2 to P7 in a VDA 6.3 catalogue, else the clause (e.g. 8.5.1).",
        },
        "sub_element": {
            "type": "string",
            "enum": ["", *SUB_ELEMENTS],
            "description": "U1 to U6: P6 questions of a VDA 6.3 catalogue only.",
        },
        "star": {
            "type": "boolean",
            "description": "A *-question (VDA 6.3 only); left out: no.",
        },
        "text": {"type": "string", "minLength": 1, "maxLength": limits.LONG_TEXT},
    },
    "required": ["code", "text"],
}


@extend_schema_field(
    {
        "type": "array",
        "items": _QUESTION_ROW,
        "minItems": 1,
        "maxItems": catalogues.MAX_QUESTIONS,
        "description": "The questions in order. Every row is checked as an import's rows are: "
        "a refused row stores nothing, and the 400 names each problem by its row.",
    }
)
class QuestionRowsField(serializers.ListField):
    """The rows as sent: ``catalogues.clean_questions`` checks them, so that the messages name
    each row exactly as the import's do."""


class CatalogueCreateSerializer(serializers.Serializer):
    """A catalogue version sent as JSON: what an imported JSON file holds."""

    name = serializers.CharField(max_length=200)
    version = serializers.CharField(max_length=20, help_text="Unique per catalogue name.")
    kind = CatalogueNewKindField()
    notes = core_serializers.optional_text(limits.LONG_TEXT)
    questions = QuestionRowsField()


class CatalogueVersionSerializer(serializers.Serializer):
    """A new version of a catalogue: its questions copied, or the rows sent."""

    version = serializers.CharField(
        max_length=20, help_text="The new version; unique per catalogue name."
    )
    notes = core_serializers.optional_text(limits.LONG_TEXT, help_text="What changed.")
    questions = QuestionRowsField(
        required=False,
        help_text="The new version's questions in order, checked as an import's rows are; left "
        "out: the questions of the version in the path, copied.",
    )


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
            "customer",
            *PLANNED_FIELDS,
            "team",
            *RESULT_FIELDS,
            "created_at",
            "waiting_for",
            "version",
        ]
        read_only_fields = ["id", "number", *RESULT_FIELDS, "created_at", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_auditor"].queryset = selectors.auditors()
        self.fields["team"].child_relation.queryset = selectors.auditors()


class CustomerAuditSerializer(serializers.ModelSerializer):
    """What a customer user reads of their own audit of us."""

    status = AuditStatusField()

    class Meta:
        model = Audit
        fields = CUSTOMER_AUDIT_FIELDS
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
    step = core_serializers.optional_text(100)
    score = serializers.IntegerField(required=False, allow_null=True, default=None)
    not_evaluated = serializers.BooleanField(required=False, default=False)
    reason = core_serializers.optional_text(limits.NOTE)
    note = core_serializers.optional_text(limits.LONG_TEXT)
    version = core_serializers.version_field()


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
    requirement = core_serializers.optional_text(300)
    question = serializers.IntegerField(required=False, allow_null=True, default=None)
    step = core_serializers.optional_text(100)
    score = serializers.IntegerField(required=False, allow_null=True, default=None)


class FindingRespondSerializer(AuditVersionSerializer):
    containment = core_serializers.optional_text(limits.LONG_TEXT)
    correction = core_serializers.optional_text(limits.LONG_TEXT)
    root_cause = core_serializers.optional_text(limits.LONG_TEXT)
    effectiveness = core_serializers.optional_text(limits.LONG_TEXT)
