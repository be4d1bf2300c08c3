"""Surveys in the admin site: questionnaires are master data and editable there (questions
included); campaigns, invitations, responses and 8D ratings are records and read-only (they
change through the pages and the API, past the services' checks)."""

from django.contrib import admin

from core.admin import EVENT_FIELDS, HistoryAdmin, ReadOnlyAdminMixin, read_only_inline

from .models import (
    Campaign,
    CampaignEvent,
    EightDRating,
    Invitation,
    Question,
    Response,
    SurveySchedule,
    SurveyTemplate,
)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "kind", "text_en", "text_de", "choices", "required"]

    def has_delete_permission(self, request, obj=None):
        return False  # answers refer to their questions


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(HistoryAdmin):
    list_display = ["name", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    inlines = [QuestionInline]

    def has_delete_permission(self, request, obj=None):
        return False  # campaigns refer to their questionnaire: deactivate instead


@admin.register(SurveySchedule)
class SurveyScheduleAdmin(HistoryAdmin):
    list_display = ["customer", "template", "every_months", "open_days", "next_on", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["customer", "template"]

    def has_delete_permission(self, request, obj=None):
        return False  # campaigns refer to their schedule: deactivate instead


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["user", "sent_at", "reminded_at", "answered_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["number", "title", "customer", "opens_on", "closes_on", "status"]
    list_filter = ["status"]
    search_fields = ["number", "title"]
    list_select_related = ["customer"]
    inlines = [InvitationInline, read_only_inline(CampaignEvent, EVENT_FIELDS)]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["campaign", "customer", "user", "submitted_at", "updated_at"]
    list_select_related = ["campaign", "customer", "user"]


@admin.register(EightDRating)
class EightDRatingAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["claim", "round", "decision", "speed", "analysis", "communication"]
    list_select_related = ["claim"]
