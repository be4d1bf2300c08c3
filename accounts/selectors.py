"""Reads for the profile page and the user administration pages."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext

from core.history import timeline

from .models import ApiToken, User

RECENTLY_REVOKED_SHOWN = 10
HISTORY_SHOWN = 50
# The user list's role filter also offers customer administrators (a flag, not a role).
COMPANY_ADMIN_FILTER = "company_admin"


def tokens_for_profile(user) -> list[ApiToken]:
    """The user's active tokens, newest first, followed by the most recently revoked ones."""
    tokens = ApiToken.objects.filter(user=user)
    active = list(tokens.active().order_by("-created_at"))
    revoked = list(
        tokens.filter(revoked_at__isnull=False).order_by("-revoked_at")[:RECENTLY_REVOKED_SHOWN]
    )
    return active + revoked


def user_list(actor, *, search: str = "", role: str = "", customer=None, active=None):
    """The users ``actor`` manages, by name and e-mail, with their company: for the user list.

    ``role`` "company_admin" selects customer administrators; ``active`` None means both.
    """
    users = User.objects.manageable_by(actor).select_related("customer")
    if search:
        users = users.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    if role == COMPANY_ADMIN_FILTER:
        users = users.filter(is_company_admin=True)
    elif role:
        users = users.filter(role=role)
    if customer is not None:
        users = users.filter(customer=customer)
    if active is not None:
        users = users.filter(is_active=active)
    return users.order_by("full_name", "email", "pk")


def user_history(user, limit: int = HISTORY_SHOWN) -> list:
    """The changes of ``user``'s account, newest first, with the fields' labels.

    A sign-in saves the account (its last sign-in, which the history leaves out): those rows
    change nothing a person would read, so they are not shown.
    """
    changed = gettext("Changed")  # core.history's label of a change, in the reader's language
    entries = timeline(user, limit=limit * 4)
    return [entry for entry in entries if entry.changes or entry.label != changed][:limit]
