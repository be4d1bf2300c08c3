import functools
from types import MappingProxyType

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject

from . import heartbeat
from .home import persona

# The fixed links of the base layout and its menus, by the names the templates use. Reversing
# twenty URLs took about a millisecond of every page; they depend only on the URL configuration
# and the script prefix, so they are reversed once per process for each of those.
LAYOUT_ROUTES = {
    "home": "core:home",
    "my_actions": "core:my-actions",
    "claim_inbox": "claims:inbox",
    "claim_list": "claims:claim-list",
    "change_list": "changes:change-list",
    "deviation_list": "changes:deviation-list",
    "ppap_list": "ppap:submission-list",
    "audit_list": "audits:audit-list",
    "survey_list": "surveys:campaign-list",
    "my_surveys": "surveys:my-surveys",
    "special_status_list": "special_status:status-list",
    "dashboard": "metrics:dashboard",
    "scorecard": "metrics:scorecard",
    "rating": "metrics:rating-overview",
    "delivery_list": "metrics:delivery-list",
    "report_list": "metrics:report-list",
    "customer_list": "customers:customer-list",
    "part_list": "customers:part-list",
    "plant_list": "customers:plant-list",
    "user_list": "accounts:user-list",
    "admin": "admin:index",
    "profile": "accounts:profile",
    "logout": "accounts:logout",
    "api_docs": "api-docs",
}


@functools.lru_cache(maxsize=16)
def _layout_urls(urlconf: str, script_prefix: str) -> MappingProxyType:
    # script_prefix is part of the cache key only: reverse() prepends the current one.
    urls = {name: reverse(route, urlconf=urlconf) for name, route in LAYOUT_ROUTES.items()}
    return MappingProxyType(urls)


def layout_urls() -> MappingProxyType:
    """The base layout's links for the URL configuration and script prefix of this request."""
    return _layout_urls(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


def navigation(request):
    """What the base layout needs on every page: the viewer's kind, their customer's name and
    the layout's links (``layout_urls``, the same for everybody)."""
    user = getattr(request, "user", None)
    internal = bool(user and user.is_authenticated and getattr(user, "is_internal", False))
    customer = getattr(user, "customer", None) if user and user.is_authenticated else None
    return {
        "is_internal_user": internal,
        "portal_customer": customer,
        "debug": settings.DEBUG,
        "layout_urls": layout_urls(),
    }


def background_alert(request):
    """For managers and admins: the background components that have gone silent (a banner).

    Evaluated only when the page renders it, and cached for a few seconds across requests.
    """
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and persona(user) in ("manager", "admin")):
        return {}
    return {"silent_background": SimpleLazyObject(heartbeat.silent_components)}
