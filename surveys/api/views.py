"""Surveys over the API: campaigns and their results (staff), answering (customers), 8D ratings.

Every read is scoped by ``visible_to``: another customer's campaign, invitation, response or
rating is a 404. Customers answer through the API as on the page: by their personal link's token
(``/surveys/invitations/{token}/answer/``) or by the campaign (``/surveys/campaigns/{id}/answer/``).
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action as endpoint
from rest_framework.exceptions import PermissionDenied as ApiForbidden
from rest_framework.response import Response

from core.api.base import TenantScopedCreateViewSet, TenantScopedReadOnlyViewSet
from core.api.endpoints import FORBIDDEN, INVALID, NOT_FOUND, create_schema, write_responses
from core.api.schema import IF_MATCH
from core.api.transitions import RecordResponseMixin, expected_version
from core.locking import etag_of
from core.tenancy import is_internal

from .. import selectors, services
from ..filters import CampaignFilter
from ..models import Campaign, EightDRating, Invitation
from ..models import Response as SurveyResponse
from ..workflow import ANSWER, MANAGE, VIEW
from . import serializers as s

_TRANSITION_REFUSALS = write_responses(
    "Not possible in the campaign's status, or the campaign changed since your version."
)
_ANSWER_REFUSALS = {
    400: INVALID,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: OpenApiResponse(OpenApiTypes.OBJECT, description="The campaign is not open (any more)."),
}


def _require(user, capability: str) -> None:
    if not user.has_capability(capability):
        raise ApiForbidden(_("You are not allowed to do this."))


def _answer_response(response, status_code=status.HTTP_200_OK) -> Response:
    response = SurveyResponse.objects.prefetch_related("answers").get(pk=response.pk)
    return Response(s.ResponseSerializer(response).data, status=status_code)


def _submit(request, campaign) -> Response:
    given = s.AnswersSerializer(data=request.data)
    given.is_valid(raise_exception=True)
    existed = SurveyResponse.objects.filter(campaign=campaign, user=request.user).exists()
    response = services.response_submit(
        campaign=campaign, actor=request.user, answers=given.as_mapping()
    )
    return _answer_response(response, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


def _campaign_transition(name: str, service):
    def transition(self, request, pk=None):
        campaign = self.get_object()
        _require(request.user, MANAGE)
        given = s.CampaignTransitionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        service(
            campaign=campaign, actor=request.user, expected_version=expected_version(request, data)
        )
        return self.record_response(campaign.pk)

    transition.__name__ = name
    transition = endpoint(detail=True, methods=["post"], url_path=name, filter_backends=[])(
        transition
    )
    return extend_schema(
        request=s.CampaignTransitionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.CampaignSerializer, **_TRANSITION_REFUSALS},
        summary=f"Survey campaign: {name}",
    )(transition)


class SurveyCampaignViewSet(RecordResponseMixin, TenantScopedCreateViewSet):
    """Survey campaigns: staff see every campaign, a customer user their own company's."""

    queryset = Campaign.objects.all()
    serializer_class = s.CampaignSerializer
    filterset_class = CampaignFilter
    search_fields = ["number", "title", "customer__name"]
    ordering_fields = ["opens_on", "closes_on", "number", "status", "created_at"]
    ordering = ["-opens_on", "-pk"]

    def scope_queryset(self, queryset):
        return selectors.with_counts(queryset.with_related())

    @extend_schema(responses={200: s.CampaignSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        campaign = self.get_object()
        response = Response(self.get_serializer(campaign).data)
        response["ETag"] = etag_of(campaign)
        return response

    @create_schema(s.CampaignSerializer, summary="Plan a survey campaign")
    def create(self, request, *args, **kwargs):
        _require(request.user, MANAGE)
        given = s.CampaignSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        campaign = services.campaign_create(actor=request.user, **given.validated_data)
        return self.record_response(campaign.pk, status.HTTP_201_CREATED)

    open = _campaign_transition("open", services.campaign_open)
    close = _campaign_transition("close", services.campaign_close)
    invite = _campaign_transition("invite", services.campaign_invite)

    @extend_schema(
        request=None,
        responses={200: s.CampaignResultsSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
        summary="A campaign's results: CSAT, NPS, distribution per question, comments",
    )
    @endpoint(detail=True, methods=["get"], url_path="results", filter_backends=[])
    def results(self, request, pk=None):
        _require(request.user, VIEW)
        campaign = self.get_object()
        return Response(s.CampaignResultsSerializer(selectors.campaign_results(campaign)).data)

    @extend_schema(
        request=s.AnswersSerializer,
        responses={200: s.ResponseSerializer, 201: s.ResponseSerializer, **_ANSWER_REFUSALS},
        summary="Answer the campaign's survey (the invited customer user)",
        description="201 for the first answers, 200 when they replace earlier ones.",
    )
    @endpoint(detail=True, methods=["post"], url_path="answer", filter_backends=[])
    def answer(self, request, pk=None):
        _require(request.user, ANSWER)
        campaign = self.get_object()
        if not campaign.invitations.filter(user=request.user).exists():
            raise Http404
        return _submit(request, campaign)


class SurveyInvitationViewSet(TenantScopedReadOnlyViewSet):
    """Your own invitations to surveys: the open ones in the list, any of them by its token."""

    queryset = Invitation.objects.all()
    serializer_class = s.InvitationSerializer
    lookup_field = "token"
    ordering_fields = ["sent_at"]
    ordering = ["pk"]

    def scope_queryset(self, queryset):
        mine = queryset.filter(user=self.request.user).select_related(
            "campaign", "campaign__template"
        )
        return mine.prefetch_related("campaign__template__questions")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list":
            queryset = queryset.filter(
                campaign__status=Campaign.Status.OPEN,
                campaign__closes_on__gte=timezone.localdate(),
            )
        return queryset

    @extend_schema(summary="Your invitations to open surveys")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: s.InvitationSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=s.AnswersSerializer,
        responses={200: s.ResponseSerializer, 201: s.ResponseSerializer, **_ANSWER_REFUSALS},
        summary="Answer a survey by your personal link's token",
        description="201 for the first answers, 200 when they replace earlier ones.",
    )
    @endpoint(detail=True, methods=["post"], url_path="answer", filter_backends=[])
    def answer(self, request, token=None):
        _require(request.user, ANSWER)
        invitation = self.get_object()
        return _submit(request, invitation.campaign)


class SurveyResponseViewSet(TenantScopedReadOnlyViewSet):
    """Survey responses with their answers: staff read every one, a customer user their own."""

    queryset = SurveyResponse.objects.all()
    serializer_class = s.ResponseSerializer
    filterset_fields = ["campaign"]
    ordering_fields = ["submitted_at", "updated_at"]
    ordering = ["-submitted_at", "-pk"]

    def scope_queryset(self, queryset):
        if not is_internal(self.request.user):
            queryset = queryset.filter(user=self.request.user)
        return queryset.select_related("user").prefetch_related("answers")

    @extend_schema(responses={200: s.ResponseSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class EightDRatingViewSet(TenantScopedCreateViewSet):
    """The customers' ratings of our 8Ds; a customer user rates an 8D they accepted or rejected."""

    queryset = EightDRating.objects.all()
    serializer_class = s.EightDRatingSerializer
    filterset_fields = ["claim", "decision"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]

    def scope_queryset(self, queryset):
        return queryset.with_related()

    @extend_schema(responses={200: s.EightDRatingSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=s.EightDRatingSerializer,
        responses={201: s.EightDRatingSerializer, **_ANSWER_REFUSALS},
        summary="Rate an 8D (1–5 for speed, analysis and communication)",
        description="Once per decision of yours on the 8D: after you accepted or rejected it. "
        "409 when it cannot be rated now or was rated already.",
    )
    def create(self, request, *args, **kwargs):
        _require(request.user, ANSWER)
        given = s.EightDRatingSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        rating = services.eight_d_rate(actor=request.user, **given.validated_data)
        answer = s.EightDRatingSerializer(self.get_queryset().get(pk=rating.pk))
        return Response(answer.data, status=status.HTTP_201_CREATED)
