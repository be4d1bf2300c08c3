"""PPAP representations. Customer users get no internal note and no staff details."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core import limits
from core.api import serializers as core_serializers
from core.api.base import OptionalEmailField, ScopedPrimaryKeyRelatedField
from core.api.waiting import WaitingForField
from customers.api.serializers import PartNumbersSerializer
from customers.models import Part

from ..models import PpapElement, PpapEvent, PpapSubmission, ProcessStudy, StudyType, Warrant
from ..reasons import SubmissionReason
from ..services import HEADER_FIELDS, WARRANT_FIELDS
from ..workflow import DISPOSITIONS

INTERNAL_FIELDS = ("internal_note", "owner")
# What the customer's decision sets: read, never written, through the submission's API.
DECISION_FIELDS = (
    "sent_at",
    "decided_at",
    "decision_comment",
    "interim_expires_on",
    "interim_quantity",
    "interim_nonconformities",
    "interim_action_plan",
    "risk_assessment",
)
OWNER_HELP = "The staff user id responsible; null while nobody is. Staff only."


@extend_schema_field({"type": "boolean", "nullable": True})
class YesNoField(serializers.Field):
    """A Y/N box of the warrant: true, false, or null while not answered."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is None:  # null: not answered, stored as ""
            return True, ""
        return super().validate_empty_values(data)

    def to_representation(self, value):
        return {"yes": True, "no": False}.get(value)

    def to_internal_value(self, data):
        if data is None or data == "":
            return ""
        if isinstance(data, bool):
            return "yes" if data else "no"
        raise serializers.ValidationError("Send true, false or null.")


PpapVersionSerializer = core_serializers.VersionedWriteSerializer


class PpapSubmissionSerializer(
    core_serializers.HidesInternalFields, PartNumbersSerializer, serializers.ModelSerializer
):
    internal_fields = INTERNAL_FIELDS
    part = ScopedPrimaryKeyRelatedField(queryset=Part.objects.all())
    shown_status = serializers.CharField(
        read_only=True,
        help_text="The status as shown: an interim approval past its date is interim_expired.",
    )
    level = serializers.IntegerField(
        min_value=1,
        max_value=5,
        required=False,
        allow_null=True,
        help_text="1–5; left out or null: the customer's default level.",
    )
    reason = serializers.CharField(
        help_text="Reason for submission (PSW): " + ", ".join(SubmissionReason.values) + "."
    )
    customer_elements = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=18),
        required=False,
        help_text="Level 4: the element numbers the customer asks to be submitted.",
    )
    owner = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=OWNER_HELP
    )
    waiting_for = WaitingForField()

    class Meta:
        model = PpapSubmission
        fields = [
            "id",
            "number",
            "revision",
            "is_current",
            "customer",
            "part",
            "part_number",
            "customer_part_number",
            "part_revision",
            "change",
            *HEADER_FIELDS,
            "edition",
            "status",
            "shown_status",
            *DECISION_FIELDS,
            "created_at",
            "waiting_for",
            "version",
        ]
        # Our staff write only what the services take about a draft.
        read_only_fields = [name for name in fields if name not in ("part", *HEADER_FIELDS)]


@extend_schema_serializer(component_name="PpapSubmission")
class PpapSubmissionUpdateSerializer(PpapSubmissionSerializer):
    version = core_serializers.version_field()

    class Meta(PpapSubmissionSerializer.Meta):
        read_only_fields = [
            n for n in PpapSubmissionSerializer.Meta.read_only_fields if n != "version"
        ]


class PpapFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    size = serializers.IntegerField()


class PpapElementSerializer(core_serializers.HidesInternalFields, serializers.ModelSerializer):
    internal_fields = ("owner",)  # our staff's assignments stay ours
    owner = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=OWNER_HELP
    )
    files = serializers.SerializerMethodField()

    class Meta:
        model = PpapElement
        fields = [
            "id",
            "number",
            "title",
            "requirement",
            "status",
            "owner",
            "due_date",
            "not_applicable",
            "na_reason",
            "customer_comment",
            "reviewed_at",
            "files",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(PpapFileSerializer(many=True))
    def get_files(self, element):
        files = getattr(element, "files", [])
        return PpapFileSerializer(files, many=True).data


class PpapElementUpdateSerializer(PpapVersionSerializer):
    owner = serializers.IntegerField(required=False, allow_null=True, help_text="A staff user id.")
    due_date = serializers.DateField(required=False, allow_null=True)
    not_applicable = serializers.BooleanField(required=False)
    na_reason = serializers.CharField(max_length=limits.NOTE, required=False, allow_blank=True)


class PpapCommentSerializer(PpapVersionSerializer):
    comment = core_serializers.optional_text(limits.COMMENT, help_text="Required to reject.")


class PpapWarrantSerializer(serializers.ModelSerializer):
    signer_email = OptionalEmailField(required=False)
    safety_regulation = YesNoField(required=False)
    imds_reported = YesNoField(required=False)
    polymeric_marking = YesNoField(required=False)
    dimensional_ok = YesNoField(required=False)
    material_ok = YesNoField(required=False)
    appearance_ok = YesNoField(required=False)
    statistical_ok = YesNoField(required=False)

    class Meta:
        model = Warrant
        fields = ["id", *sorted(WARRANT_FIELDS), "signed_at", "version"]
        read_only_fields = ["id", "signed_at", "version"]


@extend_schema_serializer(component_name="PpapWarrant")
class PpapWarrantUpdateSerializer(PpapWarrantSerializer):
    version = core_serializers.version_field()

    class Meta(PpapWarrantSerializer.Meta):
        read_only_fields = ["id", "signed_at"]


class PpapPasswordSerializer(PpapVersionSerializer):
    password = core_serializers.signature_password(
        help_text="Your password: it confirms the electronic signature."
    )


class PpapDispositionSerializer(PpapPasswordSerializer):
    disposition = serializers.ChoiceField(
        choices=DISPOSITIONS,
        help_text="approve_deviations only for the VDA 2 form set.",
    )
    comment = core_serializers.optional_text(limits.COMMENT, help_text="Required to reject.")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    quantity = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    nonconformities = core_serializers.optional_text(limits.LONG_TEXT)
    action_plan = core_serializers.optional_text(limits.LONG_TEXT)
    risk_assessment = core_serializers.optional_text(limits.LONG_TEXT)


class PpapReasonSerializer(PpapVersionSerializer):
    reason = serializers.CharField(max_length=limits.LONG_TEXT)


class PpapResubmitSerializer(PpapVersionSerializer):
    comment = core_serializers.optional_text(limits.COMMENT)


class PpapStudySerializer(serializers.ModelSerializer):
    study_type = serializers.ChoiceField(choices=StudyType.choices)
    result = serializers.CharField(read_only=True)

    class Meta:
        model = ProcessStudy
        fields = ["id", "characteristic", "study_type", "value", "result", "created_at"]
        read_only_fields = ["id", "result", "created_at"]


class PpapEventSerializer(core_serializers.RecordEventSerializer):
    class Meta(core_serializers.RecordEventSerializer.Meta):
        model = PpapEvent
        fields = ["element_number", *core_serializers.EVENT_FIELDS]
