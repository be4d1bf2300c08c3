"""The bell's unread count on every page, counted only when a page shows it."""

from django.utils.functional import SimpleLazyObject

from . import selectors


def unread_count(request):
    """``notification_unread``: ``.count`` and ``.label`` ("99+"), one query when first read.

    Lazy: pages without the bell (sign-in, errors, API) pay nothing. Never cached per data
    version: notifications do not move it.
    """
    return {
        "notification_unread": SimpleLazyObject(
            lambda: selectors.unread_count(getattr(request, "user", None))
        )
    }
