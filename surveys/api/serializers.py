"""Survey campaigns, invitations, responses, results and 8D ratings for the REST API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.selectors import linkable_claims
from core.api import serializers as core_serializers
from core.api.base import ScopedPrimaryKeyRelatedField
from customers.models import Customer

from ..models import (
    NPS_MAX,
    SCALE_MAX,
    SCALE_MIN,
    TEXT_ANSWER_MAX,
    Answer,
    Campaign,
    EightDRating,
    Invitation,
    Question,
    Response,
    SurveyTemplate,
)

# How many answers one submission may carry (a questionnaire has a handful of questions).
MAX_ANSWERS = 100


class QuestionSerializer(serializers.ModelSerializer):
    text = serializers.CharField(
        read_only=True, help_text="The question in the language of the request (English/German)."
    )
    choice_labels = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="A choice question's answers in the request's language: answer by the index.",
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "position",
            "kind",
            "text",
            "text_en",
            "text_de",
            "choice_labels",
            "required",
        ]
        read_only_fields = fields


class CampaignSerializer(serializers.ModelSerializer):
    customer = ScopedPrimaryKeyRelatedField(queryset=Customer.objects.all())
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    template = serializers.PrimaryKeyRelatedField(
        queryset=SurveyTemplate.objects.filter(is_active=True),
        help_text="The questionnaire (an active survey template).",
    )
    title = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Left empty: “Customer satisfaction” with the quarter it opens in.",
    )
    reminder_after_days = serializers.IntegerField(min_value=1, max_value=90, default=7)
    invited = serializers.IntegerField(read_only=True, help_text="Users invited so far.")
    answered = serializers.IntegerField(read_only=True, help_text="Responses given so far.")

    class Meta:
        model = Campaign
        fields = [
            "id",
            "number",
            "customer",
            "customer_name",
            "template",
            "title",
            "opens_on",
            "closes_on",
            "status",
            "reminder_after_days",
            "invited",
            "answered",
            "opened_at",
            "closed_at",
            "created_at",
            "version",
        ]
        read_only_fields = [
            "number",
            "status",
            "opened_at",
            "closed_at",
            "created_at",
            "version",
        ]


class CampaignTransitionSerializer(core_serializers.VersionedWriteSerializer):
    """A campaign's transition takes no input but the version read."""


class AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(min_value=1, help_text="The question's id.")
    value = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=NPS_MAX,
        help_text=f"1–{SCALE_MAX} for a satisfaction question, 0–{NPS_MAX} for the NPS question.",
    )
    choice = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_ANSWERS,
        help_text="A choice question's answer: the index of the choice.",
    )
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=TEXT_ANSWER_MAX,
        help_text="A free-text question's answer.",
    )

    def raw(self, data: dict):
        """What the service reads for the question: the one of the three that was given."""
        for name in ("value", "choice"):
            if data.get(name) is not None:
                return data[name]
        return data.get("text", "")


class AnswersSerializer(serializers.Serializer):
    answers = AnswerInputSerializer(
        many=True,
        max_length=MAX_ANSWERS,
        help_text="One entry per question answered; every required question needs one. Given "
        "again, the answers replace the earlier ones until the campaign closes.",
    )

    def as_mapping(self) -> dict:
        item = AnswerInputSerializer()
        return {entry["question"]: item.raw(entry) for entry in self.validated_data["answers"]}


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = ["question", "value", "choice", "text"]
        read_only_fields = fields


class ResponseSerializer(serializers.ModelSerializer):
    user = serializers.StringRelatedField(help_text="Who answered.")
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = ["id", "campaign", "customer", "user", "submitted_at", "updated_at", "answers"]
        read_only_fields = fields


@extend_schema_field(
    {
        "allOf": [{"type": "string", "enum": Campaign.Status.values}],
        "description": "The campaign's status.",
        "readOnly": True,
    }
)
class CampaignStatusField(serializers.ChoiceField):
    """The campaign's status inline: one named enum (``CampaignStatusEnum``) is the campaign's."""

    def __init__(self, **kwargs):
        super().__init__(choices=Campaign.Status.choices, read_only=True, **kwargs)


class InvitationCampaignSerializer(serializers.ModelSerializer):
    status = CampaignStatusField()

    class Meta:
        model = Campaign
        fields = ["id", "number", "title", "opens_on", "closes_on", "status"]
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer):
    campaign = InvitationCampaignSerializer(read_only=True)
    questions = serializers.SerializerMethodField(help_text="The questions to answer, in order.")

    class Meta:
        model = Invitation
        fields = ["token", "campaign", "sent_at", "reminded_at", "answered_at", "questions"]
        read_only_fields = fields

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, invitation):
        questions = invitation.campaign.template.questions.all()
        return QuestionSerializer(sorted(questions, key=lambda q: q.position), many=True).data


class DistributionSerializer(serializers.Serializer):
    answer = serializers.CharField(help_text="The value (1–5, 0–10) or the choice's label.")
    count = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=4, decimal_places=1, help_text="In %.")


class QuestionResultSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question.pk")
    position = serializers.IntegerField(source="question.position")
    kind = serializers.CharField(source="question.kind")
    text = serializers.CharField(source="question.text")
    answers = serializers.IntegerField()
    csat = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="1–5 questions: in %."
    )
    mean = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    nps = serializers.IntegerField(allow_null=True, help_text="The NPS question: −100…100.")
    distribution = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField()

    @extend_schema_field(DistributionSerializer(many=True))
    def get_distribution(self, result):
        rows = [
            {"answer": str(label), "count": count, "share": share}
            for label, count, share in result.distribution
        ]
        return DistributionSerializer(rows, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_comments(self, result):
        return [answer.text for answer in result.comments]


class CampaignResultsSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(source="campaign.pk")
    csat = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        source="overall.csat",
        help_text="Top-two-box share of every 1–5 answer, in %; null: no answers (n/a).",
    )
    mean = serializers.DecimalField(
        max_digits=4, decimal_places=2, allow_null=True, source="overall.mean"
    )
    nps = serializers.IntegerField(allow_null=True, source="overall.nps")
    responses = serializers.IntegerField(source="overall.responses")
    invited = serializers.IntegerField(source="overall.invited")
    response_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, source="overall.response_rate"
    )
    questions = QuestionResultSerializer(many=True)
    follow_up_actions = serializers.SerializerMethodField(
        help_text="The ids of the follow-up actions of low answers (see /api/v1/actions/)."
    )

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_follow_up_actions(self, results):
        return [action.pk for action in results.actions]


class EightDRatingSerializer(serializers.ModelSerializer):
    claim = ScopedPrimaryKeyRelatedField(queryset=linkable_claims())
    rated_by = serializers.StringRelatedField()
    speed = serializers.IntegerField(min_value=SCALE_MIN, max_value=SCALE_MAX)
    analysis = serializers.IntegerField(min_value=SCALE_MIN, max_value=SCALE_MAX)
    communication = serializers.IntegerField(min_value=SCALE_MIN, max_value=SCALE_MAX)
    comment = core_serializers.optional_text(TEXT_ANSWER_MAX)

    class Meta:
        model = EightDRating
        fields = [
            "id",
            "claim",
            "customer",
            "decision",
            "round",
            "speed",
            "analysis",
            "communication",
            "comment",
            "rated_by",
            "created_at",
        ]
        read_only_fields = ["customer", "decision", "round", "rated_by", "created_at"]
        # The service decides the round and answers a second rating of it with 409.
        validators = []
