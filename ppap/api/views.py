"""PPAP submissions over the API: scoped reads, drafts, elements, warrant, decisions, files."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action as endpoint
from rest_framework.response import Response

from core.api import endpoints
from core.api.attachments import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    attachments_response,
    upload_response,
)
from core.api.parsers import FormParser, MultiPartParser
from core.api.transitions import TransitionEndpoints, VersionedRecordViewSet, expected_version
from core.downloads import ZipDownloadRenderer
from core.errors import DomainError, PermissionDenied
from core.locking import etag_of

from .. import documents, selectors, services
from ..filters import SubmissionFilter
from ..forms import staff_users
from ..models import PpapElement, PpapSubmission
from ..workflow import WORK
from . import serializers as s

_WRITE = endpoints.write_responses(
    "Not possible in the current status, or the record changed since your version."
)
_IF_MATCH = endpoints.if_match(
    'The ETag you read (e.g. "3"): refused with 409 when the record changed since.'
)
_ELEMENT_ID = OpenApiParameter("element_id", int, OpenApiParameter.PATH)
ELEMENT_ACTIONS = ("start", "ready", "reopen", "approve", "reject")


def _element_endpoint(methods: list[str], url_suffix: str, url_name: str, **options):
    """An endpoint on one element of the submission: ``elements/{element_id}<url_suffix>``."""
    return endpoint(
        detail=True,
        methods=methods,
        url_path=r"elements/(?P<element_id>\d+)" + url_suffix,
        url_name=url_name,
        filter_backends=[],
        **options,
    )


_transition = TransitionEndpoints(
    record="submission",
    responses={200: s.PpapSubmissionSerializer, **_WRITE},
    parameters=(_IF_MATCH,),
    summary="PPAP submission: {name}",
    # A resubmission answers with the new submission.
    answer_with_result=True,
    endpoint_options={"filter_backends": []},
)


class PpapSubmissionViewSet(VersionedRecordViewSet):
    """PPAP submissions visible to you (customer users: once sent). Never deleted: cancel drafts."""

    queryset = PpapSubmission.objects.all()
    serializer_class = s.PpapSubmissionSerializer
    filterset_class = SubmissionFilter
    ordering_fields = ["created_at", "number", "due_date", "status", "level"]
    ordering = ["-created_at", "-pk"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        return queryset.with_related()

    def _element(self, submission, element_id) -> PpapElement:
        elements = PpapElement.objects.visible_to(self.request.user)
        element = get_object_or_404(elements, submission=submission, pk=element_id)
        element.submission = submission
        return element

    @extend_schema(responses={200: s.PpapSubmissionSerializer, 404: endpoints.NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return self.record_response(self.get_object().pk)

    @endpoints.create_schema(s.PpapSubmissionSerializer)
    def create(self, request, *args, **kwargs):
        if not request.user.has_capability(WORK):
            raise PermissionDenied(_("You are not allowed to do this."))
        given = s.PpapSubmissionSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        submission = services.submission_create(actor=request.user, **fields)
        return self.record_response(submission.pk, status.HTTP_201_CREATED)

    partial_update = _transition.partial_update(
        s.PpapSubmissionUpdateSerializer, services.submission_update, ignored=("part",)
    )

    send = _transition("send", services.submission_send)
    cancel = _transition("cancel", services.submission_cancel, s.PpapReasonSerializer)
    resubmit = _transition("resubmit", services.submission_resubmit, s.PpapResubmitSerializer)
    dispose = _transition("dispose", services.submission_dispose, s.PpapDispositionSerializer)

    # --- elements --------------------------------------------------------------------------

    @endpoints.rows_endpoint(s.PpapElementSerializer)
    def elements(self, request, pk=None):
        submission = self.get_object()
        elements = selectors.elements_for(submission, request.user)
        context = self.get_serializer_context()
        return Response(s.PpapElementSerializer(elements, many=True, context=context).data)

    @extend_schema(
        parameters=[_ELEMENT_ID, _IF_MATCH],
        request=s.PpapElementUpdateSerializer,
        responses={200: s.PpapElementSerializer, **_WRITE},
        summary="Change an element's owner, due date or not-applicable flag (staff, drafts)",
    )
    @_element_endpoint(["patch"], "", "element")
    def element(self, request, pk=None, element_id=None):
        if not request.user.has_capability(WORK):
            raise PermissionDenied(_("You are not allowed to do this."))
        element = self._element(self.get_object(), element_id)
        given = s.PpapElementUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = expected_version(request, data)
        if "owner" in data and data["owner"] is not None:
            data["owner"] = staff_users().filter(pk=data["owner"]).first()
            if data["owner"] is None:
                raise DomainError(_("No active staff member has this id."), field="owner")
        services.element_update(
            element=element, actor=request.user, expected_version=version, **data
        )
        return self._element_response(element)

    def _element_response(self, element):
        elements = selectors.elements_for(element.submission, self.request.user)
        fresh = next(e for e in elements if e.pk == element.pk)
        context = self.get_serializer_context()
        response = Response(s.PpapElementSerializer(fresh, context=context).data)
        response["ETag"] = etag_of(fresh)
        return response

    @extend_schema(
        parameters=[
            _ELEMENT_ID,
            OpenApiParameter("element_action", str, OpenApiParameter.PATH, enum=ELEMENT_ACTIONS),
            _IF_MATCH,
        ],
        request=s.PpapCommentSerializer,
        responses={200: s.PpapElementSerializer, **_WRITE},
        description=(
            "start, ready, reopen: our staff on a draft (ready needs the element's files). "
            "approve, reject: the customer reviewing a submitted element; reject needs comment."
        ),
    )
    @_element_endpoint(["post"], r"/do/(?P<element_action>[^/.]+)", "element-action")
    def element_action(self, request, pk=None, element_id=None, element_action=None):
        element = self._element(self.get_object(), element_id)
        if element_action not in ELEMENT_ACTIONS:
            raise Http404
        given = s.PpapCommentSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = expected_version(request, data)
        services.element_transition(
            element=element,
            actor=request.user,
            action=element_action,
            comment=data["comment"],
            expected_version=version,
        )
        return self._element_response(element)

    @extend_schema(
        methods=["GET"],
        parameters=[_ELEMENT_ID],
        request=None,
        responses={200: AttachmentSerializer(many=True), 404: endpoints.NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        parameters=[_ELEMENT_ID],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer(many=True), **_WRITE},
    )
    @_element_endpoint(
        ["get", "post"],
        "/attachments",
        "element-attachments",
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
    )
    def element_attachments(self, request, pk=None, element_id=None):
        # Only our staff add files: refused before the record is looked up.
        if request.method == "POST" and not request.user.has_capability(WORK):
            raise PermissionDenied(_("You may not add files to this record."))
        element = self._element(self.get_object(), element_id)
        context = self.get_serializer_context()
        if request.method == "POST":
            if not element.submission.is_editable:
                raise DomainError(_("Files are added while the submission is a draft."))
            policy = element.customer.requirements.attachment_policy
            return upload_response(request, element, policy, context)
        return attachments_response(request, element, context)

    # --- warrant, studies, events ----------------------------------------------------------

    @extend_schema(methods=["GET"], request=None, responses={200: s.PpapWarrantSerializer})
    @extend_schema(
        methods=["PATCH"],
        request=s.PpapWarrantUpdateSerializer,
        parameters=[_IF_MATCH],
        responses={200: s.PpapWarrantSerializer, **_WRITE},
    )
    @endpoint(detail=True, methods=["get", "patch"], filter_backends=[], pagination_class=None)
    def warrant(self, request, pk=None):
        submission = self.get_object()
        warrant = submission.warrant
        if request.method == "PATCH":
            given = s.PpapWarrantUpdateSerializer(warrant, data=request.data, partial=True)
            given.is_valid(raise_exception=True)
            data = dict(given.validated_data)
            version = expected_version(request, data)
            warrant = services.warrant_update(
                warrant=warrant, actor=request.user, expected_version=version, **data
            )
        response = Response(s.PpapWarrantSerializer(warrant).data)
        response["ETag"] = etag_of(warrant)
        return response

    @extend_schema(
        request=s.PpapPasswordSerializer,
        parameters=[_IF_MATCH],
        responses={200: s.PpapWarrantSerializer, **_WRITE},
        summary="Sign the warrant for the organisation (ppap.sign; password re-entered)",
    )
    @endpoint(detail=True, methods=["post"], url_path="warrant/sign", filter_backends=[])
    def warrant_sign(self, request, pk=None):
        submission = self.get_object()
        given = s.PpapPasswordSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        warrant = services.warrant_sign(
            warrant=submission.warrant,
            actor=request.user,
            password=data["password"],
            expected_version=expected_version(request, data),
        )
        return Response(s.PpapWarrantSerializer(warrant).data)

    @endpoints.rows_and_add_endpoint(s.PpapStudySerializer, _WRITE)
    def studies(self, request, pk=None):
        submission = self.get_object()
        if request.method == "POST":
            given = s.PpapStudySerializer(data=request.data)
            given.is_valid(raise_exception=True)
            study = services.study_add(
                submission=submission, actor=request.user, **given.validated_data
            )
            return Response(s.PpapStudySerializer(study).data, status=status.HTTP_201_CREATED)
        return Response(s.PpapStudySerializer(selectors.studies_for(submission), many=True).data)

    events = endpoints.events_endpoint(s.PpapEventSerializer, selectors.events_for)

    # --- downloads -------------------------------------------------------------------------

    psw = endpoints.document_endpoint(documents.PSW, "psw", "The Part Submission Warrant as PDF")

    @endpoints.download_endpoint(
        "package",
        ZipDownloadRenderer,
        {(200, "application/zip"): OpenApiTypes.BINARY, 404: endpoints.NOT_FOUND},
        "The package: PSW PDF and the submitted elements' files as one ZIP",
    )
    def package(self, request, pk=None):
        return documents.package_response(self.get_object())
