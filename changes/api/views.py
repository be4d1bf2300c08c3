"""Change requests over the API: scoped reads, raising, editing, transitions and the notice PDF."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action as endpoint
from rest_framework.response import Response

from core.api import endpoints
from core.api.transitions import TransitionEndpoints, VersionedRecordViewSet
from core.errors import DomainError
from core.tenancy import is_internal

from .. import selectors, services
from ..documents import CHANGE_NOTICE
from ..exports import changes_csv_response
from ..filters import ChangeFilter
from ..models import AffectedPart, ChangeApprover, ChangeAssessor, ChangeRequest
from . import serializers as s

_WRITE_RESPONSES = endpoints.write_responses(
    "Not possible in the change's current status or against a rule of the change process, "
    "or the change changed since the version you sent: reload it and apply your change again."
)
_IF_MATCH = endpoints.if_match(
    'The ETag you read (e.g. "3"): the write is refused with 409 when the change '
    "changed since. Same as `version` in the body; without either, no check."
)
_ETAG = endpoints.etag(
    "The change's version, quoted: send it back as If-Match with your next write."
)


_transition = TransitionEndpoints(
    record="change",
    responses={200: s.ChangeSerializer, **_WRITE_RESPONSES},
    parameters=(_IF_MATCH, _ETAG),
    summary="Change transition: {name}",
)


def _change_write(name: str, request_serializer: type, summary: str, answer: dict | None = None):
    """Decorates ``POST /changes/{id}/<name>/``; the answer is the change unless ``answer`` says."""

    def decorate(method):
        method = endpoint(detail=True, methods=["post"], url_path=name)(method)
        return extend_schema(
            request=request_serializer,
            responses={**(answer or {200: s.ChangeSerializer}), **_WRITE_RESPONSES},
            summary=summary,
        )(method)

    return decorate


def _member_decision(
    name: str, request_serializer: type, member: str, members: type, service, *, summary: str
):
    """A named assessor or approver of the change records their decision, signed.

    The body names the row (a ``members`` model) by its id under ``member``, the service's
    keyword for it.
    """

    def decide(self, request, pk=None):
        change = self.get_object()
        given = request_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        row = get_object_or_404(members.objects.filter(change=change), pk=data.pop(member))
        service(**{member: row}, actor=request.user, **data)
        return self.record_response(change.pk)

    decide.__name__ = name.replace("-", "_")
    return _change_write(name, request_serializer, summary)(decide)


def _staff_member_named(name: str, service, *, summary: str):
    """Names a staff user in a function of the change, e.g. an assessor."""

    def add(self, request, pk=None):
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

    add.__name__ = name
    return _change_write(name, s.ChangePersonRowSerializer, summary)(add)


class ChangeViewSet(VersionedRecordViewSet):
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

    @extend_schema(
        parameters=[_ETAG], responses={200: s.ChangeSerializer, 404: endpoints.NOT_FOUND}
    )
    def retrieve(self, request, *args, **kwargs):
        return self.record_response(self.get_object().pk)

    @endpoints.create_schema(s.ChangeSerializer, parameters=[_ETAG])
    def create(self, request, *args, **kwargs):
        given = s.ChangeSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        customer = fields.pop("customer")
        change = services.change_create(actor=request.user, customer=customer, **fields)
        return self.record_response(change.pk, status.HTTP_201_CREATED)

    partial_update = _transition.partial_update(s.ChangeUpdateSerializer, services.change_update)

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

    board_approve = _member_decision(
        "board-approve",
        s.ChangeBoardApproveSerializer,
        "approver",
        ChangeApprover,
        services.board_approve,
        summary="A review-board member approves with their electronic signature",
    )
    assess = _member_decision(
        "assess",
        s.ChangeAssessSerializer,
        "assessor",
        ChangeAssessor,
        services.assessment_record,
        summary="A named assessor records their function's impact assessment",
    )

    @_change_write(
        "parts",
        s.ChangePartRowSerializer,
        "Add an affected part (one of the change's customer's parts)",
        answer={201: s.AffectedPartSerializer},
    )
    def parts(self, request, pk=None):
        change = self.get_object()
        given = s.ChangePartRowSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        row = services.affected_part_add(change=change, actor=request.user, **given.validated_data)
        row = AffectedPart.objects.select_related("part").get(pk=row.pk)
        return Response(s.AffectedPartSerializer(row).data, status=status.HTTP_201_CREATED)

    assessors = _staff_member_named(
        "assessors", services.assessor_add, summary="Name an assessor (function and staff user)"
    )
    approvers = _staff_member_named(
        "approvers",
        services.approver_add,
        summary="Name a review-board approver (function and staff user)",
    )

    events = endpoints.events_endpoint(s.ChangeEventSerializer, selectors.events_for)

    notice = endpoints.document_endpoint(
        CHANGE_NOTICE, "notice", "The change notice as PDF (the document the customer receives)"
    )

    @endpoints.export_endpoint("The changes you may see as CSV, filtered like the list")
    def export(self, request):
        changes = self.filter_queryset(selectors.changes_for_list(request.user))
        return changes_csv_response(changes, internal=is_internal(request.user))
