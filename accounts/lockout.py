"""What django-axes needs from us: a stable username and a clear lockout answer."""

from __future__ import annotations

from django.conf import settings

# Shared with electronic signatures, which count towards the same lockout (core.signatures).
from core.lockout import cool_off_minutes, lockout_message

__all__ = ["axes_username", "cool_off_minutes", "lockout_message"]


def axes_username(request, credentials=None) -> str | None:
    """The address in lower case, so "Ada@X.com" and "ada@x.com" share one failure count."""
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = credentials.get(field) if credentials else getattr(request, "POST", {}).get(field)
    return raw.strip().lower() if isinstance(raw, str) and raw.strip() else None
