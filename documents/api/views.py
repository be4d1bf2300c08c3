"""Controlled documents over the API: scoped reads, documents and revisions, the review and the
signed approval, downloads.

Customers read the documents released to them (another customer's or an internal document is a
404) and their approved and effective revisions; our staff keep documents and write revisions,
our managers approve them.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action as endpoint
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api import endpoints
from core.api.transitions import VersionedRecordViewSet, expected_version
from core.errors import PermissionDenied
from core.locking import etag_of

from .. import downloads, selectors, services
from ..filters import DocumentFilter
from ..models import Document, Revision
from ..workflow import may_work
from . import serializers as s

_WRITE = endpoints.write_responses(
    "Not possible in the revision's current state, or it changed since the version you sent."
)
_REVISION_ID = OpenApiParameter("revision_id", int, OpenApiParameter.PATH)
_FILE = OpenApiResponse(OpenApiTypes.BINARY, description="The revision's file.")
# Revision action -> (input serializer, service, the service's input names)
REVISION_ACTIONS = {
    "submit": (s.RevisionReasonSerializer, services.revision_submit, ()),
    "withdraw": (s.RevisionReasonSerializer, services.revision_withdraw, ("reason",)),
    "review": (s.RevisionReviewSerializer, services.review_record, ("decision", "comment")),
    "approve": (s.RevisionApproveSerializer, services.revision_approve, ("password", "comment")),
}
# Reviews take no version: each reviewer answers on their own row, not on the revision.
UNVERSIONED = ("review",)


def _require_work(user) -> None:
    if not may_work(user):
        raise PermissionDenied(_("You are not allowed to do this."))


def _revision_endpoint(methods: list[str], url_suffix: str, url_name: str, **options):
    return endpoint(
        detail=True,
        methods=methods,
        url_path=r"revisions/(?P<revision_id>[0-9]+)" + url_suffix,
        url_name=url_name,
        filter_backends=[],
        pagination_class=None,
        **options,
    )


def _revision_action(name: str, summary: str):
    """``POST /documents/{id}/revisions/{revision_id}/<name>/``: one workflow step."""
    serializer_class = REVISION_ACTIONS[name][0]

    def run(self, request, pk=None, revision_id=None):
        return self._run_revision_action(request, revision_id, name)

    run.__name__ = name
    run = _revision_endpoint(["post"], f"/{name}", f"revision-{name}")(run)
    return extend_schema(
        parameters=[_REVISION_ID],
        request=serializer_class,
        responses={200: s.RevisionSerializer, **_WRITE},
        summary=summary,
    )(run)


class DocumentViewSet(VersionedRecordViewSet):
    """Controlled documents visible to you: ours, or released to your company.

    Never deleted: a document ends when its revision in effect is withdrawn (obsolete).
    """

    queryset = Document.objects.all()
    serializer_class = s.DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = ["number", "title", "kind", "status", "next_review_on", "created_at"]
    ordering = ["number"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        return queryset.with_related().prefetch_related("parts")

    @extend_schema(responses={200: s.DocumentSerializer, 404: endpoints.NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return self.record_response(self.get_object().pk)

    @endpoints.create_schema(s.DocumentSerializer)
    def create(self, request, *args, **kwargs):
        _require_work(request.user)
        given = s.DocumentSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        number = data.pop("number", "")
        document = services.document_create(
            actor=request.user, number=number, **s.document_inputs(data)
        )
        return self.record_response(document.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.DocumentUpdateSerializer,
        responses={200: s.DocumentSerializer, **_WRITE},
        summary="Change a document (staff)",
    )
    def partial_update(self, request, *args, **kwargs):
        document = self.get_object()
        _require_work(request.user)
        given = s.DocumentUpdateSerializer(
            data=request.data, context=self.get_serializer_context(), partial=True
        )
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = expected_version(request, data)
        services.document_update(
            document=document,
            actor=request.user,
            expected_version=version,
            **s.document_inputs(data),
        )
        return self.record_response(document.pk)

    @extend_schema(
        request=None,
        responses={200: _FILE, 404: endpoints.NOT_FOUND},
        summary="Download the revision in effect",
    )
    @endpoint(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def download(self, request, pk=None):
        document = self.get_object()
        current = document.current_revision
        if current is None or current.status != Revision.Status.EFFECTIVE:
            raise Http404
        return downloads.revision_response(self._revision(document, current.pk))

    @endpoints.rows_endpoint(s.DocumentEventSerializer)
    def events(self, request, pk=None):
        document = self.get_object()
        events = selectors.events_for(document, request.user)
        return Response(s.DocumentEventSerializer(events, many=True).data)

    # --- revisions ----------------------------------------------------------------------------

    def _revision(self, document, revision_id) -> Revision:
        revision = selectors.visible_revision(document, self.request.user, revision_id)
        if revision is None:
            raise Http404
        return revision

    def _revision_response(self, revision, status_code=status.HTTP_200_OK) -> Response:
        fresh = (
            Revision.objects.select_related("document__owner", "author", "approved_by")
            .prefetch_related("reviews__reviewer")
            .get(pk=revision.pk)
        )
        context = self.get_serializer_context()
        response = Response(s.RevisionSerializer(fresh, context=context).data, status_code)
        response["ETag"] = etag_of(fresh)
        return response

    @extend_schema(methods=["GET"], request=None, responses={200: s.RevisionSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": s.RevisionStartSerializer},
        responses={201: s.RevisionSerializer, **_WRITE},
        summary="Start the next revision as a draft (staff)",
    )
    @endpoint(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        filter_backends=[],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def revisions(self, request, pk=None):
        document = self.get_object()
        if request.method == "POST":
            _require_work(request.user)
            given = s.RevisionStartSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            data = dict(given.validated_data)
            revision = services.revision_start(
                document=document,
                actor=request.user,
                change_description=data["change_description"],
                effective_on=data.get("effective_on"),
                reviewers=data.get("reviewers", []),
                upload=data.get("file"),
            )
            return self._revision_response(revision, status.HTTP_201_CREATED)
        revisions = selectors.revisions_of(document, request.user)
        context = self.get_serializer_context()
        return Response(s.RevisionSerializer(revisions, many=True, context=context).data)

    @extend_schema(
        parameters=[_REVISION_ID],
        request={"multipart/form-data": s.RevisionUpdateSerializer},
        responses={200: s.RevisionSerializer, **_WRITE},
        summary="Change a draft revision: text, date, reviewers, file (staff)",
    )
    @_revision_endpoint(
        ["patch"], "", "revision", parser_classes=[MultiPartParser, FormParser, JSONParser]
    )
    def revision(self, request, pk=None, revision_id=None):
        revision = self._revision(self.get_object(), revision_id)
        _require_work(request.user)
        given = s.RevisionUpdateSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = expected_version(request, data)
        services.revision_update(
            revision=revision,
            actor=request.user,
            expected_version=version,
            change_description=data.get("change_description"),
            effective_on=data.get("effective_on", revision.effective_on),
            reviewers=data.get("reviewers"),
            upload=data.get("file"),
        )
        return self._revision_response(revision)

    def _run_revision_action(self, request, revision_id, name: str) -> Response:
        revision = self._revision(self.get_object(), revision_id)
        _require_work(request.user)
        serializer_class, service, names = REVISION_ACTIONS[name]
        given = serializer_class(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        options = {}
        if name not in UNVERSIONED:
            options["expected_version"] = expected_version(request, data)
        inputs = {key: data.get(key, "") for key in names}
        service(revision=revision, actor=request.user, **options, **inputs)
        return self._revision_response(revision)

    submit = _revision_action(
        "submit", "Send a draft revision to its reviewers: its file and reviewers needed (staff)"
    )
    review = _revision_action(
        "review", "A named reviewer's answer: approved, or comments that return it to the author"
    )
    approve = _revision_action(
        "approve", "Approve and sign (password) once every reviewer approved; never the author"
    )
    withdraw = _revision_action("withdraw", "Withdraw the revision (obsolete), with the reason")

    @extend_schema(
        parameters=[_REVISION_ID],
        request=None,
        responses={200: _FILE, 404: endpoints.NOT_FOUND},
        summary="Download a revision (an outdated PDF carries its watermark)",
    )
    @_revision_endpoint(["get"], "/download", "revision-download")
    def revision_download(self, request, pk=None, revision_id=None):
        return downloads.revision_response(self._revision(self.get_object(), revision_id))
