from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import two_factor_views, views
from .forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html",
            form_class=PasswordChangeForm,
            # The profile page says which API tokens the change revoked and lists them.
            success_url=reverse_lazy("accounts:profile"),
        ),
        name="password-change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password-change-done",
    ),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            form_class=PasswordResetForm,
            email_template_name="accounts/email/password_reset_body.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            extra_email_context={"valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)},
            success_url=reverse_lazy("accounts:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=SetPasswordForm,
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create_view, name="token-create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token-revoke"),
    path("two-factor/", two_factor_views.two_factor_overview, name="two-factor"),
    path("two-factor/setup/", two_factor_views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/verify/", two_factor_views.two_factor_verify, name="two-factor-verify"),
    path(
        "two-factor/disable/",
        two_factor_views.two_factor_disable_view,
        name="two-factor-disable",
    ),
    path(
        "two-factor/backup-codes/",
        two_factor_views.backup_codes_renew_view,
        name="two-factor-backup-codes",
    ),
]
