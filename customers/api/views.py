"""Customers, plants and parts over the API. Reads are scoped; writes go through the services."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.base import RecordViewSet
from customers import permissions, services
from customers.filters import PartFilter
from customers.models import Customer, Holiday, Part, Plant

from .permissions import WriteCapability
from .serializers import (
    CustomerRequirementsSerializer,
    CustomerSerializer,
    HolidaySerializer,
    PartSerializer,
    PlantSerializer,
)

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

    # A customer user reads their own company's requirements and holidays (another customer's are
    # a 404); writing them needs the capability of the pages (``WriteCapability``), checked first.

    @extend_schema(
        methods=["GET"],
        summary="Read a customer's requirements",
        responses={200: CustomerRequirementsSerializer, 404: _NOT_FOUND},
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Change a customer's requirements",
        request=CustomerRequirementsSerializer,
        responses={
            200: CustomerRequirementsSerializer,
            400: _INVALID,
            403: _FORBIDDEN,
            404: _NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get", "patch"], filter_backends=[])
    def requirements(self, request, pk=None):
        requirements = self.get_object().requirements
        if request.method == "PATCH":
            given = CustomerRequirementsSerializer(
                requirements, data=request.data, partial=True, context={"request": request}
            )
            given.is_valid(raise_exception=True)
            requirements = services.requirements_update(
                requirements=requirements, actor=request.user, **given.validated_data
            )
        return Response(CustomerRequirementsSerializer(requirements).data)

    @extend_schema(
        methods=["GET"],
        summary="List a customer's holidays",
        responses={200: HolidaySerializer(many=True), 404: _NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a holiday to a customer's calendar",
        request=HolidaySerializer,
        responses={201: HolidaySerializer, 400: _INVALID, 403: _FORBIDDEN, 404: _NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def holidays(self, request, pk=None):
        customer = self.get_object()
        if request.method == "GET":
            holidays = Holiday.objects.visible_to(request.user).filter(customer=customer)
            return Response(HolidaySerializer(holidays, many=True).data)
        given = HolidaySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        holiday = services.holiday_add(
            customer=customer, actor=request.user, **given.validated_data
        )
        return Response(HolidaySerializer(holiday).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a holiday from a customer's calendar",
        parameters=[OpenApiParameter("holiday_id", int, OpenApiParameter.PATH)],
        request=None,
        responses={204: None, 403: _FORBIDDEN, 404: _NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"holidays/(?P<holiday_id>[0-9]+)",
        url_name="holiday",
        filter_backends=[],
    )
    def holiday(self, request, pk=None, holiday_id=None):
        customer = self.get_object()
        holiday = get_object_or_404(
            Holiday.objects.visible_to(request.user), pk=holiday_id, customer=customer
        )
        services.holiday_remove(holiday=holiday, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


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
