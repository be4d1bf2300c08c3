"""Customers, plants and parts over the API. Reads are scoped; writes go through the services."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view

from core.api.base import RecordViewSet
from customers import permissions, services
from customers.filters import PartFilter
from customers.models import Customer, Part, Plant

from .permissions import WriteCapability
from .serializers import CustomerSerializer, PartSerializer, PlantSerializer

_NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="Not found or not visible to you.")
_FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="Missing the capability to write.")
_INVALID = OpenApiResponse(OpenApiTypes.OBJECT, description="Validation errors by field.")


def _documented(name: str, serializer):
    """Every write may be refused (400/403) and every single record may be invisible (404)."""
    change = {200: serializer, 400: _INVALID, 403: _FORBIDDEN, 404: _NOT_FOUND}
    return extend_schema_view(
        list=extend_schema(summary=f"List the {name}s visible to you"),
        retrieve=extend_schema(responses={200: serializer, 404: _NOT_FOUND}),
        create=extend_schema(responses={201: serializer, 400: _INVALID, 403: _FORBIDDEN}),
        update=extend_schema(responses=change),
        partial_update=extend_schema(responses=change),
    )


class _MasterDataViewSet(RecordViewSet):
    """List, read, create and update; master data is never deleted over the API."""

    permission_classes = [WriteCapability]
    write_capability = permissions.MANAGE
    create_service = None
    update_service = None

    def perform_create(self, serializer):
        serializer.instance = self.create_service(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        # The update services name the record by its model: customer_update(customer=…, …).
        instance_argument = serializer.instance._meta.model_name
        serializer.instance = self.update_service(
            **{instance_argument: serializer.instance},
            actor=self.request.user,
            **serializer.validated_data,
        )


@_documented("customer", CustomerSerializer)
class CustomerViewSet(_MasterDataViewSet):
    queryset = Customer.objects.prefetch_related("responsible_engineers")
    serializer_class = CustomerSerializer
    create_service = staticmethod(services.customer_create)
    update_service = staticmethod(services.customer_update)
    filterset_fields = ["is_active", "code"]
    search_fields = ["name", "code", "supplier_number"]
    ordering_fields = ["name", "code", "created_at"]
    ordering = ["name"]


@_documented("plant", PlantSerializer)
class PlantViewSet(_MasterDataViewSet):
    queryset = Plant.objects.all()
    serializer_class = PlantSerializer
    create_service = staticmethod(services.plant_create)
    update_service = staticmethod(services.plant_update)
    filterset_fields = ["is_active", "code"]
    search_fields = ["code", "name", "city"]
    ordering_fields = ["code", "name"]
    ordering = ["code"]


@_documented("part", PartSerializer)
class PartViewSet(_MasterDataViewSet):
    queryset = Part.objects.all()
    serializer_class = PartSerializer
    write_capability = permissions.PARTS_MANAGE
    create_service = staticmethod(services.part_create)
    update_service = staticmethod(services.part_update)
    filterset_class = PartFilter
    ordering_fields = [
        "part_number",
        "customer_part_number",
        "revision",
        "description",
        "customer__code",
        "plant__code",
        "commodity",
        "active_from",
        "active_to",
        "created_at",
    ]
    ordering = ["part_number", "revision"]

    def scope_queryset(self, queryset):
        return queryset.with_related()
