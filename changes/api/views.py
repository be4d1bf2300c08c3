"""Change requests over the API: scoped reads, raising, editing, transitions and the notice PDF."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as endpoint
from rest_framework.response import Response

from core.api.base import TenantScopedMixin
from core.api.endpoints import (
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    document_endpoint,
    etag,
    events_endpoint,
    export_endpoint,
    if_match,
    write_responses,
)
from core.api.transitions import (
    TransitionEndpoints,
    VersionedUpdateMixin,
    update_endpoint,
)
from core.errors import DomainError
from core.tenancy import is_internal

from .. import selectors, services
from ..documents import CHANGE_NOTICE
from ..exports import changes_csv_response
from ..filters import ChangeFilter
from ..models import AffectedPart, ChangeApprover, ChangeAssessor, ChangeRequest
from . import serializers as s

_WRITE_RESPONSES = write_responses(
    "Not possible in the change's current status or against a rule of the change process, "
    "or the change changed since the version you sent: reload it and apply your change again."
)
_IF_MATCH = if_match(
    'The ETag you read (e.g. "3"): the write is refused with 409 when the change '
    "changed since. Same as `version` in the body; without either, no check."
)
_ETAG = etag("The change's version, quoted: send it back as If-Match with your next write.")


_transition = TransitionEndpoints(
    record="change",
    version_serializer=s.ChangeExpectedVersionSerializer,
    responses={200: s.ChangeSerializer, **_WRITE_RESPONSES},
    parameters=(_IF_MATCH, _ETAG),
    summary="Change transition: {name}",
)


class ChangeViewSet(
    VersionedUpdateMixin,
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

    @extend_schema(parameters=[_ETAG], responses={200: s.ChangeSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return self.record_response(self.get_object().pk)

    @extend_schema(
        request=s.ChangeSerializer,
        parameters=[_ETAG],
        responses={201: s.ChangeSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request, *args, **kwargs):
        given = s.ChangeSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        customer = fields.pop("customer")
        change = services.change_create(actor=request.user, customer=customer, **fields)
        return self.record_response(change.pk, status.HTTP_201_CREATED)

    partial_update = update_endpoint(
        s.ChangeUpdateSerializer,
        services.change_update,
        "change",
        parameters=[_IF_MATCH, _ETAG],
        responses={200: s.ChangeSerializer, **_WRITE_RESPONSES},
    )

    submit = _transition("submit", services.change_submit)
    start_assessment = _transition("start-assessment", services.change_start_assessment)
    board_reject = _transition("board-reject", services.board_reject, s.ChangeReasonSerializer)
    board_defer = _transition("board-defer", services.board_defer, s.ChangeDeferSerializer)
    resume = _transition("resume", services.change_resume)
    customer_approve = _transition(
        "customer-approve",
        services.customer_approve,
        s.ChangeCustomerApproveSerializer,
        summary="The customer approves the change notice (electronic signature: your password)",
    )
    customer_reject = _transition(
        "customer-reject",
        services.customer_reject,
        s.ChangeCustomerRejectSerializer,
        summary="The customer rejects the change notice (electronic signature: your password)",
    )
    waive = _transition(
        "waive",
        services.customer_waive,
        s.ChangeWaiverSerializer,
        summary="A manager records the customer's documented waiver of their approval (signed)",
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
        return self.record_response(change.pk)

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
        return self.record_response(change.pk)

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
        return self.record_response(change.pk)

    events = events_endpoint(s.ChangeEventSerializer, selectors.events_for)

    notice = document_endpoint(
        CHANGE_NOTICE, "notice", "The change notice as PDF (the document the customer receives)"
    )

    @export_endpoint("The changes you may see as CSV, filtered like the list")
    def export(self, request):
        changes = self.filter_queryset(selectors.changes_for_list(request.user))
        return changes_csv_response(changes, internal=is_internal(request.user))
