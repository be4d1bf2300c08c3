"""The CSR register over the API: a CSR document, its clauses and the inputs of their writes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from accounts.roles import INTERNAL_ROLES
from core import limits
from core.api import serializers as core_serializers
from core.api.base import ScopedPrimaryKeyRelatedField
from customers.models import Customer
from documents.models import Document

from ..models import Clause, ClauseStatus, CsrDocument


def _staff():
    return get_user_model().objects.filter(is_active=True, role__in=sorted(INTERNAL_ROLES))


class CsrDocumentSerializer(core_serializers.HidesInternalFields, serializers.ModelSerializer):
    internal_fields = ("owner", "version")
    customer = ScopedPrimaryKeyRelatedField(queryset=Customer.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=_staff())
    previous = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    file = serializers.SerializerMethodField()
    upload = serializers.FileField(write_only=True, required=False)

    class Meta:
        model = CsrDocument
        fields = [
            "id",
            "customer",
            "title",
            "reference",
            "revision",
            "issued_on",
            "owner",
            "previous",
            "file",
            "upload",
            "version",
            "created_at",
        ]
        read_only_fields = ["version", "created_at"]

    def get_file(self, document) -> str | None:
        return document.file.original_name if document.file_id else None


class ClauseSerializer(core_serializers.HidesInternalFields, serializers.ModelSerializer):
    internal_fields = ("owner", "version")

    class Meta:
        model = Clause
        fields = [
            "id",
            "number",
            "title",
            "text",
            "fulfilled_by",
            "process",
            "owner",
            "status",
            "not_applicable_reason",
            "version",
        ]
        read_only_fields = fields


class ClauseAddSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=30)
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=limits.LONG_TEXT)


class ClauseMappingSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ClauseStatus.choices)
    fulfilled_by = ScopedPrimaryKeyRelatedField(
        queryset=Document.objects.all(), required=False, allow_null=True
    )
    process = serializers.CharField(max_length=200, required=False, allow_blank=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=_staff(), required=False, allow_null=True)
    not_applicable_reason = serializers.CharField(
        max_length=limits.NOTE, required=False, allow_blank=True
    )
    version = serializers.IntegerField(required=False, min_value=1)


class ClauseLineSerializer(ClauseAddSerializer):
    pass


class ReviseSerializer(serializers.Serializer):
    revision = serializers.CharField(max_length=20)
    issued_on = serializers.DateField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    clauses = ClauseLineSerializer(
        many=True, required=False, help_text="The new revision's clauses; omitted: copied."
    )
    version = serializers.IntegerField(required=False, min_value=1)


class ClauseChangesSerializer(serializers.Serializer):
    added = serializers.ListField(child=serializers.CharField())
    changed = serializers.ListField(child=serializers.CharField())
    removed = serializers.ListField(child=serializers.CharField())
