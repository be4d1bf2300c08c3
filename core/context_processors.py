from django.conf import settings


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
