"""Routes of notifications, classified for the tenant isolation sweep.

Merged into ``routes.REGISTRY``. A notification is one person's own: another user's (of another
customer, or a colleague, or our staff) is a 404 like a missing one, so the routes with an id are
``OWN_ACCOUNT``; the lists show only the viewer's own. The notification comes from
``scenario_notifications.build`` (``side.extra["notification"]``).
"""

from __future__ import annotations

from .routes import GET_ONLY, POST_ONLY, Access, Route, _of

_NOTIFICATION = _of(pk=lambda side: side.extra["notification"].pk)


def _unread(side) -> list[dict]:
    return [{"unread": "true"}]


REGISTRY: dict[str, Route] = {
    # pages
    "notifications:list": Route(
        Access.LIST,
        methods=GET_ONLY,
        searchable=False,
        queries=lambda side: [{"filter": "unread"}, {"page": 2}],
    ),
    "notifications:open": Route(
        Access.OWN_ACCOUNT, _NOTIFICATION, methods=GET_ONLY, note="Marks read, then redirects."
    ),
    "notifications:read": Route(Access.OWN_ACCOUNT, _NOTIFICATION, methods=POST_ONLY),
    "notifications:read-all": Route(Access.OWN_ACCOUNT, methods=POST_ONLY),
    "notifications:preferences": Route(Access.OWN_ACCOUNT),
    # API
    "notification-list": Route(Access.LIST, searchable=False, queries=_unread),
    "notification-detail": Route(Access.OWN_ACCOUNT, _NOTIFICATION, methods=GET_ONLY),
    "notification-read": Route(Access.OWN_ACCOUNT, _NOTIFICATION, methods=POST_ONLY),
    "notification-read-all": Route(Access.OWN_ACCOUNT, methods=POST_ONLY),
    "notification-preferences": Route(
        Access.OWN_ACCOUNT,
        methods=GET_ONLY,
        note="PUT writes the caller's own preferences only (no ids); tested in notifications.",
    ),
}
