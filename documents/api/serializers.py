"""Controlled documents over the API: a document, its revisions and the inputs of their writes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.roles import INTERNAL_ROLES
from core import limits
from core.api import serializers as core_serializers
from core.api.base import ScopedPrimaryKeyRelatedField
from core.api.waiting import WaitingForField
from customers.models import Customer, Part, Plant

from ..models import Document, DocumentEvent, Review, Revision
from ..services import EDITABLE_FIELDS, MAX_REVIEWERS


def _staff():
    return get_user_model().objects.filter(is_active=True, role__in=sorted(INTERNAL_ROLES))


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class IdsField(serializers.ManyRelatedField):
    """The ids of the parts the document covers."""


# "kind" also names other records' enums: inline, the values stay documented and the generated
# enum names of the other components stay stable.
@extend_schema_field(
    {
        "allOf": [{"type": "string", "enum": Document.Kind.values}],
        "description": "The document's type: " + ", ".join(Document.Kind.values) + ".",
    }
)
class DocumentKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Document.Kind.choices, **kwargs)


class DocumentSerializer(core_serializers.HidesInternalFields, serializers.ModelSerializer):
    # Who keeps it and when it is reviewed next are ours (DESIGN §5).
    internal_fields = ("owner", "next_review_on", "plant", "customer", "version")
    kind = DocumentKindField()
    number = serializers.CharField(
        max_length=40, required=False, help_text="Empty on creation: the next DOC number."
    )
    customer = ScopedPrimaryKeyRelatedField(
        queryset=Customer.objects.all(),
        required=False,
        allow_null=True,
        help_text="Released to this customer; null: an internal document.",
    )
    plant = ScopedPrimaryKeyRelatedField(
        queryset=Plant.objects.all(), required=False, allow_null=True
    )
    parts = IdsField(
        child_relation=ScopedPrimaryKeyRelatedField(queryset=Part.objects.all()), required=False
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=_staff(), required=False, help_text="Staff only: defaults to you."
    )
    next_review_on = serializers.DateField(required=False)
    current_revision = serializers.SerializerMethodField(
        help_text="The letter of the revision in effect, or null."
    )
    download_url = serializers.SerializerMethodField(
        help_text="Where the revision in effect is downloaded, or null."
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "number",
            "kind",
            "title",
            "status",
            "customer",
            "plant",
            "parts",
            "process",
            "owner",
            "next_review_on",
            "current_revision",
            "download_url",
            "created_at",
            "version",
        ]
        read_only_fields = ["status", "created_at", "version"]

    def get_current_revision(self, document) -> str | None:
        current = document.current_revision
        return current.letter if current is not None else None

    def get_download_url(self, document) -> str | None:
        if document.current_revision_id is None:
            return None
        return reverse("document-download", args=[document.pk])


class DocumentUpdateSerializer(DocumentSerializer):
    """A change of a document: every field optional, the version it was read at."""

    version = serializers.IntegerField(required=False, min_value=1, write_only=True)

    class Meta(DocumentSerializer.Meta):
        read_only_fields = ["status", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        fields.pop("number", None)
        for field in fields.values():
            field.required = False
        return fields


def document_inputs(data: dict) -> dict:
    """The serializer's validated data as the services take it."""
    return {name: value for name, value in data.items() if name in (*EDITABLE_FIELDS, "parts")}


class ReviewRowSerializer(serializers.ModelSerializer):
    reviewer = serializers.StringRelatedField()

    class Meta:
        model = Review
        fields = ["id", "reviewer", "decision", "comment", "decided_at"]
        read_only_fields = fields


class RevisionSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()
    approved_by = serializers.StringRelatedField(allow_null=True)
    reviews = serializers.SerializerMethodField()
    waiting_for = WaitingForField()
    download_url = serializers.SerializerMethodField(help_text="Null until the file is attached.")

    class Meta:
        model = Revision
        fields = [
            "id",
            "letter",
            "status",
            "change_description",
            "effective_on",
            "author",
            "approved_by",
            "approved_at",
            "withdrawal_reason",
            "reviews",
            "waiting_for",
            "download_url",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(ReviewRowSerializer(many=True))
    def get_reviews(self, revision) -> list[dict]:
        if not core_serializers.viewer_is_internal(self):
            return []
        return ReviewRowSerializer(revision.reviews.all(), many=True).data

    def get_download_url(self, revision) -> str | None:
        if revision.file_id is None:
            return None
        return reverse("document-revision-download", args=[revision.document_id, revision.pk])


class RevisionStartSerializer(serializers.Serializer):
    change_description = serializers.CharField(max_length=limits.NOTE)
    effective_on = serializers.DateField(required=False, allow_null=True)
    reviewers = serializers.ListField(
        child=serializers.PrimaryKeyRelatedField(queryset=_staff()),
        required=False,
        max_length=MAX_REVIEWERS,
        help_text="Our staff who review the revision (not its author).",
    )
    file = serializers.FileField(required=False, help_text="The revision's file.")


class RevisionUpdateSerializer(RevisionStartSerializer):
    change_description = serializers.CharField(max_length=limits.NOTE, required=False)
    version = serializers.IntegerField(required=False, min_value=1)


class RevisionReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[Review.Decision.APPROVED.value, Review.Decision.COMMENTS.value]
    )
    comment = serializers.CharField(max_length=limits.COMMENT, required=False, allow_blank=True)


class RevisionApproveSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    comment = serializers.CharField(max_length=limits.COMMENT, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)


class RevisionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=limits.COMMENT, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)


class DocumentEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField(allow_null=True)
    revision = serializers.SlugRelatedField(slug_field="letter", read_only=True, allow_null=True)

    class Meta:
        model = DocumentEvent
        fields = ["id", "action", "revision", "from_status", "to_status", "comment", "actor"]
        read_only_fields = fields
