"""Audits, answers, findings and question catalogues over the API; transitions are POST actions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action as endpoint
from rest_framework.exceptions import PermissionDenied as ApiForbidden
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.api.base import TenantScopedCreateViewSet
from core.api.endpoints import FORBIDDEN, INVALID, NOT_FOUND, create_schema
from core.api.filters import BACKENDS
from core.api.parsers import MultiPartParser
from core.api.schema import IF_MATCH
from core.api.transitions import RecordResponseMixin
from core.downloads import CsvDownloadRenderer, file_response
from core.errors import Conflict, DomainError
from core.locking import etag_of, expected_version_of
from core.tenancy import is_internal

from .. import catalogues, selectors, services
from ..filters import AuditFilter, FindingFilter
from ..models import Answer, Audit, Catalogue, Finding, Question
from ..workflow import PLAN, WORK
from . import serializers as s

_CONFLICT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Not possible in the current status, or the record changed since your version.",
)
_WRITES = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, 409: _CONFLICT}
_EXPORT_FORMAT = OpenApiParameter(
    "format", str, enum=["json", "csv"], description="The file's format: json (default) or csv."
)
_NOT_SCORED = OpenApiResponse(
    OpenApiTypes.OBJECT, description="The audit has no VDA 6.3 catalogue: it is not scored."
)


def _version(request, body_version):
    return expected_version_of(body_version, request.headers.get("If-Match"))


def _require(user, capability: str) -> None:
    if not user.has_capability(capability):
        raise ApiForbidden(_("You are not allowed to do this."))


def _transition_endpoint(transition, name: str, request_serializer: type, answer: type, kind: str):
    """``POST /<records>/{id}/<name>/``: ``transition`` documented as the ``kind``'s transition."""
    transition = endpoint(detail=True, methods=["post"], url_path=name, filter_backends=[])(
        transition
    )
    return extend_schema(
        request=request_serializer,
        parameters=[IF_MATCH],
        responses={200: answer, **_WRITES},
        summary=f"{kind} transition: {name}",
    )(transition)


def _audit_transition(name: str, action: str):
    def transition(self, request, pk=None):
        audit = self.get_object()
        given = s.AuditReasonSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.audit_transition(
            audit=audit,
            actor=request.user,
            action=action,
            comment=given.validated_data["reason"],
            password=given.validated_data["password"],
            expected_version=_version(request, given.validated_data.get("version")),
        )
        return self.record_response(audit.pk)

    transition.__name__ = action
    return _transition_endpoint(
        transition, name, s.AuditReasonSerializer, s.AuditSerializer, "Audit"
    )


