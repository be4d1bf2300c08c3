"""API building blocks shared by every app: scoping, pagination and error mapping."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import Http404, JsonResponse
from django.views import defaults
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core import data_version
from core.api.filters import BACKENDS
from core.errors import Conflict, DomainError, PermissionDenied


class TenantScopedMixin:
    """Scopes every query to what the requesting user may see (DESIGN §5).

    Subclasses set ``queryset`` and may refine it in ``scope_queryset``; they never replace the
    scoping, so another customer's record is a 404 on every endpoint. Their lists answer a query
    parameter they do not understand with a 400 (``core.api.filters``).
    """

    filter_backends = BACKENDS

    def get_queryset(self):
        queryset = super().get_queryset()
        return self.scope_queryset(queryset.visible_to(self.request.user))

    def scope_queryset(self, queryset):
        return queryset


class CachedListMixin:
    """Serves a list again while the data has not changed (``core.data_version``).

    Serialising a page of 50 records costs more than reading it; the same page asked for again
    by the same user is answered from the cache until any product table is written (and at most
    a minute later, for fields that age with the clock). Errors are never cached.
    """

    def list(self, request, *args, **kwargs):
        def serialised_page():
            return super(CachedListMixin, self).list(request, *args, **kwargs).data

        key = (type(self).__name__, request.get_full_path(), request.user.pk)
        return Response(data_version.cached("api-list", key, serialised_page))


class TenantScopedReadOnlyViewSet(TenantScopedMixin, viewsets.ReadOnlyModelViewSet):
    pass


class TenantScopedViewSet(TenantScopedMixin, viewsets.ModelViewSet):
    pass


class TenantScopedCreateViewSet(
    TenantScopedMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """List, read and create; the records then change through their own endpoints, not by PUT."""


class RecordViewSet(mixins.UpdateModelMixin, TenantScopedCreateViewSet):
    """List, read, create and update; nothing is deleted over the API."""


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related-object field that accepts only records the requesting user may see."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        return queryset.visible_to(request.user if request else None)


def _email_unless_empty(value: str) -> None:
    if value:
        validate_email(value)


@extend_schema_field(
    {
        "type": "string",
        "anyOf": [{"format": "email"}, {"maxLength": 0}],
        "description": "An e-mail address, or empty while not filled in.",
    }
)
class OptionalEmailField(serializers.CharField):
    """An e-mail address that may be left empty: the schema allows "" besides an address.

    Checked by a plain validator rather than DRF's EmailField, whose validator would make the
    schema demand the e-mail format of "" too.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)
        self.validators.append(_email_unless_empty)


def exception_handler(exc, context):
    """Domain errors become 400/403/409 with ``{"detail": …}``; Django's ValidationError 400."""
    _errors_in_json(context.get("request"))
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(exc.message)
    elif isinstance(exc, Conflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, DomainError):
        body = {exc.field: [exc.message]} if exc.field else {"detail": exc.message}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = _list_errors(response.data)
    return response


def _errors_in_json(request) -> None:
    """An error is JSON even where a download was asked for (``?format=csv``, ``Accept: …pdf``).

    The download renderers write an error's data as JSON; the Content-Type must say so too.
    """
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is not None and renderer.format not in ("json", "api"):
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type


def _list_errors(errors: list) -> dict:
    """A bare list of errors in the shapes the schema documents (``core.api.schema``).

    Messages (e.g. a filter refusing a NUL character in ?search=) get the same ``{"detail": …}``
    shape as every other refusal; the errors of a list body, one per item, are messages by
    position like those of any nested input (``{"1": {"kind": ["…"]}}``).
    """
    if all(isinstance(error, str) for error in errors):
        return {"detail": errors}
    return {str(position): error for position, error in enumerate(errors) if error}


API_PATH_PREFIX = "/api/"


def page_not_found(request, exception):
    """``handler404``: a URL under /api/ that matches no route gets the API's JSON 404 too.

    E.g. ``/api/v1/claims/abc/`` (ids are numbers): API clients get ``{"detail": …}``, not the
    site's HTML page.
    """
    if request.path.startswith(API_PATH_PREFIX):
        detail = str(exceptions.NotFound.default_detail)
        return JsonResponse({"detail": detail}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)
