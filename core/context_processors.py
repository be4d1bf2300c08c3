import hashlib

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from . import data_version, heartbeat
from .home import persona


def navigation(request):
    """What the base layout needs on every page: the viewer's kind and their customer's name."""
    user = getattr(request, "user", None)
    internal = bool(user and user.is_authenticated and getattr(user, "is_internal", False))
    customer = getattr(user, "customer", None) if user and user.is_authenticated else None
    return {
        "is_internal_user": internal,
        "portal_customer": customer,
        "debug": settings.DEBUG,
    }


def fragment_key(request):
    """Keys for cached parts of a page (``{% cache %}``), read only by pages that cache one.

    ``fragment_key`` is what a cached part must vary on: the page with its query string, the
    viewer, their language and time zone, and the data version (``core.data_version``), so that a
    cached part is never older than the data it shows. ``form_fragment_key`` adds the browser's
    CSRF secret, for parts that hold forms: the token inside stays valid for that browser.
    """

    def key() -> str:
        user = getattr(request, "user", None)
        return "|".join(
            (
                request.get_full_path(),
                str(getattr(user, "pk", "")),
                translation.get_language() or "",
                timezone.get_current_timezone_name(),
                data_version.version(),
            )
        )

    def form_key() -> str:
        get_token(request)  # makes sure the browser gets the cookie the cached token belongs to
        secret = hashlib.sha256(request.META["CSRF_COOKIE"].encode()).hexdigest()
        return f"{key()}|{secret}"

    return {"fragment_key": SimpleLazyObject(key), "form_fragment_key": SimpleLazyObject(form_key)}


def background_alert(request):
    """For managers and admins: the background components that have gone silent (a banner).

    Evaluated only when the page renders it, and cached for a few seconds across requests.
    """
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and persona(user) in ("manager", "admin")):
        return {}
    return {"silent_background": SimpleLazyObject(heartbeat.silent_components)}
