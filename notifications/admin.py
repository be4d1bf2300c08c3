"""Notifications are evidence of who was told what and when: read-only in the admin."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "title",
        "recipient",
        "email",
        "delivery",
        "read_at",
        "emailed_at",
    ]
    list_filter = ["kind", "delivery", "urgent", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "recipient__email", "email", "kind"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "actor", "customer"]
    show_full_result_count = False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__email", "kind"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
