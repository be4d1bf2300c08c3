"""The training register in the admin site: read-only, because its rows are quality records.

Every change goes through the pages or the API, so that it passes the services' checks."""

from django.contrib import admin

from core.admin import HistoryAdmin, ReadOnlyAdminMixin

from .models import Assignment, Qualification, Requirement, Skill, TrainingRecord


@admin.register(Skill)
class SkillAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    search_fields = ["name"]


@admin.register(Requirement)
class RequirementAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["pk", "person", "role", "document", "skill", "level"]
    list_select_related = ["person", "document", "skill"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["person", "revision", "skill", "trained_on", "level", "expires_on"]
    list_select_related = ["person", "revision__document", "skill"]


@admin.register(Qualification)
class QualificationAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["person", "kind", "valid_from", "valid_until"]
    list_filter = ["kind"]
    list_select_related = ["person"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["person", "revision", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["person", "revision__document"]
