"""The sign-in lockout's words and duration (django-axes), shared by sign-in and signatures."""

from __future__ import annotations

import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.utils.translation import gettext, ngettext


def cool_off_minutes(request=None) -> int:
    """The lockout duration from AXES_COOLOFF_TIME in whole minutes; 0 for a permanent lock."""
    cool_off = get_cool_off(request)
    if not cool_off:
        return 0
    return max(1, math.ceil(cool_off.total_seconds() / 60))


def lockout_message(request=None) -> str:
    minutes = cool_off_minutes(request)
    if not minutes:
        return gettext(
            "Too many failed sign-in attempts. For your security this account is locked on this "
            "device. Reset your password or ask your administrator to unlock it."
        )
    message = ngettext(
        "Too many failed sign-in attempts. For your security this account is locked for "
        "%(minutes)d minute on this device.",
        "Too many failed sign-in attempts. For your security this account is locked for "
        "%(minutes)d minutes on this device.",
        minutes,
    ) % {"minutes": minutes}
    if settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT:
        message += " " + gettext("Each further attempt restarts the wait.")
    return message + " " + gettext("If you have forgotten your password, reset it.")


def attempts_left_message(left: int, request=None) -> str:
    """How many wrong passwords remain before the lock: "2 attempts left before …"."""
    minutes = cool_off_minutes(request)
    if not minutes:
        return ngettext(
            "%(left)d attempt left before the account is locked.",
            "%(left)d attempts left before the account is locked.",
            left,
        ) % {"left": left}
    return ngettext(
        "%(left)d attempt left before the account is locked for %(minutes)d minutes.",
        "%(left)d attempts left before the account is locked for %(minutes)d minutes.",
        left,
    ) % {"left": left, "minutes": minutes}
