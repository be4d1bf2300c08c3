"""Costs / chargeback over the API: ``/api/v1/claims/{id}/costs/…``.

A customer user gets 404 for the costs until they are released (exactly as for a claim they
cannot see); our staff always get the sheet, an empty draft before the first line.
Amounts are strings: ``amount`` and ``total`` rounded to 2 places (half up) from the unrounded
sum, ``currency`` beside them.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action as endpoint
from rest_framework.response import Response

from core import limits
from core.models import Attachment

from .. import costs
from ..models import ClaimCost, ClaimCostSheet

_NOT_FOUND = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Not found, not visible to you, or not released yet."
)
_FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="You may not do this.")
_INVALID = OpenApiResponse(OpenApiTypes.OBJECT, description="Validation errors by field.")
_CONFLICT = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Not possible in the current status of the costs."
)
_WRITE_RESPONSES = {400: _INVALID, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT}


class CostLineSerializer(serializers.ModelSerializer):
    amount = serializers.SerializerMethodField(help_text="quantity × rate (× factor), 2 places.")
    created_by = serializers.StringRelatedField()

    class Meta:
        model = ClaimCost
        fields = ["id", *costs.LINE_FIELDS, "amount", "created_by", "created_at"]
        read_only_fields = fields

    def get_amount(self, line) -> str:
        return str(costs.shown(line.amount))


class CostLineInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ClaimCost.Category.choices)
    description = serializers.CharField(max_length=255, required=False, allow_blank=True)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=4)
    unit = serializers.ChoiceField(choices=ClaimCost.Unit.choices)
    rate = serializers.DecimalField(max_digits=14, decimal_places=4)
    currency = serializers.CharField(
        max_length=3, required=False, help_text="ISO 4217 code; one currency per claim."
    )
    technical_factor_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, help_text="Warranty lines only."
    )
    evidence = serializers.CharField(max_length=255, required=False, allow_blank=True)
    evidence_attachment = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of a file attached to this claim."
    )

    def to_service_fields(self, claim) -> dict:
        fields = dict(self.validated_data)
        if "evidence_attachment" in fields:
            fields["evidence_attachment"] = _attachment_of(claim, fields["evidence_attachment"])
        return fields


def _attachment_of(claim, attachment_id):
    if attachment_id is None:
        return None
    attachment = Attachment.objects.for_owner(claim).filter(pk=attachment_id).first()
    if attachment is None:
        raise serializers.ValidationError(
            {"evidence_attachment": ["Choose a file attached to this claim."]}
        )
    return attachment


class CostSheetSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ClaimCostSheet.Status.choices)
    currency = serializers.CharField(allow_null=True)
    total = serializers.CharField(help_text="Sum of the unrounded lines, rounded to 2 places.")
    lines = CostLineSerializer(many=True)
    released_at = serializers.DateTimeField(allow_null=True)
    released_by = serializers.CharField(allow_null=True)
    customer_decided_at = serializers.DateTimeField(allow_null=True)
    customer_decided_by = serializers.CharField(allow_null=True)
    dispute_reason = serializers.CharField()

    @staticmethod
    def data_of(summary: costs.CostSummary) -> dict:
        sheet = summary.sheet
        return {
            "status": summary.status,
            "currency": summary.currency,
            "total": str(summary.total_shown),
            "lines": CostLineSerializer(summary.lines, many=True).data,
            "released_at": sheet.released_at if sheet else None,
            "released_by": str(sheet.released_by) if sheet and sheet.released_by else None,
            "customer_decided_at": sheet.customer_decided_at if sheet else None,
            "customer_decided_by": (
                str(sheet.customer_decided_by) if sheet and sheet.customer_decided_by else None
            ),
            "dispute_reason": sheet.dispute_reason if sheet else "",
        }


class CostCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(
        max_length=limits.COMMENT, required=False, allow_blank=True, default=""
    )


class CostDisputeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=limits.LONG_TEXT)


_SHEET_EXAMPLE = OpenApiExample(
    "Released costs",
    response_only=True,
    value={
        "status": "released",
        "currency": "EUR",
        "total": "136.83",
        "lines": [
            {
                "id": 1,
                "category": "sorting",
                "description": "100 % sorting at the customer's plant",
                "quantity": "3.0000",
                "unit": "h",
                "rate": "45.5000",
                "currency": "EUR",
                "technical_factor_percent": "100.00",
                "amount": "136.50",
                "evidence": "Sorting report SR-17",
                "evidence_attachment": None,
                "created_by": "Erika Engineer",
                "created_at": "2026-03-04T09:00:00Z",
            }
        ],
        "released_at": "2026-03-05T10:00:00Z",
        "released_by": "Erika Engineer",
        "customer_decided_at": None,
        "customer_decided_by": None,
        "dispute_reason": "",
    },
)


def _sheet_response(summary, status_code=status.HTTP_200_OK) -> Response:
    return Response(CostSheetSerializer.data_of(summary), status=status_code)


def _cost_line_endpoint(method: str, url_suffix: str = ""):
    """An endpoint on one cost line of the claim: ``costs/lines/{line_id}<url_suffix>``."""
    return endpoint(
        detail=True,
        methods=[method],
        url_path=r"costs/lines/(?P<line_id>[0-9]+)" + url_suffix,
        filter_backends=[],
    )


def _costs_step(name: str, summary: str, request_serializer: type | None = None):
    """``POST /claims/{id}/costs/<name>/``: one step of the costs' workflow (``COST_SERVICES``)."""

    def transition(self, request, pk=None):
        inputs = {}
        if request_serializer is not None:
            given = request_serializer(data=request.data)
            given.is_valid(raise_exception=True)
            inputs = dict(given.validated_data)
        return self._cost_transition(request, name, inputs)

    transition.__name__ = f"costs_{name}"
    transition = endpoint(
        detail=True, methods=["post"], url_path=f"costs/{name}", filter_backends=[]
    )(transition)
    return extend_schema(
        request=request_serializer,
        responses={200: CostSheetSerializer, **_WRITE_RESPONSES},
        summary=summary,
    )(transition)


