"""Claim representations. Customer users get no internal notes, comments or staff details."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.fields import empty

from core import limits
from core.api import serializers as core_serializers
from core.api.base import ScopedPrimaryKeyRelatedField
from core.api.waiting import WaitingForField
from core.links import portal_url
from customers.api.serializers import PartNumbersSerializer
from customers.models import Part

from ..eightd.rules import submit_problems
from ..eightd.services import EDITABLE_STEP_STATUSES
from ..linking import followers_of
from ..models import Claim, ClaimComment, ClaimEvent, EightDStep
from ..services import FILED_FIELDS
from ..similarity import Reason, claim_page_context

READ_ONLY = [
    "id",
    "number",
    "customer",
    "customer_code",
    "part_revision",
    "status",
    "assigned_engineer",
    "assigned_engineer_name",
    "acknowledged_at",
    "reaction_at",
    "responsibility",
    "rejection_code",
    "rejection_reason",
    "defect_source",
    "closed_at",
    "provisionally_accepted_at",
    "effectiveness_due_on",
    "effectiveness_evidence",
    "effectiveness_evidence_at",
    "master",
    "created_at",
    "next_due_at",
    "next_due_step",
    "waiting_for",
    "version",
]

VERSION_HELP = (
    "The version of the record you read (the claim's; for /steps/ actions the step's). The "
    "write is refused with 409 when the record changed since; the If-Match header (the ETag) "
    "says the same. Leave both out to write without the check."
)


def _blank_or_choice(choices, **kwargs) -> serializers.ChoiceField:
    """A read-only choice that may be blank (declared: a model field would lose the blank)."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True, **kwargs)


class ClaimSerializer(
    core_serializers.HidesInternalFields, PartNumbersSerializer, serializers.ModelSerializer
):
    # The engineer is our staff's business; the defect source our own classification.
    internal_fields = ("assigned_engineer", "defect_source")
    part = ScopedPrimaryKeyRelatedField(queryset=Part.objects.all())
    rejection_code = _blank_or_choice(Claim.RejectionCode.choices)
    defect_source = _blank_or_choice(Claim.DefectSource.choices, help_text="Staff only.")
    customer_code = serializers.CharField(source="customer.code", read_only=True)
    assigned_engineer_name = serializers.SerializerMethodField()
    next_due_at = serializers.DateTimeField(read_only=True, allow_null=True, default=None)
    next_due_step = serializers.CharField(
        source="next_due_code", read_only=True, allow_null=True, default=None
    )
    notified_at = serializers.DateTimeField(required=False)
    master = serializers.CharField(
        source="master.number",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=(
            "The number of the claim whose 8D this claim follows (attached to a running 8D: its "
            "status is that claim's), or null. Attach with POST …/link/, detach with …/unlink/."
        ),
    )
    waiting_for = WaitingForField()
    submit = serializers.BooleanField(
        required=False,
        default=True,
        write_only=True,
        help_text="On filing: false keeps the claim as a draft. Ignored on update.",
    )

    class Meta:
        model = Claim
        fields = [
            *READ_ONLY[:3],
            "part",
            "part_number",
            "customer_part_number",
            *sorted(FILED_FIELDS),
            *READ_ONLY[3:],
            "submit",
        ]
        read_only_fields = READ_ONLY

    def get_assigned_engineer_name(self, claim) -> str | None:
        return str(claim.assigned_engineer) if claim.assigned_engineer_id else None


def _claim_api_url(claim) -> str:
    # Built from the configured portal address, not the request's host: the claim's answer is
    # cached per viewer and path only (``ClaimViewSet.retrieve``).
    return portal_url(reverse("claim-detail", args=[claim.pk]))


