"""The training register over the API: what is read, and what a write takes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from accounts.roles import INTERNAL_ROLES
from documents.models import Document, Revision

from ..models import Assignment, Qualification, Requirement, Skill, TrainingRecord


def _staff():
    return get_user_model().objects.filter(is_active=True, role__in=INTERNAL_ROLES)


class StaffField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return _staff()


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "name"]


class RequirementSerializer(serializers.ModelSerializer):
    person = StaffField(required=False, allow_null=True)
    document = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(), required=False, allow_null=True
    )
    skill = serializers.PrimaryKeyRelatedField(
        queryset=Skill.objects.all(), required=False, allow_null=True
    )
    person_name = serializers.CharField(source="person.full_name", read_only=True, default="")
    document_number = serializers.CharField(source="document.number", read_only=True, default="")

    class Meta:
        model = Requirement
        fields = [
            "id",
            "person",
            "person_name",
            "role",
            "document",
            "document_number",
            "skill",
            "level",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class TrainingRecordSerializer(serializers.ModelSerializer):
    person = StaffField()
    trainer = StaffField(required=False, allow_null=True)
    revision = serializers.PrimaryKeyRelatedField(
        queryset=Revision.objects.all(), required=False, allow_null=True
    )
    skill = serializers.PrimaryKeyRelatedField(
        queryset=Skill.objects.all(), required=False, allow_null=True
    )
    upload = serializers.FileField(write_only=True, required=False)

    class Meta:
        model = TrainingRecord
        fields = [
            "id",
            "person",
            "revision",
            "skill",
            "trained_on",
            "trainer",
            "level",
            "evidence",
            "upload",
            "evidence_file",
            "expires_on",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["evidence_file", "recorded_by", "created_at"]


class QualificationSerializer(serializers.ModelSerializer):
    person = StaffField()
    upload = serializers.FileField(write_only=True, required=False)

    class Meta:
        model = Qualification
        fields = [
            "id",
            "person",
            "kind",
            "valid_from",
            "valid_until",
            "evidence",
            "upload",
            "evidence_file",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["evidence_file", "recorded_by", "created_at"]


class AssignmentSerializer(serializers.ModelSerializer):
    document_number = serializers.CharField(source="revision.document.number", read_only=True)
    revision_letter = serializers.CharField(source="revision.letter", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "person",
            "revision",
            "document_number",
            "revision_letter",
            "due_on",
            "status",
            "completed_by_record",
            "completed_at",
            "created_at",
        ]
        read_only_fields = fields
