"""Two-factor sign-in pages: overview, set-up, the code page after the password, switching off.

The sign-in is finished only on the code page: after a correct password, a user with an
authenticator app has no session yet, just a short-lived "code pending" note in an anonymous one.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import user_login_failed
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import PermissionDenied
from core.routes import Routes

from .models import User
from .two_factor import (
    BACKUP_CODE_COUNT,
    app_device,
    backup_codes_left,
    backup_codes_renew,
    check_code,
    check_setup_code,
    has_two_factor,
    is_session_verified,
    may_disable,
    qr_code_data_uri,
    requires_two_factor,
    secret_for_manual_entry,
    setup_device,
    two_factor_disable,
    two_factor_enable,
)
from .two_factor_forms import CodeForm

PENDING_SIGN_IN_KEY = "accounts_two_factor_pending"
# Time between the correct password and the code before the password is asked again.
PENDING_SIGN_IN_SECONDS = 10 * 60
DISABLE_FORM_PREFIX = "disable"
routes = Routes()


# --- the second sign-in step ----------------------------------------------------------------------


def begin_code_step(request, user, next_url: str):
    """Called by the sign-in page once the password is right and the user has an app."""
    request.session.cycle_key()
    request.session[PENDING_SIGN_IN_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "since": time.time(),
        "next": next_url,
    }
    return redirect("accounts:two-factor-verify")


@routes("two-factor/verify/")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    pending = None if request.user.is_authenticated else _pending_sign_in(request)
    if request.user.is_authenticated:
        user, next_url = request.user, _safe_next(request)
        if is_session_verified(user):
            return redirect(next_url)
    elif pending is None:
        messages.info(request, _("Please sign in again."))
        return redirect(settings.LOGIN_URL)
    else:
        user, next_url = pending
    if not has_two_factor(user):
        return _without_app(request, user, next_url)

    credentials = {settings.AXES_USERNAME_FORM_FIELD: user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        request.session.pop(PENDING_SIGN_IN_KEY, None)
        return get_lockout_response(request, credentials)

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = check_code(user, form.cleaned_data["code"])
        if result.accepted:
            _finish_sign_in(request, user, result.device, signing_in=pending is not None)
            if result.used_backup_code:
                _warn_about_backup_codes(request, user)
            return redirect(next_url)
        form.set_error(result.error_message())
        if not result.wait_seconds:
            # A wrong code counts like a wrong password towards the lockout of this address.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": next_url, "signing_in": pending is not None},
    )


def _pending_sign_in(request):
    """The user whose password was right a moment ago, and where they were going."""
    pending = request.session.get(PENDING_SIGN_IN_KEY)
    if not pending:
        return None
    if time.time() - pending.get("since", 0) > PENDING_SIGN_IN_SECONDS:
        del request.session[PENDING_SIGN_IN_KEY]
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        del request.session[PENDING_SIGN_IN_KEY]
        return None
    user.backend = pending["backend"]
    return user, pending["next"]


def _finish_sign_in(request, user, device, *, signing_in: bool) -> None:
    if signing_in:
        request.session.pop(PENDING_SIGN_IN_KEY, None)
        auth_login(request, user, backend=user.backend)  # a new session key
    else:
        request.session.cycle_key()
    django_otp.login(request, device)


def _without_app(request, user, next_url):
    """The app was removed in the meantime (e.g. by an administrator)."""
    if not request.user.is_authenticated:
        request.session.pop(PENDING_SIGN_IN_KEY, None)
        messages.info(request, _("Please sign in again."))
        return redirect(settings.LOGIN_URL)
    if requires_two_factor(user):
        return redirect(_with_next(reverse("accounts:two-factor-setup"), next_url))
    return redirect(next_url)


def _warn_about_backup_codes(request, user) -> None:
    left = backup_codes_left(user)
    messages.warning(
        request,
        ngettext(
            "You signed in with a backup code; it cannot be used again. %(count)d backup code "
            "is left.",
            "You signed in with a backup code; it cannot be used again. %(count)d backup codes "
            "are left.",
            left,
        )
        % {"count": left}
        + (" " + _("Create new backup codes on the two-factor sign-in page.") if left < 3 else ""),
    )


# --- set-up, overview, switching off ----------------------------------------------------------


@routes("two-factor/setup/")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    user = request.user
    next_url = _safe_next(request, default=reverse("accounts:two-factor"))
    already_on = has_two_factor(user)
    if already_on and not is_session_verified(user):
        return redirect(_with_next(reverse("accounts:two-factor-verify"), next_url))

    device = setup_device(user)
    form = CodeForm(request.POST or None, backup_codes_allowed=False)
    if request.method == "POST" and form.is_valid():
        result = check_setup_code(device, form.cleaned_data["code"])
        if result.accepted:
            codes = two_factor_enable(device=result.device)
            request.session.cycle_key()
            django_otp.login(request, result.device)
            messages.success(request, _("Two-factor sign-in is on."))
            return _render_backup_codes(request, codes, next_url)
        form.set_error(result.error_message())
    context = {
        "form": form,
        "qr_code": qr_code_data_uri(device),
        "secret": secret_for_manual_entry(device),
        "next": next_url,
        "replacing": already_on,
        "required": requires_two_factor(user) and not already_on,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@routes.get("two-factor/", name="two-factor")
def two_factor_overview(request):
    return _render_overview(request)


@routes.post("two-factor/disable/", name="two-factor-disable")
def two_factor_disable_view(request):
    user = request.user
    if not has_two_factor(user):
        return redirect("accounts:two-factor")
    if not may_disable(user):
        messages.error(
            request, _("Your role requires two-factor sign-in: it cannot be switched off.")
        )
        return redirect("accounts:two-factor")
    form = CodeForm(request.POST, prefix=DISABLE_FORM_PREFIX)
    if form.is_valid():
        result = check_code(user, form.cleaned_data["code"])
        if result.accepted:
            try:
                two_factor_disable(user=user)
            except PermissionDenied as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Two-factor sign-in is off."))
            return redirect("accounts:two-factor")
        form.set_error(result.error_message())
    return _render_overview(request, disable_form=form)


@routes("two-factor/backup-codes/", name="two-factor-backup-codes")
@never_cache
@login_required
@require_POST
def backup_codes_renew_view(request):
    user = request.user
    overview_url = reverse("accounts:two-factor")
    if not has_two_factor(user):
        return redirect(overview_url)
    if not is_session_verified(user):
        return redirect(_with_next(reverse("accounts:two-factor-verify"), overview_url))
    codes = backup_codes_renew(user=user)
    messages.success(request, _("New backup codes are ready; the old ones no longer work."))
    return _render_backup_codes(request, codes, overview_url)


def _render_overview(request, *, disable_form=None):
    user = request.user
    context = {
        "device": app_device(user),
        "backup_codes_left": backup_codes_left(user),
        "backup_code_count": BACKUP_CODE_COUNT,
        "required": requires_two_factor(user),
        "may_disable": may_disable(user),
        "disable_form": disable_form or CodeForm(prefix=DISABLE_FORM_PREFIX),
    }
    return render(request, "accounts/two_factor.html", context)


def _render_backup_codes(request, codes, next_url):
    # Rendered, not redirected, and never cached: the codes are shown this once.
    response = render(
        request, "accounts/two_factor_backup_codes.html", {"codes": codes, "next": next_url}
    )
    response["Cache-Control"] = "no-store"
    return response


# --- where to go next -------------------------------------------------------------------------


def _safe_next(request, default=None) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
