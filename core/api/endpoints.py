"""What every record viewset documents alike, and the endpoints it offers alike.

The refusals of a write (``write_responses``), the If-Match and ETag headers of optimistic
locking, a record's rows and history (``rows_endpoint``, ``events_endpoint``), the list as CSV
(``export_endpoint``), a file made of a record (``download_endpoint``) and a record's PDF
document (``document_endpoint``).
"""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action as endpoint
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.downloads import CsvDownloadRenderer, DocumentKind, PdfDownloadRenderer, pdf_download

NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="Not found or not visible to you.")
FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="You may not do this.")
INVALID = OpenApiResponse(OpenApiTypes.OBJECT, description="Validation errors by field.")


def create_schema(serializer_class: type, **schema):
    """Documents ``POST /<records>/``: the record as created, or why it was refused."""
    return extend_schema(
        request=serializer_class,
        responses={201: serializer_class, 400: INVALID, 403: FORBIDDEN},
        **schema,
    )


def write_responses(conflict: str) -> dict:
    """The refusals of a write: 400, 403, 404 and 409 (``conflict`` says when)."""
    return {
        400: INVALID,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: OpenApiResponse(OpenApiTypes.OBJECT, description=conflict),
    }


def if_match(description: str) -> OpenApiParameter:
    """The If-Match header of a write: the ETag the client read."""
    return OpenApiParameter(
        "If-Match", str, OpenApiParameter.HEADER, required=False, description=description
    )


def etag(description: str) -> OpenApiParameter:
    """The ETag header of an answer with one record: its version."""
    return OpenApiParameter(
        "ETag", str, OpenApiParameter.HEADER, response=[200, 201], description=description
    )


def rows_endpoint(serializer_class: type):
    """Decorates ``GET /<records>/{id}/<rows>/``: rows that belong to the record, all of them."""

    def decorate(method):
        method = endpoint(detail=True, methods=["get"], pagination_class=None, filter_backends=[])(
            method
        )
        return extend_schema(
            request=None, responses={200: serializer_class(many=True), 404: NOT_FOUND}
        )(method)

    return decorate


def rows_and_add_endpoint(serializer_class: type, refusals: dict, **add_schema):
    """Decorates ``GET|POST /<records>/{id}/<rows>/``: the record's rows, all of them, or add one.

    ``refusals`` are the POST's error answers (``write_responses``); ``add_schema`` documents the
    POST further (e.g. ``parameters``, ``summary``).
    """

    def decorate(method):
        method = endpoint(
            detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[]
        )(method)
        method = extend_schema(
            methods=["POST"],
            request=serializer_class,
            responses={201: serializer_class, **refusals},
            **add_schema,
        )(method)
        return extend_schema(
            methods=["GET"], request=None, responses={200: serializer_class(many=True)}
        )(method)

    return decorate


def events_endpoint(serializer_class: type, events_for: Callable):
    """``GET /<records>/{id}/events/``: the record's events, oldest first, all of them."""

    @rows_endpoint(serializer_class)
    def events(self, request, pk=None):
        record = self.get_object()
        return Response(serializer_class(events_for(record), many=True).data)

    return events


def collection_post(url_path: str, permission: type, parser: type):
    """``POST /<records>/<url_path>/``: a command on the whole collection, e.g. an import.

    Only who ``permission`` admits may send it; ``parser`` reads its body.
    """
    return endpoint(
        detail=False,
        methods=["post"],
        url_path=url_path,
        permission_classes=[IsAuthenticated, permission],
        parser_classes=[parser],
        filter_backends=[],
        pagination_class=None,
    )


def export_endpoint(summary: str):
    """Decorates ``GET /<records>/export/``: the list as CSV, filtered like the list.

    The CSV renderer lets a client ask for the file by ``Accept``; errors stay JSON.
    """

    def decorate(method):
        method = endpoint(
            detail=False,
            methods=["get"],
            url_path="export",
            renderer_classes=[JSONRenderer, CsvDownloadRenderer],
            pagination_class=None,
        )(method)
        return extend_schema(
            request=None,
            filters=True,
            responses={(200, CsvDownloadRenderer.media_type): OpenApiTypes.BINARY, 400: INVALID},
            summary=summary,
        )(method)

    return decorate


_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}}
PDF_DOWNLOAD_RESPONSES = {
    (200, PdfDownloadRenderer.media_type): OpenApiTypes.BINARY,
    (202, "application/json"): OpenApiResponse(
        _DETAIL,
        description="The document is being made by the background worker; ask again after the "
        "seconds in the Retry-After header.",
    ),
    404: NOT_FOUND,
    (422, "application/json"): OpenApiResponse(
        _DETAIL, description="The document exceeds the time or memory a PDF may take."
    ),
}


def download_endpoint(name: str, renderer_class: type, responses: dict, summary: str):
    """Decorates ``GET /<records>/{id}/<name>/``: a file made of the record.

    The file's renderer lets a client ask for it by ``Accept``; errors stay JSON.
    """

    def decorate(method):
        method = endpoint(
            detail=True,
            methods=["get"],
            url_path=name,
            renderer_classes=[JSONRenderer, renderer_class],
            filter_backends=[],
            pagination_class=None,
        )(method)
        return extend_schema(request=None, responses=responses, summary=summary)(method)

    return decorate


def document_endpoint(kind: DocumentKind, name: str, summary: str):
    """``GET /<records>/{id}/<name>/``: the record's PDF document (``core.downloads``).

    202 while the worker makes it.
    """

    def download(self, request, pk=None):
        return pdf_download(request, kind, self.get_object(), api=True)

    download.__name__ = name.replace("-", "_")
    return download_endpoint(name, PdfDownloadRenderer, PDF_DOWNLOAD_RESPONSES, summary)(download)
