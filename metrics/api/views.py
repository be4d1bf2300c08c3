"""Deliveries over the API: scoped reads and the bulk import."""

from __future__ import annotations

from collections.abc import Mapping

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from core.api.base import TenantScopedReadOnlyViewSet
from core.api.endpoints import NOT_FOUND, collection_post
from core.api.parsers import BulkJSONParser
from customers.permissions import has
from metrics import services
from metrics.filters import DeliveryFilter
from metrics.models import Delivery

from .serializers import (
    DeliveryBulkSerializer,
    DeliveryImportCountsSerializer,
    DeliveryImportErrorsSerializer,
    DeliverySerializer,
)

_FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="You may not import deliveries.")
_ROWS_EXAMPLE = [
    {
        "delivery_note": "LS-2026-004711",
        "customer_code": "AUTOWERK",
        "part_number": "HN-21-1001",
        "ship_date": "2026-01-15",
        "quantity": 2400,
    },
    {
        "delivery_note": "LS-2026-004712",
        "customer_code": "AUTOWERK",
        "part_number": "HN-21-1030",
        "revision": "D",
        "plant_code": "HEILBRONN",
        "ship_date": "16.01.2026",
        "quantity": 800,
    },
]
_BULK_EXAMPLES = [
    OpenApiExample("Two deliveries", value={"rows": _ROWS_EXAMPLE}, request_only=True),
    OpenApiExample(
        "Imported",
        value={"rows": 2, "created": 1, "updated": 0, "unchanged": 1},
        response_only=True,
        status_codes=["200"],
    ),
    OpenApiExample(
        "Refused: nothing stored",
        value={
            "errors": [
                {"row": 2, "column": "quantity", "message": "Enter a whole number of parts."}
            ]
        },
        response_only=True,
        status_codes=["400"],
    ),
]


class MayImportDeliveries(BasePermission):
    message = "You are not allowed to import deliveries."

    def has_permission(self, request, view):
        return has(request.user, services.DELIVERIES_IMPORT)


@extend_schema_view(
    list=extend_schema(
        summary="List the deliveries visible to you",
        description="Staff see every delivery, customer users their own.",
    ),
    retrieve=extend_schema(responses={200: DeliverySerializer, 404: NOT_FOUND}),
)
class DeliveryViewSet(TenantScopedReadOnlyViewSet):
    """Deliveries, the denominator of every ppm figure: read here, written by the bulk import."""

    queryset = Delivery.objects.all()
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter
    search_fields = ["delivery_note"]
    ordering_fields = ["ship_date", "quantity", "delivery_note", "created_at", "updated_at"]
    ordering = ["-ship_date", "-pk"]

    def scope_queryset(self, queryset):
        return queryset.select_related("customer", "part", "plant")

    @extend_schema(
        summary="Import deliveries: all rows or none",
        description=(
            "The delivery note identifies a delivery: a new note is created, a stored one with "
            "the same data stays unchanged, a stored one with other data is corrected. Sending "
            "the same rows again changes nothing. When any row is bad, nothing is stored and "
            "every problem is listed with its row (from 1) and column."
        ),
        request=DeliveryBulkSerializer,
        responses={
            200: DeliveryImportCountsSerializer,
            400: DeliveryImportErrorsSerializer,
            403: _FORBIDDEN,
        },
        examples=_BULK_EXAMPLES,
    )
    @collection_post("bulk", MayImportDeliveries, BulkJSONParser)
    def bulk(self, request):
        try:
            data = request.data
        except ParseError as error:
            # Not JSON at all: a problem of the request as a whole, listed like the others.
            return _refused([{"row": None, "column": "", "message": str(error.detail)}])
        rows = data.get("rows") if isinstance(data, Mapping) else None
        result = services.deliveries_import(rows=rows, actor=request.user)
        if not result.ok:
            errors = [{"row": None, "column": "", "message": m} for m in result.file_errors]
            errors += [vars(error) for error in result.row_errors]
            return _refused(errors)
        counts = ("rows", "created", "updated", "unchanged")
        return Response({name: getattr(result, name) for name in counts})


def _refused(errors: list[dict]) -> Response:
    return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
