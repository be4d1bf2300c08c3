"""Customer satisfaction surveys and the customers' ratings of our 8Ds (REFERENCE §6).

A survey template holds its questions in English and German. A campaign asks one customer's users
a template's questions between two days, each user through a personal link (an invitation); a
user's response holds one answer per question and can be changed until the campaign closes. A
schedule per customer opens a campaign every few months (``surveys.schedule``). An 8D rating is
the customer's 1–5 verdict on the speed, the analysis and the communication of one 8D, given when
they accepted or rejected it.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabels
from core.records.events import RecordEvent
from core.records.fields import protected_key, user_key
from core.records.models import DetailPage, QualityRecord, RecordRow, record_history
from core.records.querysets import RecordQuerySet
from core.tenancy import TenantQuerySet

# The longest free-text answer and 8D rating comment, in characters.
TEXT_ANSWER_MAX = 2000
# 1–5 satisfaction, 0–10 likelihood to recommend (REFERENCE §6).
SCALE_MIN, SCALE_MAX = 1, 5
NPS_MIN, NPS_MAX = 0, 10
# A low answer asks for a follow-up: 1 or 2 of 5, a detractor's 0–6 of 10.
LOW_SCALE, LOW_NPS = 2, 6


class SurveyTemplate(DetailPage, models.Model):
    """A questionnaire: the questions a campaign asks, in order."""

    detail_url_name = "surveys:template-detail"

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")

    def __str__(self):
        return self.name


class Question(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        SCALE_5 = "scale_5", _("Satisfaction 1–5")
        NPS = "nps", _("Likelihood to recommend 0–10 (NPS)")
        CHOICE = "choice", _("One of several choices")
        TEXT = "text", _("Free text")

    template = models.ForeignKey(SurveyTemplate, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_de = models.CharField(_("question (German)"), max_length=300)
    # [{"en": "…", "de": "…"}, …]: the choices of a "choice" question, answered by their index.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "position"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="surveys_question_unique_position"
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.text_en}"

    @property
    def text(self) -> str:
        """The question in the reader's language (German for German readers, else English)."""
        return self.text_de if _german() and self.text_de else self.text_en

    @property
    def choice_labels(self) -> list[str]:
        key = "de" if _german() else "en"
        return [str(choice.get(key) or choice.get("en", "")) for choice in self.choices or ()]

    @property
    def is_scale(self) -> bool:
        return self.kind == self.Kind.SCALE_5

    @property
    def is_nps(self) -> bool:
        return self.kind == self.Kind.NPS

    @property
    def is_choice(self) -> bool:
        return self.kind == self.Kind.CHOICE

    @property
    def is_text(self) -> bool:
        return self.kind == self.Kind.TEXT

    @property
    def scale(self) -> range:
        """The values a scale or NPS question takes, lowest first."""
        if self.is_nps:
            return range(NPS_MIN, NPS_MAX + 1)
        return range(SCALE_MIN, SCALE_MAX + 1)

    def is_low(self, value) -> bool:
        """A value that asks for a follow-up with the customer."""
        if value is None:
            return False
        if self.is_scale:
            return value <= LOW_SCALE
        return self.is_nps and value <= LOW_NPS


def _german() -> bool:
    return (translation.get_language() or "").startswith("de")


class CampaignQuerySet(RecordQuerySet):
    search_fields = ("number", "title", "customer__name", "template__name")

    def with_related(self):
        return self.select_related("customer", "template", "created_by")


class Campaign(QualityRecord):
    """One customer's survey: its users are asked the template's questions between two days."""

    detail_url_name = "surveys:campaign-detail"

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    FINAL_STATUSES = (Status.CLOSED,)

    template = protected_key(
        SurveyTemplate, verbose_name=_("questionnaire"), related_name="campaigns"
    )
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(
        _("closes on"), help_text=_("The last day on which answers can be given or changed.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("remind after (days)"),
        default=7,
        help_text=_("Those who have not answered are reminded once, this many days after."),
    )
    schedule = models.ForeignKey(
        "SurveySchedule",
        on_delete=models.PROTECT,
        related_name="campaigns",
        null=True,
        blank=True,
        verbose_name=_("schedule"),
    )
    # The daily run opens the campaigns of the schedules: nobody creates those.
    created_by = user_key(verbose_name=_("created by"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    history = record_history()

    objects = CampaignQuerySet.as_manager()

    class Meta(QualityRecord.Meta):
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        constraints = [
            # The schedule's daily run opens a customer's campaign of one day at most once.
            models.UniqueConstraint(
                fields=["customer", "opens_on"],
                name="surveys_campaign_once_per_customer_day",
                violation_error_message=_(
                    "This customer has a survey campaign opening on that day already."
                ),
            ),
            models.CheckConstraint(
                name="surveys_campaign_closes_after_opening",
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                violation_error_message=_("A campaign closes on or after the day it opens."),
            ),
            models.CheckConstraint(
                name="surveys_campaign_reminder_days",
                condition=models.Q(reminder_after_days__gte=1, reminder_after_days__lte=90),
                violation_error_message=_("Remind after 1 to 90 days."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "closes_on"], name="surveys_campaign_due"),
            models.Index(fields=["opens_on", "id"], name="surveys_campaign_newest"),
        ]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class InvitationQuerySet(TenantQuerySet):
    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class Invitation(RecordRow):
    """One user asked in one campaign, with their personal link (``token``).

    The link works only for the user it was sent to, signed in: it is a bookmark, not a key.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    user = user_key(related_name="survey_invitations")
    token = models.CharField(max_length=43, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["token"])

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "pk"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user"], name="surveys_invitation_once_per_user"
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.user_id}"

    def get_absolute_url(self):
        return reverse("surveys:answer", args=[self.token])


class Response(RecordRow):
    """One user's answers in one campaign; changed in place until the campaign closes."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    user = user_key(related_name="survey_responses")
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user"], name="surveys_response_once_per_user"
            )
        ]
        indexes = [models.Index(fields=["customer", "submitted_at"])]

    def __str__(self):
        # Shown as the record of its follow-up action: no query for the campaign or the user.
        return f"{_('Survey response')} #{self.pk}"

    def get_absolute_url(self):
        """The campaign's results, at this response's comments (its follow-up action's record)."""
        return reverse("surveys:campaign-detail", args=[self.campaign_id]) + f"#response-{self.pk}"


class Answer(RecordRow):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = protected_key(Question, related_name="answers")
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)
    choice = models.PositiveSmallIntegerField(_("choice"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=TEXT_ANSWER_MAX)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["response", "question__position"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="surveys_answer_once_per_question"
            ),
            models.CheckConstraint(
                name="surveys_answer_value_0_to_10",
                condition=models.Q(value__isnull=True) | models.Q(value__lte=NPS_MAX),
            ),
        ]

    def __str__(self):
        return f"{self.response_id} {self.question_id}"

    @property
    def is_blank(self) -> bool:
        return self.value is None and self.choice is None and not self.text