class AuditViewSet(RecordResponseMixin, TenantScopedCreateViewSet):
    """Audits visible to you: staff see every audit, a customer user their own audits of us."""

    queryset = Audit.objects.all()
    filterset_class = AuditFilter
    search_fields = ["number", "title", "scope"]
    ordering_fields = ["planned_date", "number", "status", "created_at"]
    ordering = ["-planned_date", "-pk"]

    def get_serializer_class(self):
        if is_internal(self.request.user):
            return s.AuditSerializer
        return s.CustomerAuditSerializer

    def scope_queryset(self, queryset):
        return queryset.with_related().prefetch_related("team")

    @extend_schema(responses={200: s.AuditSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        audit = self.get_object()
        response = Response(self.get_serializer(audit).data)
        response["ETag"] = etag_of(audit)
        return response

    @create_schema(s.AuditSerializer)
    def create(self, request, *args, **kwargs):
        _require(request.user, PLAN)
        given = s.AuditSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        audit = services.audit_plan(
            actor=request.user,
            type=fields.pop("type"),
            customer=fields.pop("customer", None),
            team=fields.pop("team", []),
            **fields,
        )
        return self.record_response(audit.pk, status.HTTP_201_CREATED)

    prepare = _audit_transition("prepare", "prepare")
    start = _audit_transition("start", "start")
    draft_report = _audit_transition("draft-report", "draft_report")
    send_back = _audit_transition("send-back", "send_back")
    approve_report = _audit_transition("approve-report", "approve_report")
    cancel = _audit_transition("cancel", "cancel")

    @extend_schema(
        methods=["GET"],
        responses={200: s.AuditAnswerSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        request=s.AuditAnswerSaveSerializer,
        parameters=[IF_MATCH],
        responses={200: s.AuditAnswerSerializer, **_WRITES},
    )
    @endpoint(
        detail=True,
        methods=["get", "post"],
        url_path="answers",
        pagination_class=None,
        filter_backends=[],
    )
    def answers(self, request, pk=None):
        """The audit's answers (staff); POST saves one (score 0/4/6/8/10 or not evaluated)."""
        _require(request.user, WORK)
        audit = self.get_object()
        if request.method == "GET":
            rows = Answer.objects.filter(audit=audit).select_related("question")
            return Response(s.AuditAnswerSerializer(rows, many=True).data)
        given = s.AuditAnswerSaveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        question = Question.objects.filter(
            pk=data.pop("question"), catalogue_id=audit.catalogue_id
        ).first()
        if question is None:
            raise DomainError(_("This question is not in the audit's catalogue."), field="question")
        answer = services.answer_save(
            audit=audit,
            question=question,
            actor=request.user,
            expected_version=_version(request, data.pop("version", None)),
            **data,
        )
        response = Response(s.AuditAnswerSerializer(answer).data)
        response["ETag"] = etag_of(answer)
        return response

    @extend_schema(
        responses={
            200: s.AuditResultSerializer,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: _NOT_SCORED,
        }
    )
    @endpoint(detail=True, methods=["get"], url_path="result", filter_backends=[])
    def result(self, request, pk=None):
        """The live VDA 6.3 result: E_G, elements, sub-elements, steps, grade, reasons (staff)."""
        _require(request.user, WORK)
        audit = self.get_object()
        result = selectors.audit_result(audit)
        if result is None:
            raise Conflict(_("Only audits with a VDA 6.3 catalogue are scored."))
        return Response(
            s.AuditResultSerializer(
                {
                    "overall": result.overall,
                    "grade": result.grade,
                    "elements": result.elements,
                    "sub_elements": result.sub_elements,
                    "steps": result.steps,
                    "downgrades": [reason.message for reason in result.downgrades],
                    "not_gradable": [reason.message for reason in result.not_gradable],
                }
            ).data
        )


def _finding_transition(name: str, action: str, request_serializer=s.AuditReasonSerializer):
    def transition(self, request, pk=None):
        finding = self.get_object()
        given = request_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = _version(request, data.pop("version", None))
        if request_serializer is s.AuditReasonSerializer:
            reason = data.pop("reason", "")
            data = {"reason": reason} if action in ("send_back", "cancel") else {"comment": reason}
        services.FINDING_SERVICES[action](
            finding=finding, actor=request.user, expected_version=version, **data
        )
        return self.finding_response(finding.pk)

    transition.__name__ = action
    return _transition_endpoint(
        transition, name, request_serializer, s.FindingSerializer, "Finding"
    )


class FindingViewSet(TenantScopedCreateViewSet):
    """Audit findings visible to you; a customer user confirms the closure of their own."""

    queryset = Finding.objects.all()
    serializer_class = s.FindingSerializer
    filterset_class = FindingFilter
    search_fields = ["description", "requirement", "audit__number"]
    ordering_fields = ["raised_at", "implementation_due", "status", "classification"]
    ordering = ["-raised_at", "-pk"]

    def scope_queryset(self, queryset):
        return queryset.with_related()

    def finding_response(self, pk, status_code=status.HTTP_200_OK):
        finding = self.get_queryset().get(pk=pk)
        response = Response(s.FindingSerializer(finding).data, status=status_code)
        response["ETag"] = etag_of(finding)
        return response

    @extend_schema(responses={200: s.FindingSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return self.finding_response(self.get_object().pk)

    @extend_schema(
        request=s.FindingRaiseSerializer,
        responses={201: s.FindingSerializer, 400: INVALID, 403: FORBIDDEN, 409: _CONFLICT},
    )
    def create(self, request, *args, **kwargs):
        _require(request.user, WORK)
        given = s.FindingRaiseSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        audit = data.pop("audit")
        question_id = data.pop("question")
        question = None
        if question_id is not None:
            question = get_object_or_404(Question, pk=question_id, catalogue_id=audit.catalogue_id)
        finding = services.finding_raise(audit=audit, actor=request.user, question=question, **data)
        return self.finding_response(finding.pk, status.HTTP_201_CREATED)

    respond = _finding_transition("respond", "respond", s.FindingRespondSerializer)
    close = _finding_transition("close", "close")
    confirm_closure = _finding_transition("confirm-closure", "confirm_closure")
    send_back = _finding_transition("send-back", "send_back")
    cancel = _finding_transition("cancel", "cancel")


class CatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    """Question catalogues (staff): every version with its questions; planners add versions."""

    queryset = Catalogue.objects.prefetch_related("questions").order_by("name", "-created_at")
    serializer_class = s.AuditCatalogueSerializer
    filterset_fields = ["kind", "is_active"]
    filter_backends = BACKENDS
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _require(request.user, WORK)

    @extend_schema(responses={200: s.AuditCatalogueSerializer(many=True), 403: FORBIDDEN})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: s.AuditCatalogueSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def _created(self, catalogue: Catalogue) -> Response:
        answer = s.AuditCatalogueSerializer(self.get_queryset().get(pk=catalogue.pk))
        return Response(answer.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.CatalogueCreateSerializer,
        responses={201: s.AuditCatalogueSerializer, 400: INVALID, 403: FORBIDDEN},
        summary="Create a catalogue version",
        description="The import of a JSON file, sent as the body: name, version, kind, notes and "
        "questions. Every row is checked first: a refused body stores nothing and the 400 names "
        "each problem by its row, as the import does. A name and version that exist already "
        "are refused.",
    )
    def create(self, request, *args, **kwargs):
        _require(request.user, PLAN)
        given = s.CatalogueCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        catalogue = catalogues.catalogue_import(
            actor=request.user, rows=data.pop("questions"), **data
        )
        return self._created(catalogue)

    @extend_schema(
        request=s.CatalogueVersionSerializer,
        responses={201: s.AuditCatalogueSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="Derive a new catalogue version",
        description="A new version of this catalogue: the same name and kind, with the "
        "questions copied, or the questions sent (checked as the import checks them). Audits "
        "planned with this version keep it.",
    )
    @endpoint(
        detail=True,
        methods=["post"],
        url_path="versions",
        filter_backends=[],
        pagination_class=None,
    )
    def versions(self, request, pk=None):
        _require(request.user, PLAN)
        source = self.get_object()
        given = s.CatalogueVersionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        catalogue = catalogues.catalogue_new_version(
            actor=request.user, catalogue=source, **given.validated_data
        )
        return self._created(catalogue)

    @extend_schema(
        request={"multipart/form-data": s.CatalogueImportSerializer},
        responses={201: s.AuditCatalogueSerializer, 400: INVALID, 403: FORBIDDEN},
        summary="Import a catalogue version",
        description="The import of the catalogue page: a JSON file with name, version, kind and "
        "questions, or a CSV file (columns code, element, sub_element, star, text) with name, "
        "version and kind. Every row is checked first: a refused file stores nothing and the "
        "400 names each problem by its row.",
    )
    @endpoint(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser],
        filter_backends=[],
        pagination_class=None,
    )
    def import_file(self, request):
        _require(request.user, PLAN)
        given = s.CatalogueImportSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        content = data["file"].read()
        if data["format"] == "json":
            catalogue = catalogues.import_json(actor=request.user, content=content)
        else:
            catalogue = catalogues.catalogue_import(
                actor=request.user,
                name=data["name"],
                version=data["version"],
                kind=data.get("kind", ""),
                rows=catalogues.parse_csv(content),
            )
        return self._created(catalogue)

    @extend_schema(
        request=None,
        parameters=[_EXPORT_FORMAT],
        responses={
            (200, "application/json"): OpenApiTypes.BINARY,
            (200, CsvDownloadRenderer.media_type): OpenApiTypes.BINARY,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        summary="Export a catalogue version",
        description="The file of the catalogue page's export, byte for byte: it imports again.",
    )
    @endpoint(
        detail=True,
        methods=["get"],
        url_path="export",
        renderer_classes=[JSONRenderer, CsvDownloadRenderer],
        filter_backends=[],
        pagination_class=None,
    )
    def export(self, request, pk=None):
        catalogue = self.get_object()
        name = f"{catalogue.name}-{catalogue.version}".replace(" ", "_").replace('"', "")
        if request.accepted_renderer.format == "csv":
            return file_response(
                catalogues.as_csv(catalogue), f"{name}.csv", "text/csv; charset=utf-8"
            )
        return file_response(catalogues.as_json(catalogue), f"{name}.json", "application/json")
