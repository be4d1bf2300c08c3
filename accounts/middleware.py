import zoneinfo
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from .two_factor import has_two_factor, is_session_verified, requires_two_factor


class UserPreferencesMiddleware:
    """Shows pages in the signed-in user's language and time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Staff must have passed the second factor when CQM_STAFF_2FA_REQUIRED is on.

    A signed-in staff user whose session has not passed it is sent to the code page (app set up)
    or the set-up page (none yet) from every page, the admin site included. Let through: those
    pages, sign-out, static files, health checks, the JavaScript catalogue, and API calls with a
    token (machine access with its own secret; the token is created from a verified session).
    Browser API calls on the unverified session get a 403 with a message.
    """

    API_PREFIX = "/api/"
    HEALTH_CHECK_PREFIX = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._is_admin_sign_in(request):
            return self._portal_sign_in(request)
        if settings.CQM_STAFF_2FA_REQUIRED:
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    @staticmethod
    def _is_admin_sign_in(request) -> bool:
        """The admin site's own sign-in form knows no second factor: the portal's page is used.

        A signed-in user may still see the admin's page (it explains a missing permission), but
        no one signs in through it.
        """
        if request.path != reverse("admin:login"):
            return False
        return request.method == "POST" or not request.user.is_authenticated

    @staticmethod
    def _portal_sign_in(request):
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")

    def _refusal(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not requires_two_factor(user):
            return None
        if is_session_verified(user) or self._is_exempt(request.path):
            return None
        if request.path.startswith(self.API_PREFIX) and request.path != reverse("api-docs"):
            if _carries_api_token(request):
                # Checked by the token authentication, which never falls back to the session.
                return None
            return JsonResponse({"detail": _api_refusal_message()}, status=403)
        return self._send_to_second_factor(request, user)

    def _is_exempt(self, path: str) -> bool:
        exempt = (
            reverse("accounts:two-factor"),
            reverse("accounts:logout"),
            reverse("javascript-catalog"),
            self.HEALTH_CHECK_PREFIX,
            _static_prefix(),
        )
        return path.startswith(exempt)

    @staticmethod
    def _send_to_second_factor(request, user):
        page = "accounts:two-factor-verify" if has_two_factor(user) else "accounts:two-factor-setup"
        url = reverse(page)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            # htmx would swap the page into a fragment: ask it to load the whole page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)


def _carries_api_token(request) -> bool:
    """Only a token scheme counts: any other header would let DRF fall back to the session."""
    scheme = request.headers.get("Authorization", "").split(" ", 1)[0].lower()
    return scheme in ("token", "bearer")


def _api_refusal_message() -> str:
    return gettext(
        "Two-factor sign-in required: finish signing in with your authenticator app in the "
        "browser, or call the API with a token."
    )


def _static_prefix() -> str:
    static_url = settings.STATIC_URL or "/static/"
    return static_url if static_url.startswith(("/", "http")) else "/" + static_url