class SurveySchedule(models.Model):
    """How often a customer is asked: the daily run opens a campaign on ``next_on``."""

    customer = models.OneToOneField(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="survey_schedule",
        verbose_name=_("customer"),
    )
    template = protected_key(SurveyTemplate, verbose_name=_("questionnaire"))
    every_months = models.PositiveSmallIntegerField(_("every (months)"), default=3)
    open_days = models.PositiveSmallIntegerField(
        _("open for (days)"), default=28, help_text=_("How long each campaign takes answers.")
    )
    next_on = models.DateField(_("next campaign opens on"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["next_on", "pk"]
        verbose_name = _("survey schedule")
        verbose_name_plural = _("survey schedules")
        constraints = [
            models.CheckConstraint(
                name="surveys_schedule_every_1_to_24_months",
                condition=models.Q(every_months__gte=1, every_months__lte=24),
            ),
            models.CheckConstraint(
                name="surveys_schedule_open_1_to_90_days",
                condition=models.Q(open_days__gte=1, open_days__lte=90),
            ),
        ]

    def __str__(self):
        return f"{self.customer_id}: every {self.every_months} months"


class EightDRatingQuerySet(TenantQuerySet):
    def with_related(self):
        return self.select_related("claim", "rated_by")


class EightDRating(ChoiceLabels, RecordRow):
    """The customer's 1–5 rating of one 8D decision: one per claim and decision round.

    A claim's 8D may be rejected, reworked and then accepted: each of those decisions of the
    customer is a round (1, 2, …, counted from the claim's timeline), and each round can be rated
    once, by any of the customer's users.
    """

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("8D accepted")
        REJECTED = "rejected", _("8D rejected")

    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.PROTECT, related_name="ratings", verbose_name=_("claim")
    )
    rated_by = user_key(verbose_name=_("rated by"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    round = models.PositiveSmallIntegerField(_("decision round"), default=1)
    speed = models.PositiveSmallIntegerField(_("speed"))
    analysis = models.PositiveSmallIntegerField(_("quality of the analysis"))
    communication = models.PositiveSmallIntegerField(_("communication"))
    comment = models.TextField(_("comment"), blank=True, max_length=TEXT_ANSWER_MAX)
    created_at = models.DateTimeField(_("rated"), default=timezone.now)
    history = HistoricalRecords()

    objects = EightDRatingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("8D rating")
        verbose_name_plural = _("8D ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "round"],
                name="surveys_rating_once_per_decision",
                violation_error_message=_("This 8D decision has been rated already."),
            ),
            *(
                models.CheckConstraint(
                    name=f"surveys_rating_{name}_1_to_5",
                    condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                )
                for name in ("speed", "analysis", "communication")
            ),
        ]
        indexes = [models.Index(fields=["customer", "created_at"])]

    def __str__(self):
        return f"{self.claim_id} #{self.round}"

    @property
    def values(self) -> tuple[int, int, int]:
        return (self.speed, self.analysis, self.communication)


EVENT_LABELS = {
    "create": _("Planned"),
    "open": _("Opened for answers"),
    "close": _("Closed"),
    "invite": _("Invitations sent"),
    "remind": _("Reminders sent"),
}


class CampaignEvent(RecordEvent, record_field="campaign", labels=EVENT_LABELS):
    """One line of a campaign's timeline: planned, opened, invitations and reminders, closed."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")

    class Meta(RecordEvent.Meta):
        indexes = [models.Index(fields=["campaign", "created_at"])]
