"""Workflow transitions over the API: one ``POST /<records>/{id}/<name>/`` endpoint each.

Every record kind with a workflow (claims, changes, deviations, PPAP submissions) offers its
transitions the same way: the body holds the transition's inputs and, optionally, the
``version`` the client read (or the If-Match header holds it as the ETag); the service refuses a
write on a record that changed since with 409; the answer is the record as it is now, with its
new version as ETag.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action as endpoint
from rest_framework.response import Response

from core.api.base import RecordViewSet
from core.api.serializers import VersionedWriteSerializer
from core.locking import etag_of, expected_version_of


def expected_version(request, data: dict) -> int | None:
    """The version the client read: ``version`` taken out of the body's ``data``, or If-Match."""
    return expected_version_of(data.pop("version", None), request.headers.get("If-Match"))


class RecordResponseMixin:
    """The answer of a viewset's writes: the record as its reads show it, with its ETag."""

    def record_response(self, pk, status_code=status.HTTP_200_OK) -> Response:
        record = self.get_queryset().get(pk=pk)
        response = Response(self.get_serializer(record).data, status=status_code)
        response["ETag"] = etag_of(record)
        return response


class VersionedUpdateMixin(RecordResponseMixin):
    """PUT answers like PATCH: a record is only ever changed in part, under its version."""

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class VersionedRecordViewSet(VersionedUpdateMixin, RecordViewSet):
    """A record kind with a workflow: list, read, create, and change in part under its version."""


def update_endpoint(
    update_serializer: type, service: Callable, record: str, *, ignored=(), **schema
):
    """``PATCH /<records>/{id}/``: the update serializer checks the body, ``service`` writes it.

    ``service(<record>=…, actor=…, expected_version=…, **fields)`` gets the version from If-Match
    or the body's ``version``; ``ignored`` are fields the body may carry but the update does not
    take (e.g. ones only a create accepts).
    """

    @extend_schema(request=update_serializer, **schema)
    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        given = update_serializer(
            instance, data=request.data, partial=True, context=self.get_serializer_context()
        )
        given.is_valid(raise_exception=True)
        fields = {
            name: value for name, value in given.validated_data.items() if name not in ignored
        }
        version = expected_version(request, fields)
        service(**{record: instance}, actor=request.user, expected_version=version, **fields)
        return self.record_response(instance.pk)

    return partial_update


@dataclass(frozen=True)
class TransitionEndpoints:
    """Makes the transition endpoints of one record kind; call it once per transition.

    An endpoint validates its body with its request serializer, calls
    ``service(<record>=…, actor=…, expected_version=…, **inputs)`` and answers with the viewset's
    ``record_response`` (``RecordResponseMixin``). Its ``partial_update`` makes the record kind's
    PATCH, with the same answers and headers.
    """

    # The service's keyword for the record, e.g. "claim".
    record: str
    # What the answer and the errors look like, for the OpenAPI description.
    responses: dict
    # The body of a transition that takes nothing but the version.
    version_serializer: type = VersionedWriteSerializer
    parameters: tuple = ()
    # The operation's summary; ``{name}`` is the transition's URL name.
    summary: str = "{name}"
    # The record to answer with is the one the service returns (a resubmission is a new record).
    answer_with_result: bool = False
    # More options for DRF's ``@action``, e.g. ``filter_backends=[]``.
    endpoint_options: dict = field(default_factory=dict)

    def __call__(
        self,
        name: str,
        service: Callable,
        request_serializer: type | None = None,
        to_kwargs: Callable[[dict], dict] = dict,
        *,
        summary: str = "",
        attribute: str = "",
    ):
        """The endpoint ``name`` (its URL path and name); ``to_kwargs`` turns the body into inputs.

        ``attribute`` is the viewset attribute it is bound to when that differs from ``name``.
        """
        body_serializer = request_serializer or self.version_serializer
        record_keyword, answer_with_result = self.record, self.answer_with_result

        def transition(viewset, request, pk=None):
            record = viewset.get_object()
            given = body_serializer(data=request.data)
            given.is_valid(raise_exception=True)
            data = dict(given.validated_data)
            version = expected_version(request, data)
            result = service(
                **{record_keyword: record},
                actor=request.user,
                expected_version=version,
                **to_kwargs(data),
            )
            return viewset.record_response(result.pk if answer_with_result else record.pk)

        transition.__name__ = attribute or name.replace("-", "_")
        transition = endpoint(
            detail=True, methods=["post"], url_path=name, url_name=name, **self.endpoint_options
        )(transition)
        return extend_schema(
            request=body_serializer,
            parameters=list(self.parameters),
            responses=self.responses,
            summary=summary or self.summary.format(name=name),
        )(transition)

    def partial_update(self, update_serializer: type, service: Callable, *, ignored=()):
        """``PATCH /<records>/{id}/`` (``update_endpoint``), documented like the transitions."""
        return update_endpoint(
            update_serializer,
            service,
            self.record,
            ignored=ignored,
            parameters=list(self.parameters),
            responses=self.responses,
        )
