"""The CSR register over the API: scoped reads for everyone, writes for our staff.

Customers read their own company's CSR documents and clauses (another customer's is a 404);
our staff create documents and revisions, add clauses and map them.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action as endpoint
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api import endpoints
from core.api.transitions import VersionedRecordViewSet, expected_version
from core.errors import PermissionDenied

from .. import selectors, services
from ..filters import CsrDocumentFilter
from ..models import Clause, CsrDocument
from ..permissions import may_work
from . import serializers as s

_WRITE = endpoints.write_responses(
    "Not possible on a superseded revision, or it changed since the version you sent."
)
_CLAUSE_ID = OpenApiParameter("clause_id", int, OpenApiParameter.PATH)


def _require_work(user) -> None:
    if not may_work(user):
        raise PermissionDenied(_("You are not allowed to do this."))


class CsrDocumentViewSet(VersionedRecordViewSet):
    """Customer-specific requirement documents visible to you, each revision a record.

    Never deleted nor changed in place: a customer's new issue is a new revision.
    """

    queryset = CsrDocument.objects.all()
    serializer_class = s.CsrDocumentSerializer
    filterset_class = CsrDocumentFilter
    ordering_fields = ["reference", "title", "issued_on", "created_at"]
    ordering = ["reference", "-issued_on"]
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def scope_queryset(self, queryset):
        return queryset.with_related()

    @extend_schema(responses={200: s.CsrDocumentSerializer, 404: endpoints.NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return self.record_response(self.get_object().pk)

    @endpoints.create_schema(s.CsrDocumentSerializer)
    def create(self, request, *args, **kwargs):
        _require_work(request.user)
        given = s.CsrDocumentSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        document = services.csr_create(actor=request.user, **data)
        return self.record_response(document.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ReviseSerializer,
        responses={201: s.CsrDocumentSerializer, **_WRITE},
        summary="Record the customer's next revision: clauses copied, review action raised",
    )
    @endpoint(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def revise(self, request, pk=None):
        document = self.get_object()
        _require_work(request.user)
        given = s.ReviseSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = expected_version(request, data)
        new = services.csr_revise(
            document=document, actor=request.user, expected_version=version, **data
        )
        return self.record_response(new.pk, status.HTTP_201_CREATED)

    @extend_schema(
        responses={200: s.ClauseChangesSerializer, 404: endpoints.NOT_FOUND},
        summary="Clauses added, changed and removed since the previous revision",
    )
    @endpoint(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def changes(self, request, pk=None):
        changes = selectors.changes_since_previous(self.get_object())
        if changes is None:
            changes = selectors.ClauseChanges()
        return Response(s.ClauseChangesSerializer(changes).data)

    # --- clauses ------------------------------------------------------------------------------

    def _clauses_response(self, document, status_code=status.HTTP_200_OK) -> Response:
        clauses = selectors.clauses_of(document, self.request.user)
        context = self.get_serializer_context()
        return Response(s.ClauseSerializer(clauses, many=True, context=context).data, status_code)

    @extend_schema(methods=["GET"], request=None, responses={200: s.ClauseSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request=s.ClauseAddSerializer,
        responses={201: s.ClauseSerializer(many=True), **_WRITE},
        summary="Add a clause to the latest revision (staff)",
    )
    @endpoint(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def clauses(self, request, pk=None):
        document = self.get_object()
        if request.method == "POST":
            _require_work(request.user)
            given = s.ClauseAddSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            services.clause_add(document=document, actor=request.user, **given.validated_data)
            return self._clauses_response(document, status.HTTP_201_CREATED)
        return self._clauses_response(document)

    @extend_schema(
        parameters=[_CLAUSE_ID],
        request=s.ClauseMappingSerializer,
        responses={200: s.ClauseSerializer, **_WRITE},
        summary="Map a clause: fulfilling document or process, owner, status (staff)",
        operation_id="v1_csr_clause_map",
    )
    @endpoint(
        detail=True,
        methods=["post"],
        url_path=r"clauses/(?P<clause_id>[0-9]+)",
        url_name="clause",
        filter_backends=[],
        pagination_class=None,
    )
    def clause(self, request, pk=None, clause_id=None):
        document = self.get_object()
        clause = (
            Clause.objects.visible_to(request.user).filter(document=document, pk=clause_id).first()
        )
        if clause is None:
            raise Http404
        _require_work(request.user)
        given = s.ClauseMappingSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = expected_version(request, data)
        # A field left out keeps its value: the body changes only what it names.
        current = {
            "fulfilled_by": clause.fulfilled_by,
            "process": clause.process,
            "owner": clause.owner,
            "not_applicable_reason": clause.not_applicable_reason,
        }
        services.clause_map(
            clause=clause, actor=request.user, expected_version=version, **{**current, **data}
        )
        fresh = Clause.objects.with_related().get(pk=clause.pk)
        context = self.get_serializer_context()
        return Response(s.ClauseSerializer(fresh, context=context).data)
