"""Special statuses over the API: scoped reads, opening, exit criteria, the signed exit, costs.

Customers read their own company's statuses (another customer's is a 404), and sign or decline
the exit; our staff open and edit them, meet the criteria and record the CS2 inspection costs.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action as endpoint
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api import endpoints
from core.api.attachments import (
    AttachmentSerializer,
    AttachmentsMixin,
    AttachmentUploadSerializer,
    attachments_response,
    upload_response,
)
from core.api.transitions import TransitionEndpoints, VersionedRecordViewSet, expected_version
from core.errors import Conflict, PermissionDenied
from core.locking import etag_of
from core.models import Attachment

from .. import selectors, services
from ..filters import SpecialStatusFilter
from ..models import ExitCriterion, SpecialStatus
from ..workflow import may_work
from . import serializers as s

_WRITE = endpoints.write_responses(
    "Not possible in the status's current state, or it changed since the version you sent."
)
_IF_MATCH = endpoints.if_match(
    'The ETag you read (e.g. "3"): refused with 409 when the special status changed since.'
)
_CRITERION_ID = OpenApiParameter("criterion_id", int, OpenApiParameter.PATH)
CRITERION_ACTIONS = {
    "meet": (s.ExitCriterionMeetSerializer, services.criterion_meet),
    "reopen": (s.SpecialStatusReasonSerializer, services.criterion_reopen),
}

_transition = TransitionEndpoints(
    record="special_status",
    responses={200: s.SpecialStatusSerializer, **_WRITE},
    parameters=(_IF_MATCH,),
    summary="Special status: {name}",
    endpoint_options={"filter_backends": []},
)


def _require_work(user) -> None:
    if not may_work(user):
        raise PermissionDenied(_("You are not allowed to do this."))


def _criterion_endpoint(methods: list[str], url_suffix: str, url_name: str, **options):
    """An endpoint on one exit criterion: ``criteria/{criterion_id}<url_suffix>``."""
    return endpoint(
        detail=True,
        methods=methods,
        url_path=r"criteria/(?P<criterion_id>[0-9]+)" + url_suffix,
        url_name=url_name,
        filter_backends=[],
        **options,
    )


def _sign_inputs(special_status):
    """The signature's inputs: the confirmation named by id among the status's own files."""

    def to_kwargs(data: dict) -> dict:
        chosen = data.pop("confirmation", None)
        files = Attachment.objects.for_owner(special_status)
        data["confirmation"] = files.filter(pk=chosen).first() if chosen else None
        return data

    return to_kwargs


class SpecialStatusViewSet(AttachmentsMixin, VersionedRecordViewSet):
    """Special statuses (escalations, controlled shipping, new business holds) visible to you.

    Never deleted: a status ends with the customer's signed exit.
    """

    queryset = SpecialStatus.objects.all()
    serializer_class = s.SpecialStatusSerializer
    filterset_class = SpecialStatusFilter
    ordering_fields = ["created_at", "number", "started_on", "status", "kind"]
    ordering = ["-created_at", "-pk"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        return (
            queryset.with_related()
            .with_criteria_counts()
            .select_related("created_by", "exit_requested_by", "decided_by")
            .prefetch_related("parts", "plants")
        )

    # --- the status --------------------------------------------------------------------------

    @extend_schema(responses={200: s.SpecialStatusSerializer, 404: endpoints.NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return self.record_response(self.get_object().pk)

    @endpoints.create_schema(s.SpecialStatusSerializer)
    def create(self, request, *args, **kwargs):
        _require_work(request.user)
        given = s.SpecialStatusSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        special_status = services.special_status_open(actor=request.user, **given.validated_data)
        return self.record_response(special_status.pk, status.HTTP_201_CREATED)

    partial_update = _transition.partial_update(
        s.SpecialStatusUpdateSerializer, services.special_status_update
    )

    request_exit = _transition(
        "request-exit",
        services.special_status_request_exit,
        summary="Ask the customer to end the status: every exit criterion is met (staff)",
    )
    decline_exit = _transition(
        "decline-exit",
        services.special_status_decline_exit,
        s.SpecialStatusReasonSerializer,
        summary="The customer declines the exit, saying why (or a manager records it)",
    )
    costs = _transition(
        "costs",
        services.special_status_costs_save,
        s.SpecialStatusCostsSerializer,
        summary="Record the hours and rate of a CS2's third-party inspection (staff)",
    )

    @extend_schema(
        request=s.SpecialStatusSignExitSerializer,
        parameters=[_IF_MATCH],
        responses={200: s.SpecialStatusSerializer, **_WRITE},
        summary="Sign the exit (customer users; managers with the customer's written confirmation)",
    )
    @endpoint(detail=True, methods=["post"], url_path="sign-exit", filter_backends=[])
    def sign_exit(self, request, pk=None):
        special_status = self.get_object()
        given = s.SpecialStatusSignExitSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = expected_version(request, data)
        services.special_status_sign_exit(
            special_status=special_status,
            actor=request.user,
            expected_version=version,
            **_sign_inputs(special_status)(data),
        )
        return self.record_response(special_status.pk)

    @endpoints.rows_endpoint(s.SpecialStatusEventSerializer)
    def events(self, request, pk=None):
        special_status = self.get_object()
        events = selectors.events_for(special_status, request.user)
        return Response(s.SpecialStatusEventSerializer(events, many=True).data)

    # --- files ------------------------------------------------------------------------------

    def get_attachment_policy(self, owner):
        return owner.customer.requirements.attachment_policy

    def may_upload_attachment(self, owner) -> bool:
        # A closed status is read-only: its files stay as they were signed.
        return may_work(self.request.user) and not owner.is_final

    # --- exit criteria ------------------------------------------------------------------------

    def _criterion(self, special_status, criterion_id) -> ExitCriterion:
        criteria = ExitCriterion.objects.visible_to(self.request.user)
        criterion = get_object_or_404(criteria, special_status=special_status, pk=criterion_id)
        criterion.special_status = special_status
        return criterion

    def _criterion_response(self, criterion, status_code=status.HTTP_200_OK) -> Response:
        fresh = ExitCriterion.objects.select_related("met_by").get(pk=criterion.pk)
        context = {
            **self.get_serializer_context(),
            "evidence": selectors.evidence_files([fresh], self.request.user),
        }
        response = Response(s.ExitCriterionSerializer(fresh, context=context).data, status_code)
        response["ETag"] = etag_of(fresh)
        return response

    @extend_schema(
        methods=["GET"], request=None, responses={200: s.ExitCriterionSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request=s.ExitCriterionTextSerializer,
        parameters=[_IF_MATCH],
        responses={201: s.ExitCriterionSerializer, **_WRITE},
        summary="Add an exit criterion while the status is open (staff)",
    )
    @endpoint(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def criteria(self, request, pk=None):
        special_status = self.get_object()
        if request.method == "POST":
            _require_work(request.user)
            given = s.ExitCriterionTextSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            data = dict(given.validated_data)
            version = expected_version(request, data)
            criterion = services.criterion_add(
                special_status=special_status,
                actor=request.user,
                expected_version=version,
                text=data["text"],
            )
            return self._criterion_response(criterion, status.HTTP_201_CREATED)
        criteria = selectors.criteria_of(special_status)
        context = {
            **self.get_serializer_context(),
            "evidence": selectors.evidence_files(criteria, request.user),
        }
        return Response(s.ExitCriterionSerializer(criteria, many=True, context=context).data)

    @extend_schema(
        parameters=[_CRITERION_ID, _IF_MATCH],
        request=s.ExitCriterionTextSerializer,
        responses={200: s.ExitCriterionSerializer, **_WRITE},
        summary="Reword an exit criterion that is not met yet (staff)",
    )
    @_criterion_endpoint(["patch"], "", "criterion")
    def criterion(self, request, pk=None, criterion_id=None):
        criterion = self._criterion(self.get_object(), criterion_id)
        _require_work(request.user)
        given = s.ExitCriterionTextSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = expected_version(request, data)
        services.criterion_update(
            criterion=criterion, actor=request.user, expected_version=version, text=data["text"]
        )
        return self._criterion_response(criterion)

    @extend_schema(
        parameters=[
            _CRITERION_ID,
            OpenApiParameter(
                "criterion_action", str, OpenApiParameter.PATH, enum=list(CRITERION_ACTIONS)
            ),
            _IF_MATCH,
        ],
        request=s.ExitCriterionMeetSerializer,
        responses={200: s.ExitCriterionSerializer, **_WRITE},
        summary="Meet an exit criterion or open it again (staff)",
        operation_id="v1_special_statuses_criteria_action",
        description=(
            "meet: the date it was met and the evidence (met_on, evidence). "
            "reopen: why it is no longer met (reason)."
        ),
    )
    @_criterion_endpoint(["post"], r"/(?P<criterion_action>meet|reopen)", "criterion-action")
    def criterion_action(self, request, pk=None, criterion_id=None, criterion_action=None):
        criterion = self._criterion(self.get_object(), criterion_id)
        _require_work(request.user)
        serializer_class, service = CRITERION_ACTIONS[criterion_action]
        given = serializer_class(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = expected_version(request, data)
        service(criterion=criterion, actor=request.user, expected_version=version, **data)
        return self._criterion_response(criterion)

    @extend_schema(
        methods=["GET"],
        parameters=[_CRITERION_ID],
        request=None,
        responses={200: AttachmentSerializer(many=True), 404: endpoints.NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        parameters=[_CRITERION_ID],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer(many=True), **_WRITE},
        summary="Add evidence files to an exit criterion (staff)",
    )
    @_criterion_endpoint(
        ["get", "post"],
        "/attachments",
        "criterion-attachments",
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
    )
    def criterion_attachments(self, request, pk=None, criterion_id=None):
        criterion = self._criterion(self.get_object(), criterion_id)
        context = self.get_serializer_context()
        if request.method == "POST":
            _require_work(request.user)
            special_status = criterion.special_status
            if special_status.is_final:
                raise Conflict(_("A closed special status is read-only."))
            policy = special_status.customer.requirements.attachment_policy
            return upload_response(request, criterion, policy, context)
        return attachments_response(request, criterion, context)
