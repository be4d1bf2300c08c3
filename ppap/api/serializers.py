"""PPAP representations. Customer users get no internal note and no staff details."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core import limits
from core.api.base import ScopedPrimaryKeyRelatedField
from core.api.schema import INTERNAL_ONLY
from core.api.waiting import WaitingForField
from core.tenancy import is_internal
from customers.models import Part

from ..models import PpapElement, PpapEvent, PpapSubmission, ProcessStudy, StudyType, Warrant
from ..reasons import SubmissionReason
from ..services import WARRANT_FIELDS
from ..workflow import DISPOSITIONS

VERSION_HELP = (
    "The version of the record you read. The write is refused with 409 when the record changed "
    "since; the If-Match header (the ETag) says the same. Leave both out to write unchecked."
)
INTERNAL_FIELDS = ("internal_note", "owner")


def _viewer_is_internal(serializer) -> bool:
    request = serializer.context.get("request")
    return is_internal(request.user if request else None)


@extend_schema_field({"type": "boolean", "nullable": True})
class YesNoField(serializers.Field):
    """A Y/N box of the warrant: true, false, or null while not answered."""

    def to_representation(self, value):
        return {"yes": True, "no": False}.get(value)

    def to_internal_value(self, data):
        if data is None or data == "":
            return ""
        if isinstance(data, bool):
            return "yes" if data else "no"
        raise serializers.ValidationError("Send true, false or null.")


class PpapVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


@extend_schema_serializer(extensions={INTERNAL_ONLY: list(INTERNAL_FIELDS)})
class PpapSubmissionSerializer(serializers.ModelSerializer):
    part = ScopedPrimaryKeyRelatedField(queryset=Part.objects.all())
    part_number = serializers.CharField(source="part.part_number", read_only=True)
    customer_part_number = serializers.CharField(source="part.customer_part_number", read_only=True)
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
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
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
            "reason",
            "reason_detail",
            "level",
            "customer_elements",
            "form_set",
            "edition",
            "design_proprietary",
            "due_date",
            "owner",
            "status",
            "shown_status",
            "internal_note",
            "vda_trigger",
            "vda_scope",
            "vda_self_assessment",
            "run_date",
            "run_hours",
            "run_quantity",
            "sent_at",
            "decided_at",
            "decision_comment",
            "interim_expires_on",
            "interim_quantity",
            "interim_nonconformities",
            "interim_action_plan",
            "risk_assessment",
            "created_at",
            "waiting_for",
            "version",
        ]
        read_only_fields = [
            "id",
            "number",
            "revision",
            "is_current",
            "customer",
            "part_revision",
            "change",
            "edition",
            "owner",
            "status",
            "sent_at",
            "decided_at",
            "decision_comment",
            "interim_expires_on",
            "interim_quantity",
            "interim_nonconformities",
            "interim_action_plan",
            "risk_assessment",
            "created_at",
            "version",
        ]

    def to_representation(self, submission):
        data = super().to_representation(submission)
        if not _viewer_is_internal(self):
            for name in INTERNAL_FIELDS:
                data.pop(name, None)
        return data


@extend_schema_serializer(component_name="PpapSubmission")
class PpapSubmissionUpdateSerializer(PpapSubmissionSerializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    class Meta(PpapSubmissionSerializer.Meta):
        read_only_fields = [
            n for n in PpapSubmissionSerializer.Meta.read_only_fields if n != "version"
        ]


class PpapFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    size = serializers.IntegerField()


@extend_schema_serializer(extensions={INTERNAL_ONLY: ["owner"]})
class PpapElementSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
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

    def to_representation(self, element):
        data = super().to_representation(element)
        if not _viewer_is_internal(self):
            data.pop("owner", None)  # our staff's assignments stay ours
        return data

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
    comment = serializers.CharField(
        max_length=limits.COMMENT,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to reject.",
    )


class PpapWarrantSerializer(serializers.ModelSerializer):
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
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    class Meta(PpapWarrantSerializer.Meta):
        read_only_fields = ["id", "signed_at"]


class PpapPasswordSerializer(PpapVersionSerializer):
    password = serializers.CharField(
        write_only=True, help_text="Your password: it confirms the electronic signature."
    )


class PpapDispositionSerializer(PpapPasswordSerializer):
    disposition = serializers.ChoiceField(
        choices=DISPOSITIONS,
        help_text="approve_deviations only for the VDA 2 form set.",
    )
    comment = serializers.CharField(
        max_length=limits.COMMENT,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to reject.",
    )
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    quantity = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    nonconformities = serializers.CharField(
        max_length=limits.LONG_TEXT, required=False, allow_blank=True, default=""
    )
    action_plan = serializers.CharField(
        max_length=limits.LONG_TEXT, required=False, allow_blank=True, default=""
    )
    risk_assessment = serializers.CharField(
        max_length=limits.LONG_TEXT, required=False, allow_blank=True, default=""
    )


class PpapReasonSerializer(PpapVersionSerializer):
    reason = serializers.CharField(max_length=limits.LONG_TEXT)


class PpapResubmitSerializer(PpapVersionSerializer):
    comment = serializers.CharField(
        max_length=limits.COMMENT, required=False, allow_blank=True, default=""
    )


class PpapStudySerializer(serializers.ModelSerializer):
    study_type = serializers.ChoiceField(choices=StudyType.choices)
    result = serializers.CharField(read_only=True)

    class Meta:
        model = ProcessStudy
        fields = ["id", "characteristic", "study_type", "value", "result", "created_at"]
        read_only_fields = ["id", "result", "created_at"]


class PpapEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = PpapEvent
        fields = [
            "action",
            "label",
            "element_number",
            "from_status",
            "to_status",
            "comment",
            "actor",
            "created_at",
        ]
