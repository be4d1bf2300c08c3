from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import HistoryAdmin

from .models import ApiToken, User
from .services import token_revoke, user_sign_out_everywhere


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "customer")


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(HistoryAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("email", "full_name", "role", "customer", "is_active", "last_login")
    list_filter = ("role", "is_company_admin", "is_active", "is_staff", "customer")
    list_select_related = ("customer",)
    search_fields = ("email", "full_name", "customer__name", "customer__code")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    actions = ("sign_out_everywhere",)
    filter_horizontal = ("groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "job_title", "phone", "language", "time_zone")}),
        (_("Role"), {"fields": ("role", "customer", "is_company_admin")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "customer",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        # The admin's password form saves the user (which revokes their API tokens) and then
        # logs the change: the one place here that sees both the request and the saved user.
        revoked = obj.tokens_revoked_with_password
        if revoked:
            self.message_user(
                request,
                ngettext(
                    "The password change revoked %(count)d API token of %(user)s.",
                    "The password change revoked %(count)d API tokens of %(user)s.",
                    revoked,
                )
                % {"count": revoked, "user": obj},
                messages.INFO,
            )
        return entry

    def has_sign_out_permission(self, request):
        return request.user.has_capability("accounts.manage")

    @admin.action(
        description=_("Revoke API tokens and sign out of every session"),
        permissions=("sign_out",),
    )
    def sign_out_everywhere(self, request, queryset):
        tokens = sessions = 0
        for user in queryset:
            revoked, ended = user_sign_out_everywhere(user=user, actor=request.user)
            tokens, sessions = tokens + revoked, sessions + ended
        self.message_user(
            request,
            _("%(tokens)d API tokens revoked and %(sessions)d sessions signed out.")
            % {"tokens": tokens, "sessions": sessions},
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by their owners; the admin only looks and, if needed, revokes."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__email", "user__full_name")
    fields = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke_tokens",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return request.user.has_capability("accounts.manage")

    @admin.action(description=_("Revoke selected tokens"), permissions=("revoke",))
    def revoke_tokens(self, request, queryset):
        active = list(queryset.filter(revoked_at__isnull=True))
        for token in active:
            token_revoke(token=token, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(active))
            % {"count": len(active)},
            messages.SUCCESS,
        )
