"""Notifications over the API: one's own only (another person's id is a 404), and preferences.

Not cached per data version (``CachedListMixin``): notifications do not move it.
"""

from __future__ import annotations

from django.core.paginator import Paginator as DjangoPaginator
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action as endpoint
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.base import TenantScopedMixin
from core.api.pagination import Pagination
from core.api.parsers import JSONParser

from .. import kinds as kind_registry
from .. import selectors, services
from ..models import Notification
from .serializers import (
    NotificationPreferenceSerializer,
    NotificationSerializer,
    PreferencesUpdateSerializer,
)


class NotificationPagination(Pagination):
    """Django's own paginator, counting on every request: the product's cached count follows the
    data version, which notifications do not move. Pages of at most 100."""

    django_paginator_class = DjangoPaginator
    max_page_size = 100


_NOT_FOUND = OpenApiResponse(description="No such notification, or not yours.")
_MarkedAll = inline_serializer(
    "NotificationsMarkedRead", {"marked": serializers.IntegerField(help_text="How many.")}
)


@extend_schema_view(
    list=extend_schema(
        summary="Your notifications, newest first",
        parameters=[
            OpenApiParameter(
                "unread", bool, description="`true`: only unread ones; `false`: only read ones."
            )
        ],
    ),
    retrieve=extend_schema(
        summary="One of your notifications",
        responses={200: NotificationSerializer, 404: _NOT_FOUND},
    ),
)
class NotificationViewSet(TenantScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):  # fmt: skip
    """Your own notifications: another person's id is a 404, like a missing one."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    pagination_class = NotificationPagination
    lookup_value_regex = r"\d+"
    filter_backends = []

    def scope_queryset(self, queryset):
        queryset = queryset.order_by("-created_at", "-pk")
        if self.action == "list":
            unread = self.request.query_params.get("unread")
            if unread:  # ?unread= sent empty is as if left out
                value = serializers.BooleanField().to_internal_value(unread)
                queryset = queryset.filter(read_at__isnull=value)
        return queryset

    @extend_schema(
        summary="Mark one notification read",
        request=None,
        responses={200: NotificationSerializer, 404: _NOT_FOUND},
    )
    @endpoint(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.notification_mark_read(notification=notification, actor=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(summary="Mark all your notifications read", request=None, responses=_MarkedAll)
    @endpoint(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_mark_all_read(actor=request.user)})


class NotificationPreferencesView(APIView):
    """How you hear of each kind of notification you can receive."""

    parser_classes = [JSONParser]

    def _rows(self, user) -> list[dict]:
        return [
            {
                "kind": row.kind.key,
                "label": str(row.kind.label),
                "delivery": row.delivery,
                "mandatory": row.mandatory,
            }
            for row in selectors.preferences_for(user)
        ]

    @extend_schema(
        summary="Your notification preferences",
        responses=NotificationPreferenceSerializer(many=True),
    )
    def get(self, request):
        return Response(self._rows(request.user))

    @extend_schema(
        summary="Change your notification preferences",
        description=(
            "Send the kinds to change, each once (`label` and `mandatory` are ignored); kinds "
            "left out keep their setting. An unknown kind, or a mandatory kind with anything but "
            "`immediate`, refuses the whole request. Answers all preferences."
        ),
        request=NotificationPreferenceSerializer(many=True),
        responses={
            200: NotificationPreferenceSerializer(many=True),
            400: OpenApiResponse(description="Unknown kind or way, or a mandatory kind."),
        },
    )
    def put(self, request):
        parsed = PreferencesUpdateSerializer(
            data=request.data, max_kinds=max(len(kind_registry.all_kinds()), 1)
        )
        parsed.is_valid(raise_exception=True)
        choices = {entry["kind"]: entry["delivery"] for entry in parsed.validated_data}
        services.preferences_set(actor=request.user, choices=choices)
        return Response(self._rows(request.user))
