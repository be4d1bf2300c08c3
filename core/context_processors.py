from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from . import data_version


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
    """``fragment_key``: what a cached part of a page (``{% cache %}``) must vary on.

    The page with its query string, the viewer, their language and time zone, and the data
    version (``core.data_version``): a cached list is never older than the data it shows. Read
    only by the pages that cache a fragment; the others never pay for the version query.
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

    return {"fragment_key": SimpleLazyObject(key)}
