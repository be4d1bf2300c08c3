"""Actions over the API: scoped reads and one POST endpoint per transition.

Actions are created by the records they belong to (claims, changes, findings), not here.
"""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action as endpoint
from rest_framework.response import Response

from core import services
from core.api.base import TenantScopedReadOnlyViewSet
from core.errors import PermissionDenied
from core.filters import DateFilter, FilterSet, IdFilter
from core.models import Action

_ERRORS = {
    400: OpenApiResponse(description="Missing or invalid input."),
    403: OpenApiResponse(description="Not the action's owner and no right to manage actions."),
    404: OpenApiResponse(description="No such action, or not visible to you."),
    409: OpenApiResponse(description="The action's status does not allow this transition."),
}


class ActionOwnerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


class ActionSerializer(serializers.ModelSerializer):
    owner = ActionOwnerSerializer(read_only=True)
    record_type = serializers.CharField(read_only=True)
    record_id = serializers.IntegerField(source="object_id", read_only=True)
    record_label = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()
    # Declared: a read-only model field would lose "blank allowed" and the schema its "".
    effectiveness_result = serializers.ChoiceField(
        choices=Action.Effectiveness.choices,
        allow_blank=True,
        read_only=True,
        help_text="Blank until the effectiveness is checked.",
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "status",
            "owner",
            "due_date",
            "completed_at",
            "completion_note",
            "effectiveness_result",
            "effectiveness_evidence",
            "effectiveness_checked_at",
            "cancel_reason",
            "record_type",
            "record_id",
            "record_label",
            "is_overdue",
        ]
        read_only_fields = fields

    def get_record_label(self, action) -> str:
        record = action.record
        return str(record) if record is not None else ""

    def get_is_overdue(self, action) -> bool:
        return action.is_overdue(self.context.get("today"))


class CompleteSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="What was done.")


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CheckEffectivenessSerializer(serializers.Serializer):
    effective = serializers.BooleanField()
    evidence = serializers.CharField(help_text="What the check is based on.")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ActionFilter(FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Action.Status.choices)
    kind = django_filters.MultipleChoiceFilter(choices=Action.Kind.choices)
    owner = IdFilter(field_name="owner_id")
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    due_before = DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = DateFilter(field_name="due_date", lookup_expr="gte")

    class Meta:
        model = Action
        fields = ["status", "kind", "owner", "overdue", "due_before", "due_after"]

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue(timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


def _action_transition(name: str, service, input_serializer=None):
    """``POST /actions/{id}/<name>/``: ``service`` on the action, with the body's inputs."""

    def transition(self, request, pk=None):
        return self._apply(service, input_serializer)

    transition.__name__ = name.replace("-", "_")
    transition = endpoint(detail=True, methods=["post"], url_path=name)(transition)
    return extend_schema(request=input_serializer, responses={200: ActionSerializer, **_ERRORS})(
        transition
    )


@extend_schema_view(
    list=extend_schema(summary="Actions you may see"),
    retrieve=extend_schema(
        summary="One action", responses={200: ActionSerializer, 404: _ERRORS[404]}
    ),
)
class ActionViewSet(TenantScopedReadOnlyViewSet):
    queryset = Action.objects.all()
    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    search_fields = ["title", "description"]
    ordering_fields = ["due_date", "status", "title", "id"]
    ordering = ["due_date", "id"]

    def scope_queryset(self, queryset):
        return queryset.select_related("owner", "content_type").prefetch_related("record")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    start = _action_transition("start", services.action_start)
    complete = _action_transition("complete", services.action_complete, CompleteSerializer)
    reopen = _action_transition("reopen", services.action_reopen, ReopenSerializer)
    check_effectiveness = _action_transition(
        "check-effectiveness", services.action_check_effectiveness, CheckEffectivenessSerializer
    )
    cancel = _action_transition("cancel", services.action_cancel, CancelSerializer)

    def _apply(self, service, input_serializer=None):
        action = self.get_object()
        # Refuse before reading the body: a customer gets 403, not a list of missing fields.
        if not services.action_may_act(action, self.request.user):
            raise PermissionDenied(_("Only the action's owner or a quality manager may change it."))
        inputs = {}
        if input_serializer is not None:
            parsed = input_serializer(data=self.request.data)
            parsed.is_valid(raise_exception=True)
            inputs = parsed.validated_data
        updated = service(action=action, actor=self.request.user, **inputs)
        updated = self.get_queryset().get(pk=updated.pk)
        return Response(self.get_serializer(updated).data)
