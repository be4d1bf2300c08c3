"""Who may do what with master data: the one place the customers app checks capabilities."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.utils.translation import gettext as _

from core.errors import PermissionDenied

VIEW = "customers.view"
MANAGE = "customers.manage"
PARTS_MANAGE = "parts.manage"
PARTS_IMPORT = "parts.import"


def has(user, capability: str) -> bool:
    check = getattr(user, "has_capability", None)
    return bool(user and user.is_authenticated and check and check(capability))


def require(actor, capability: str) -> None:
    """Services call this: an actor without the capability is refused (no actor = system)."""
    if actor is not None and not has(actor, capability):
        raise PermissionDenied(_("You are not allowed to change this master data."))


def capability_required(capability: str):
    """Page decorator: signed-in users lacking ``capability`` get 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has(request.user, capability):
                raise HttpForbidden
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
