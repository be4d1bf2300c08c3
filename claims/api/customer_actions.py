"""The customer's side of the 8D actions over the API (``claims.customer_actions``).

``GET|POST /api/v1/claims/{id}/customer-actions/``: the actions the customer added to D3, D5 or D6
(their users see them at once), and adding one (the customer's own users). ``POST
/api/v1/claims/{id}/actions/{row_id}/decide/``: the customer accepts or declines one of our
corrective actions. ``POST /api/v1/claims/{id}/actions/{row_id}/revise/``: our staff revise an
action the customer declined. Another customer's claim or action is a 404, an internal-only
action is a 404 for a customer user too.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.decorators import action as endpoint
from rest_framework.response import Response

from core import limits
from core.api import serializers as core_serializers
from core.errors import PermissionDenied
from core.models import Action
from core.tenancy import is_internal

from .. import customer_actions as services
from ..eightd.selectors import eight_d_for
from ..models import CorrectiveAction, CustomerVerdict
from ..workflow import REVIEW, WORK
from .eightd import ClaimActionSerializer

_NOT_FOUND = OpenApiResponse(
    OpenApiTypes.OBJECT, description="No such claim or action, or not visible to you."
)
_INVALID = OpenApiResponse(
    OpenApiTypes.OBJECT, description='Validation errors by field, e.g. {"comment": ["…"]}.'
)
_CONFLICT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "The claim's status does not allow it (not in its 8D, or following another claim's "
        "8D), or the action takes no verdict (the customer's own, preventive, cancelled, or D5 "
        "not yet submitted to the customer)."
    ),
)


def _responses(forbidden: str) -> dict:
    return {
        400: _INVALID,
        403: OpenApiResponse(OpenApiTypes.OBJECT, description=forbidden),
        404: _NOT_FOUND,
        409: _CONFLICT,
    }


_ROW_ID = OpenApiParameter(
    "row_id", int, OpenApiParameter.PATH, description="The action's row id (its `id`)."
)


# --- representations and inputs -----------------------------------------------------------------

CUSTOMER_KINDS = list(dict.fromkeys(services.CUSTOMER_STEPS.values()))


class CustomerActionSerializer(ClaimActionSerializer):
    """An action the customer added: D3 containment, D5/D6 corrective."""

    kind = serializers.ChoiceField(
        source="action.kind",
        choices=[(kind, Action.Kind(kind).label) for kind in CUSTOMER_KINDS],
        read_only=True,
        help_text="containment (added to D3) or corrective (added to D5 or D6).",
    )


class CustomerActionInputSerializer(serializers.Serializer):
    step = serializers.ChoiceField(
        choices=list(services.CUSTOMER_STEPS),
        help_text="D3 adds a containment action, D5 or D6 a corrective action.",
    )
    title = serializers.CharField(max_length=services.TITLE_MAX_LENGTH)
    description = core_serializers.optional_text(limits.LONG_TEXT)
    due_date = serializers.DateField(help_text="Not in the past (the customer's time zone).")


# The verdict's own enum (CustomerVerdictEnum, blank aside) rather than a second name for it.
@extend_schema_field({"$ref": "#/components/schemas/CustomerVerdictEnum"})
class VerdictField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        choices = [(value, CustomerVerdict(value).label) for value in services.VERDICTS]
        super().__init__(choices=choices, **kwargs)


class VerdictInputSerializer(serializers.Serializer):
    verdict = VerdictField(help_text="accepted or declined.")
    comment = core_serializers.optional_text(
        limits.COMMENT, help_text="Required when declining: what would you accept instead?"
    )


class ReviseInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=services.TITLE_MAX_LENGTH)
    description = core_serializers.optional_text(limits.LONG_TEXT)
    due_date = serializers.DateField()
    note = serializers.CharField(
        max_length=limits.NOTE, help_text="What changed, in answer to the customer's comment."
    )


CUSTOMER_ACTION_EXAMPLE = OpenApiExample(
    "An action the customer asks for in D5",
    request_only=True,
    value={
        "step": "D5",
        "title": "Add a burr check with a go/no-go gauge at end of line",
        "description": "Every part, until the new punch has run 10,000 strokes",
        "due_date": "2026-04-30",
    },
)
DECLINE_EXAMPLE = OpenApiExample(
    "Decline with a comment",
    request_only=True,
    value={"verdict": "declined", "comment": "A visual check is not enough: use a gauge."},
)


# --- endpoints ----------------------------------------------------------------------------------


class ClaimCustomerActionsMixin:
    """The customer's side of the 8D actions for ``ClaimViewSet``; every one starts from its
    scoped ``get_object``."""

    def visible_action(self, claim, row_id) -> CorrectiveAction:
        links = CorrectiveAction.objects.visible_to(self.request.user).filter(claim=claim)
        if not is_internal(self.request.user):
            links = links.filter(action__internal_only=False)
        return get_object_or_404(links, pk=row_id)

    def action_response(self, link, serializer_class, status_code=status.HTTP_200_OK):
        row = CorrectiveAction.objects.select_related(
            "action__owner", "action__created_by", "customer_decided_by"
        ).get(pk=link.pk)
        data = serializer_class(row, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: CustomerActionSerializer(many=True), 404: _NOT_FOUND},
        summary="D3/D5/D6: the actions the customer added",
        description="The customer's users see them at once, whatever the disciplines' status.",
    )
    @extend_schema(
        methods=["POST"],
        request=CustomerActionInputSerializer,
        responses={
            201: CustomerActionSerializer,
            **_responses("Only the customer's own users add actions here."),
        },
        examples=[CUSTOMER_ACTION_EXAMPLE],
        summary="D3/D5/D6: the customer asks for an action (customer users)",
        description=(
            "While the claim's 8D is worked on. Our staff own and work the action; D6 cannot be "
            "submitted until it is done or cancelled."
        ),
    )
    @endpoint(
        detail=True,
        methods=["get", "post"],
        url_path="customer-actions",
        pagination_class=None,
        filter_backends=[],
    )
    def customer_actions(self, request, pk=None):
        claim = self.get_object()
        if request.method == "POST":
            if is_internal(request.user) or not request.user.has_capability(REVIEW):
                raise PermissionDenied(_("Only the customer's own users add actions here."))
            given = CustomerActionInputSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            fields = dict(given.validated_data)
            link = services.customer_action_add(
                claim=claim, actor=request.user, step_code=fields.pop("step"), **fields
            )
            return self.action_response(link, CustomerActionSerializer, status.HTTP_201_CREATED)
        links = eight_d_for(claim, request.user).customer_actions
        context = self.get_serializer_context()
        return Response(CustomerActionSerializer(links, many=True, context=context).data)

    @extend_schema(
        parameters=[_ROW_ID],
        request=VerdictInputSerializer,
        responses={
            200: ClaimActionSerializer,
            **_responses("Only the customer (or a quality manager on their behalf) decides."),
        },
        examples=[DECLINE_EXAMPLE],
        summary="D5/D6: the customer accepts or declines one of our corrective actions",
        description=(
            "Once D5 or D6 has been submitted to the customer; the verdict may change later. A "
            "declined action holds D6 up until we revise or cancel it."
        ),
    )
    @endpoint(
        detail=True,
        methods=["post"],
        url_path=r"actions/(?P<row_id>[0-9]+)/decide",
        filter_backends=[],
    )
    def customer_action_decide(self, request, pk=None, row_id=None):
        claim = self.get_object()
        if not request.user.has_capability(REVIEW):
            raise PermissionDenied(_("Only the customer decides on our actions."))
        link = self.visible_action(claim, row_id)
        given = VerdictInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.customer_action_decide(link=link, actor=request.user, **given.validated_data)
        return self.action_response(link, ClaimActionSerializer)

    @extend_schema(
        parameters=[_ROW_ID],
        request=ReviseInputSerializer,
        responses={200: ClaimActionSerializer, **_responses("Only our quality staff revise.")},
        summary="D6: revise an action the customer declined (staff)",
        description=(
            "While D6 is open, a draft or sent back, and the action is open; the customer's "
            "verdict goes back to not decided."
        ),
    )
    @endpoint(
        detail=True,
        methods=["post"],
        url_path=r"actions/(?P<row_id>[0-9]+)/revise",
        filter_backends=[],
    )
    def customer_action_revise(self, request, pk=None, row_id=None):
        claim = self.get_object()
        if not request.user.has_capability(WORK):
            raise PermissionDenied(_("Only our quality staff revise an action."))
        link = self.visible_action(claim, row_id)
        given = ReviseInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.customer_action_revise(link=link, actor=request.user, **given.validated_data)
        return self.action_response(link, ClaimActionSerializer)