class ClaimCostsMixin:
    """Cost endpoints for ``ClaimViewSet``: every one starts from its scoped ``get_object``."""

    def _cost_summary(self, claim):
        summary = costs.cost_summary(claim, self.request.user)
        if summary is None:
            raise Http404
        return summary

    def _cost_transition(self, request, name: str, inputs: dict):
        claim = self.get_object()
        self._cost_summary(claim)
        costs.COST_SERVICES[name](claim=claim, actor=request.user, **inputs)
        return _sheet_response(self._cost_summary(claim))

    @extend_schema(
        request=None,
        responses={200: CostSheetSerializer, 404: _NOT_FOUND},
        examples=[_SHEET_EXAMPLE],
        summary="The claim's costs: status, lines and total",
    )
    @endpoint(
        detail=True, methods=["get"], url_path="costs", pagination_class=None, filter_backends=[]
    )
    def costs(self, request, pk=None):
        return _sheet_response(self._cost_summary(self.get_object()))

    @extend_schema(
        request=CostLineInputSerializer,
        responses={201: CostLineSerializer, **_WRITE_RESPONSES},
        summary="Add a cost line (staff; while the costs are a draft or disputed)",
    )
    @endpoint(detail=True, methods=["post"], url_path="costs/lines", filter_backends=[])
    def cost_lines(self, request, pk=None):
        claim = self.get_object()
        given = CostLineInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        line = costs.cost_line_add(
            claim=claim, actor=request.user, **given.to_service_fields(claim)
        )
        return Response(CostLineSerializer(line).data, status=status.HTTP_201_CREATED)

    def _cost_line_of(self, request, line_id):
        claim = self.get_object()
        line = get_object_or_404(
            ClaimCost.objects.visible_to(request.user), claim=claim, pk=line_id
        )
        return claim, line

    @extend_schema(
        request=CostLineInputSerializer,
        responses={200: CostLineSerializer, **_WRITE_RESPONSES},
        summary="Change a cost line (staff; while the costs are a draft or disputed)",
    )
    @_cost_line_endpoint("patch")
    def cost_line(self, request, pk=None, line_id=None):
        claim, line = self._cost_line_of(request, line_id)
        given = CostLineInputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        line = costs.cost_line_update(
            line=line, actor=request.user, **given.to_service_fields(claim)
        )
        return Response(CostLineSerializer(line).data)

    @extend_schema(
        request=None,
        responses={204: None, **_WRITE_RESPONSES},
        summary="Remove a cost line (staff; while the costs are a draft or disputed)",
        description="A POST like every other write on claims: claims have no DELETE.",
    )
    @_cost_line_endpoint("post", "/remove")
    def cost_line_remove(self, request, pk=None, line_id=None):
        _claim, line = self._cost_line_of(request, line_id)
        costs.cost_line_remove(line=line, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    costs_release = _costs_step(
        "release", "Release the costs to the customer (staff; needs at least one line)"
    )
    costs_accept = _costs_step(
        "accept", "Accept the released costs (the claim's customer)", CostCommentSerializer
    )
    costs_dispute = _costs_step(
        "dispute",
        "Dispute the released costs with a reason (the claim's customer)",
        CostDisputeSerializer,
    )
    costs_reopen = _costs_step(
        "reopen", "Reopen disputed costs as a draft for revision (staff)", CostCommentSerializer
    )
