from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.middleware import wants_json
from core.routes import Routes

from .forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    SetPasswordForm,
    TokenCreateForm,
)
from .lockout import cool_off_minutes, lockout_message
from .models import ApiToken
from .selectors import tokens_for_profile
from .services import (
    MAX_ACTIVE_TOKENS,
    password_reset_allowed,
    profile_update,
    token_create,
    token_revoke,
)
from .two_factor import has_two_factor, requires_two_factor
from .two_factor_views import begin_code_step

TOKEN_FORM_PREFIX = "token"
routes = Routes()


def lockout_response(request, credentials=None):
    """django-axes (8.x) calls this as ``(request, credentials)`` once a sign-in is locked out."""
    message = lockout_message(request)
    if wants_json(request):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "accounts/locked_out.html", {"message": message}, status=429)
    minutes = cool_off_minutes(request)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


def _django_page(route: str, name: str, view_class: type) -> None:
    """One of Django's own pages, with our template: ``password-reset-done`` shows
    ``accounts/password_reset_done.html``."""
    template = f"accounts/{name.replace('-', '_')}.html"
    routes.add(route, view_class.as_view(template_name=template), name=name)


@routes("login/", name="login")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if has_two_factor(user):
            # The password alone does not sign in: the session starts after the code page.
            return begin_code_step(self.request, user, self.get_success_url())
        return super().form_valid(form)


@routes("logout/", name="logout")
class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You have been signed out."))
        return response


@routes("password/change/", name="password-change")
class PasswordChangeView(auth_views.PasswordChangeView):
    """A new password also shuts every API token out (``User.save``); the page says so."""

    template_name = "accounts/password_change_form.html"
    form_class = PasswordChangeForm
    # The profile page says which API tokens the change revoked and lists them.
    success_url = reverse_lazy("accounts:profile")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        active_tokens = ApiToken.objects.active().filter(user=self.request.user)
        context["active_token_count"] = active_tokens.count()
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        revoked = form.user.tokens_revoked_with_password
        message = _("Your password has been changed.")
        if revoked:
            message += " " + _tokens_revoked_message(revoked)
        messages.success(self.request, message)
        return response


_django_page("password/change/done/", "password-change-done", auth_views.PasswordChangeDoneView)


@routes("password/reset/", name="password-reset")
class PasswordResetView(auth_views.PasswordResetView):
    """At most a few mails per address and per client an hour; the answer is always the same."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    extra_email_context = {"valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)}
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        allowed = password_reset_allowed(
            email=form.cleaned_data["email"],
            client_address=get_client_ip_address(self.request),
        )
        if not allowed:
            # Silently: the same confirmation page, whether or not a mail went out.
            return redirect(self.get_success_url())
        return super().form_valid(form)


_django_page("password/reset/sent/", "password-reset-done", auth_views.PasswordResetDoneView)


@routes("password/reset/<uidb64>/<token>/", name="password-reset-confirm")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        revoked = form.user.tokens_revoked_with_password
        if revoked:
            messages.success(self.request, _tokens_revoked_message(revoked))
        return response


_django_page(
    "password/reset/complete/", "password-reset-complete", auth_views.PasswordResetCompleteView
)


def _tokens_revoked_message(count: int) -> str:
    return ngettext(
        "Your API token has been revoked; create a new one on your profile page.",
        "Your %(count)d API tokens have been revoked; create new ones on your profile page.",
        count,
    ) % {"count": count}


@routes.form("profile/")
def profile(request):
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = profile_update(user=request.user, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            # Confirm in the language just chosen: the next page will be in it too.
            translation.activate(user.language)
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return _render_profile(request, profile_form=form)


@routes.post("profile/tokens/", name="token-create")
def token_create_view(request):
    form = TokenCreateForm(request.POST, prefix=TOKEN_FORM_PREFIX)
    if form.is_valid():
        try:
            token, key = token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            # Rendered, not redirected: the key must never be stored, not even in the session.
            response = _render_profile(request, new_token=token, new_key=key)
            response["Cache-Control"] = "no-store"
            return response
    return _render_profile(request, token_form=form)


@routes.post("profile/tokens/<int:pk>/revoke/", name="token-revoke")
def token_revoke_view(request, pk):
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    token_revoke(token=token, actor=request.user)
    messages.success(
        request,
        _("The token “%(name)s” has been revoked; it no longer opens the API.")
        % {"name": token.name},
    )
    return redirect("accounts:profile")


def _render_profile(request, *, profile_form=None, token_form=None, **extra):
    tokens = tokens_for_profile(request.user)
    context = {
        "profile_form": profile_form or ProfileForm(user=request.user),
        "token_form": token_form or TokenCreateForm(prefix=TOKEN_FORM_PREFIX),
        "tokens": tokens,
        "active_token_count": sum(1 for token in tokens if token.is_active),
        "max_tokens": MAX_ACTIVE_TOKENS,
        "two_factor_on": has_two_factor(request.user),
        "two_factor_required": requires_two_factor(request.user),
        **extra,
    }
    return render(request, "accounts/profile.html", context)


def _add_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError beside the field it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)
