"""The training register over the API: staff only. A customer user gets 404 on every route,
as if the register were not there."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response

from core.api import endpoints
from core.api.base import TenantScopedMixin
from core.tenancy import is_internal

from .. import services
from ..filters import AssignmentFilter, QualificationFilter, RequirementFilter, TrainingRecordFilter
from ..models import Assignment, Qualification, Requirement, Skill, TrainingRecord
from . import serializers as s


class StaffRegisterViewSet(TenantScopedMixin, viewsets.GenericViewSet):
    """Scoped like every record (``visible_to``: nothing for customer users), and a signed-in
    customer user is told "not found" before anything is read."""

    create_service = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not is_internal(request.user):
            raise exceptions.NotFound()

    def create_record(self, request):
        """The service's new row, read back as the list shows it."""
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        created = type(self).create_service(actor=request.user, **given.validated_data)
        created = self.get_queryset().get(pk=created.pk)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)


_READ = {404: endpoints.NOT_FOUND}


@extend_schema(responses={200: s.SkillSerializer, **_READ})
class SkillViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, StaffRegisterViewSet
):
    """Skills the training matrix can ask for."""

    queryset = Skill.objects.all()
    serializer_class = s.SkillSerializer
    search_fields = ["name"]
    ordering_fields = ["name"]
    ordering = ["name"]
    create_service = staticmethod(services.skill_create)

    @endpoints.create_schema(s.SkillSerializer, hidden=True)
    def create(self, request, *args, **kwargs):
        return self.create_record(request)


class RequirementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, StaffRegisterViewSet
):
    """Rows of the training matrix: a person or a role × a document or a skill, with a level."""

    queryset = Requirement.objects.all()
    serializer_class = s.RequirementSerializer
    filterset_class = RequirementFilter
    ordering_fields = ["id", "level"]
    ordering = ["id"]
    create_service = staticmethod(services.requirement_create)

    def scope_queryset(self, queryset):
        return queryset.with_related()

    @endpoints.create_schema(s.RequirementSerializer, hidden=True)
    def create(self, request, *args, **kwargs):
        return self.create_record(request)


class TrainingRecordViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, StaffRegisterViewSet
):
    """Training records: who was trained on which revision or skill, when, by whom, evidence.

    Recording one on a revision completes the person's open assignment for it."""

    queryset = TrainingRecord.objects.all()
    serializer_class = s.TrainingRecordSerializer
    filterset_class = TrainingRecordFilter
    ordering_fields = ["trained_on", "id"]
    ordering = ["-trained_on", "-id"]
    create_service = staticmethod(services.training_record_create)

    def scope_queryset(self, queryset):
        return queryset.with_related()

    @endpoints.create_schema(s.TrainingRecordSerializer, hidden=True)
    def create(self, request, *args, **kwargs):
        return self.create_record(request)


class QualificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, StaffRegisterViewSet
):
    """Qualifications (VDA 6.3 process auditor, ISO 9001 internal auditor, 8D moderator)."""

    queryset = Qualification.objects.all()
    serializer_class = s.QualificationSerializer
    filterset_class = QualificationFilter
    ordering_fields = ["valid_until", "valid_from", "id"]
    ordering = ["person", "kind", "-valid_from"]
    create_service = staticmethod(services.qualification_create)

    def scope_queryset(self, queryset):
        return queryset.with_related()

    @endpoints.create_schema(s.QualificationSerializer, hidden=True)
    def create(self, request, *args, **kwargs):
        return self.create_record(request)


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffRegisterViewSet):
    """Training due on revisions that came into effect; completed by a training record."""

    queryset = Assignment.objects.all()
    serializer_class = s.AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["due_on", "id"]
    ordering = ["due_on", "id"]

    def scope_queryset(self, queryset):
        return queryset.with_related()
