"""Reads for the profile page."""

from __future__ import annotations

from .models import ApiToken

RECENTLY_REVOKED_SHOWN = 10


def tokens_for_profile(user) -> list[ApiToken]:
    """The user's active tokens, newest first, followed by the most recently revoked ones."""
    tokens = ApiToken.objects.filter(user=user)
    active = list(tokens.active().order_by("-created_at"))
    revoked = list(
        tokens.filter(revoked_at__isnull=False).order_by("-revoked_at")[:RECENTLY_REVOKED_SHOWN]
    )
    return active + revoked
