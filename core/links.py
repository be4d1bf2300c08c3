"""Addresses people open from outside the portal: links in mails, reports and exports."""

from __future__ import annotations

from django.conf import settings


def portal_url(path: str) -> str:
    """``path`` (e.g. ``/claims/7/``) as an absolute address people can open from a mail.

    An address that is already absolute is kept; an empty path is the portal's start page.
    """
    base = settings.PORTAL_BASE_URL.rstrip("/")
    if not path:
        return f"{base}/"
    if path.startswith(("http://", "https://")):
        return path
    return f"{base}/{path.lstrip('/')}"
