"""Change requests over the API: scoped reads, raising, editing, transitions and the notice PDF."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as endpoint
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from core.api.base import TenantScopedMixin
from core.errors import DomainError
from core.locking import etag_of, expected_version_of
from core.tenancy import is_internal

from .. import selectors, services
from ..documents import change_notice_filename, pdf_response, render_change_notice
from ..exports import changes_csv_response
from ..filters import ChangeFilter
from ..models import AffectedPart, ChangeApprover, ChangeAssessor, ChangeRequest
from . import serializers as s

_NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="Not found or not visible to you.")
_FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="You may not do this.")
_INVALID = OpenApiResponse(OpenApiTypes.OBJECT, description="Validation errors by field.")
_CONFLICT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "Not possible in the change's current status or against a rule of the change process, "
        "or the change changed since the version you sent: reload it and apply your change again."
    ),
)
_WRITE_RESPONSES = {400: _INVALID, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT}
_IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag you read (e.g. "3"): the write is refused with 409 when the change '
    "changed since. Same as `version` in the body; without either, no check.",
)
_ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description="The change's version, quoted: send it back as If-Match with your next write.",
)


class _DownloadRenderer(BaseRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data, renderer_context=renderer_context)


class PdfDownloadRenderer(_DownloadRenderer):
    media_type = "application/pdf"
    format = "pdf"


class CsvDownloadRenderer(_DownloadRenderer):
    media_type = "text/csv"
    format = "csv"


def _transition(
    name: str, service, request_serializer=s.ChangeExpectedVersionSerializer, summary=""
):
    """A ``POST /changes/{id}/<name>/`` endpoint that runs one change service."""

    def transition(self, request, pk=None):
        change = self.get_object()
        given = request_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = expected_version_of(data.pop("version", None), request.headers.get("If-Match"))
        service(change=change, actor=request.user, expected_version=version, **data)
        return self.change_response(change.pk)

    transition.__name__ = name.replace("-", "_")
    transition = endpoint(detail=True, methods=["post"], url_path=name)(transition)
    return extend_schema(
        request=request_serializer,
        parameters=[_IF_MATCH, _ETAG],
        responses={200: s.ChangeSerializer, **_WRITE_RESPONSES},
        summary=summary or f"Change transition: {name}",
    )(transition)


class ChangeViewSet(
    TenantScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Change requests (ECR/ECN) visible to you: customer users see their own once notified.

    Changes are never deleted: cancel them.
    """

    queryset = ChangeRequest.objects.all()
    serializer_class = s.ChangeSerializer
    filterset_class = ChangeFilter
    ordering_fields = ["created_at", "number", "status", "effectivity_date"]
    ordering = ["-created_at", "-pk"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        return queryset.with_related().prefetch_related(
            "parts__part", "documents", "dispositions", "assessors__user", "approvers__user"
        )

    def change_response(self, pk, status_code=status.HTTP_200_OK):
        change = self.get_queryset().get(pk=pk)
        response = Response(self.get_serializer(change).data, status=status_code)
        response["ETag"] = etag_of(change)
        return response

    @extend_schema(parameters=[_ETAG], responses={200: s.ChangeSerializer, 404: _NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return self.change_response(self.get_object().pk)

    @extend_schema(
        request=s.ChangeSerializer,
        parameters=[_ETAG],
        responses={201: s.ChangeSerializer, 400: _INVALID, 403: _FORBIDDEN},
    )
    def create(self, request, *args, **kwargs):
        given = s.ChangeSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        customer = fields.pop("customer")
        change = services.change_create(actor=request.user, customer=customer, **fields)
        return self.change_response(change.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ChangeUpdateSerializer,
        parameters=[_IF_MATCH, _ETAG],
        responses={200: s.ChangeSerializer, **_WRITE_RESPONSES},
    )
    def partial_update(self, request, *args, **kwargs):
        change = self.get_object()
        given = s.ChangeUpdateSerializer(
            change, data=request.data, partial=True, context=self.get_serializer_context()
        )
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        version = expected_version_of(fields.pop("version", None), request.headers.get("If-Match"))
        services.change_update(
            change=change, actor=request.user, expected_version=version, **fields
        )
        return self.change_response(change.pk)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    submit = _transition("submit", services.change_submit)
    start_assessment = _transition("start-assessment", services.change_start_assessment)
    board_reject = _transition("board-reject", services.board_reject, s.ChangeReasonSerializer)
    board_defer = _transition("board-defer", services.board_defer, s.ChangeDeferSerializer)
    resume = _transition("resume", services.change_resume)
    customer_approve = _transition(
        "customer-approve",
        services.customer_approve,
        s.ChangeCustomerApproveSerializer,
        "The customer approves the change notice (electronic signature: your password)",
    )
    customer_reject = _transition(
        "customer-reject",
        services.customer_reject,
        s.ChangeCustomerRejectSerializer,
        "The customer rejects the change notice (electronic signature: your password)",
    )
    waive = _transition(
        "waive",
        services.customer_waive,
        s.ChangeWaiverSerializer,
        "A manager records the customer's documented waiver of their approval (signed)",
    )
    release = _transition("release", services.change_release, s.ChangePasswordSerializer)
    validate = _transition("validate", services.change_validate, s.ChangeValidateSerializer)
    implement = _transition("implement", services.change_implement, s.ChangeImplementSerializer)
    close = _transition("close", services.change_close)
    cancel = _transition("cancel", services.change_cancel, s.ChangeReasonSerializer)

    @extend_schema(
        request=s.ChangeBoardApproveSerializer,
        responses={200: s.ChangeSerializer, **_WRITE_RESPONSES},
        summary="A review-board member approves with their electronic signature",
    )
    @endpoint(detail=True, methods=["post"], url_path="board-approve")
    def board_approve(self, request, pk=None):
        change = self.get_object()
        given = s.ChangeBoardApproveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        approver = get_object_or_404(
            ChangeApprover.objects.filter(change=change), pk=data.pop("approver")
        )
        services.board_approve(approver=approver, actor=request.user, **data)
        return self.change_response(change.pk)

    @extend_schema(
        request=s.ChangeAssessSerializer,
        responses={200: s.ChangeSerializer, **_WRITE_RESPONSES},
        summary="A named assessor records their function's impact assessment",
    )
    @endpoint(detail=True, methods=["post"], url_path="assess")
    def assess(self, request, pk=None):
        change = self.get_object()
        given = s.ChangeAssessSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        assessor = get_object_or_404(
            ChangeAssessor.objects.filter(change=change), pk=data.pop("assessor")
        )
        services.assessment_record(assessor=assessor, actor=request.user, **data)
        return self.change_response(change.pk)

    @extend_schema(
        request=s.ChangePartRowSerializer,
        responses={201: s.AffectedPartSerializer, **_WRITE_RESPONSES},
        summary="Add an affected part (one of the change's customer's parts)",
    )
    @endpoint(detail=True, methods=["post"], url_path="parts")
    def parts(self, request, pk=None):
        change = self.get_object()
        given = s.ChangePartRowSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        row = services.affected_part_add(change=change, actor=request.user, **given.validated_data)
        row = AffectedPart.objects.select_related("part").get(pk=row.pk)
        return Response(s.AffectedPartSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ChangePersonRowSerializer,
        responses={200: s.ChangeSerializer, **_WRITE_RESPONSES},
        summary="Name an assessor (function and staff user)",
    )
    @endpoint(detail=True, methods=["post"], url_path="assessors")
    def assessors(self, request, pk=None):
        return self._person_row(request, services.assessor_add)

    @extend_schema(
        request=s.ChangePersonRowSerializer,
        responses={200: s.ChangeSerializer, **_WRITE_RESPONSES},
        summary="Name a review-board approver (function and staff user)",
    )
    @endpoint(detail=True, methods=["post"], url_path="approvers")
    def approvers(self, request, pk=None):
        return self._person_row(request, services.approver_add)

    def _person_row(self, request, service):
        change = self.get_object()
        given = s.ChangePersonRowSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        user = selectors.staff_members().filter(pk=given.validated_data["user"]).first()
        if user is None:
            raise DomainError(_("No active staff member has this id."), field="user")
        service(
            change=change, actor=request.user, function=given.validated_data["function"], user=user
        )
        return self.change_response(change.pk)

    @extend_schema(
        request=None, responses={200: s.ChangeEventSerializer(many=True), 404: _NOT_FOUND}
    )
    @endpoint(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        change = self.get_object()
        return Response(s.ChangeEventSerializer(selectors.events_for(change), many=True).data)

    @extend_schema(
        request=None,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: _NOT_FOUND},
        summary="The change notice as PDF (the document the customer receives)",
    )
    @endpoint(
        detail=True,
        methods=["get"],
        url_path="notice",
        renderer_classes=[JSONRenderer, PdfDownloadRenderer],
        filter_backends=[],
        pagination_class=None,
    )
    def notice(self, request, pk=None):
        change = self.get_object()
        return pdf_response(render_change_notice(change), change_notice_filename(change))

    @extend_schema(
        request=None,
        filters=True,
        responses={(200, "text/csv"): OpenApiTypes.BINARY, 400: _INVALID},
        summary="The changes you may see as CSV, filtered like the list",
    )
    @endpoint(
        detail=False,
        methods=["get"],
        url_path="export",
        renderer_classes=[JSONRenderer, CsvDownloadRenderer],
        pagination_class=None,
    )
    def export(self, request):
        changes = self.filter_queryset(selectors.changes_for_list(request.user))
        return changes_csv_response(changes, internal=is_internal(request.user))