class ClaimLinkSerializer(serializers.Serializer):
    """Another claim, by number, with its id and its address in this API."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The claim in this API (absolute address).")

    def get_url(self, claim) -> str:
        return _claim_api_url(claim)


class SimilarClaimSerializer(serializers.Serializer):
    """A claim the claim page lists as similar, and why."""

    id = serializers.IntegerField(source="claim.pk", read_only=True)
    number = serializers.CharField(source="claim.number", read_only=True)
    url = serializers.SerializerMethodField(help_text="The claim in this API (absolute address).")
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=Reason.choices),
        read_only=True,
        help_text=(
            "same_part: the same part or another revision of its customer part number; "
            "similar_symptom: the symptoms share enough words (as agreed with the customer)."
        ),
    )

    def get_url(self, item) -> str:
        return _claim_api_url(item.claim)


class ClaimRelationsSerializer(serializers.Serializer):
    """What the detail of a claim adds: the claims it repeats and similar claims."""

    repeat_of = ClaimLinkSerializer(
        many=True,
        read_only=True,
        source="repeated_claims",
        help_text=(
            "The closed earlier claims this one repeats (same customer part number and symptom, "
            "part produced after their corrective action was implemented), latest "
            "implementation first; only claims you may see."
        ),
    )
    similar_claims = SimilarClaimSerializer(
        many=True,
        read_only=True,
        help_text=(
            "Up to five claims on the same part or with a similar symptom, newest first, as the "
            "claim page lists them; only claims you may see."
        ),
    )
    linked_claims = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=(
            "The numbers of the claims that follow this claim's 8D (each keeps its own "
            "quantities, costs and ppm), by number; empty when none does."
        ),
    )


class ClaimDetailSerializer(ClaimSerializer):
    """One claim as ``GET /claims/{id}/`` shows it, with ``ClaimRelationsSerializer``'s fields.

    Only the detail has them: finding them compares the symptoms of up to 200 claims, too much
    for each row of a list (``claims.similarity``).
    """

    def to_representation(self, claim):
        # The claim page's answer for the same viewer, computed once per data version.
        user = self.context["request"].user
        found = claim_page_context(claim, user)
        followers = followers_of(claim, user).values_list("number", flat=True)
        relations = ClaimRelationsSerializer(
            {**found, "linked_claims": list(followers)}, context=self.context
        ).data
        return {**super().to_representation(claim), **relations}


class ClaimDetailSchema(OpenApiSerializerExtension):
    """The detail's schema is ``Claim`` and ``ClaimRelations`` (``allOf``).

    Spelled out as a copy of the claim's fields, the claim's enums would sit in two components
    and lose their names (``ClaimKindEnum`` would become a hash).
    """

    target_class = ClaimDetailSerializer

    def map_serializer(self, auto_schema, direction):
        return {
            "allOf": [
                auto_schema.resolve_serializer(ClaimSerializer, direction).ref,
                auto_schema.resolve_serializer(ClaimRelationsSerializer, direction).ref,
            ]
        }


# Set in a serializer's context to list what still stops each discipline from being submitted.
WITH_SUBMIT_PROBLEMS = "with_submit_problems"


# Named like the claim: the PATCH body stays "PatchedClaimRequest" and shares the claim's enums.
@extend_schema_serializer(component_name="Claim")
class ClaimUpdateSerializer(ClaimSerializer):
    """A change to a draft claim, with the version the client read (optional)."""

    version = core_serializers.version_field(VERSION_HELP)

    class Meta(ClaimSerializer.Meta):
        read_only_fields = [name for name in READ_ONLY if name != "version"]


class StepSerializer(core_serializers.HidesInternalFields, serializers.ModelSerializer):
    internal_fields = ("internal_note", "submit_problems")
    submitted_by = serializers.StringRelatedField(allow_null=True)
    decided_by = serializers.StringRelatedField(allow_null=True)
    content = serializers.JSONField(
        read_only=True,
        help_text=(
            "The discipline's own fields (D0, D2, D7, D8; {} for the others). Empty for "
            "customer users until the discipline is submitted."
        ),
    )
    waiting_for = WaitingForField()
    submit_problems = serializers.SerializerMethodField(
        help_text=(
            "Staff only: what still stops the discipline from being submitted; empty when it "
            "is ready or no longer ours to edit."
        ),
    )

    class Meta:
        model = EightDStep
        fields = [
            "code",
            "status",
            "summary",
            "content",
            "internal_note",
            "due_at",
            "submitted_at",
            "submitted_by",
            "decided_at",
            "decided_by",
            "decision_comment",
            "submit_problems",
            "waiting_for",
            "version",
        ]
        read_only_fields = fields

    def get_submit_problems(self, step) -> list[str]:
        wanted = self.context.get(WITH_SUBMIT_PROBLEMS) and core_serializers.viewer_is_internal(
            self
        )
        if not wanted or step.status not in EDITABLE_STEP_STATUSES:
            return []
        return submit_problems(step)

    def to_representation(self, step):
        data = super().to_representation(step)
        if not core_serializers.viewer_is_internal(self) and not step.shown_to_customer:
            data["summary"] = ""
            data["content"] = {}
        return data


class ExpectedVersionSerializer(core_serializers.VersionedWriteSerializer):
    version = core_serializers.version_field(VERSION_HELP)


class StepSaveSerializer(ExpectedVersionSerializer):
    """A draft: whatever is left out stays as it is."""

    summary = core_serializers.optional_text(
        limits.LONG_TEXT, default=empty, help_text="The statement to the customer."
    )
    internal_note = core_serializers.optional_text(
        limits.LONG_TEXT, default=empty, help_text="Never shown to the customer."
    )
    content = serializers.DictField(
        required=False,
        help_text=(
            "The discipline's own fields (D0, D2, D7, D8 only); replaces the saved content. "
            "Errors come back by field name."
        ),
    )


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = ClaimComment
        fields = ["id", "author", "body", "internal", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class EventSerializer(core_serializers.RecordEventSerializer):
    class Meta(core_serializers.RecordEventSerializer.Meta):
        model = ClaimEvent
        fields = ["action", "label", "step_code", "from_status", "to_status", "comment", "actor"]


class ReasonSerializer(ExpectedVersionSerializer):
    reason = serializers.CharField(max_length=limits.LONG_TEXT)


class OptionalCommentSerializer(ExpectedVersionSerializer):
    comment = core_serializers.optional_text(limits.COMMENT)


class RequiredCommentSerializer(ExpectedVersionSerializer):
    comment = serializers.CharField(max_length=limits.COMMENT)


class RejectResponsibilitySerializer(ExpectedVersionSerializer):
    rejection_code = serializers.ChoiceField(choices=Claim.RejectionCode.choices)
    reason = serializers.CharField(max_length=limits.LONG_TEXT)


class ClassifySerializer(ExpectedVersionSerializer):
    defect_source = serializers.ChoiceField(
        choices=Claim.DefectSource.choices, allow_blank=True, help_text="Empty to unclassify."
    )


class AttachSerializer(ExpectedVersionSerializer):
    master = ScopedPrimaryKeyRelatedField(
        queryset=Claim.objects.all(),
        help_text=(
            "The id of the claim whose running 8D this claim follows from now on: the same "
            "customer's claim on the same part or with a similar symptom, following nobody."
        ),
    )


class DetachSerializer(ExpectedVersionSerializer):
    reason = core_serializers.optional_text(limits.COMMENT, help_text="Why (optional).")


class AssignSerializer(ExpectedVersionSerializer):
    engineer = serializers.IntegerField(allow_null=True, help_text="A staff user id, or null.")
