"""The kinds of notification the portal sends, declared by the apps that send them.

Each app registers its kinds in ``AppConfig.ready()`` (``register(Kind(...))``); the preferences
page lists them, ``notify`` refuses an unknown kind, and the kind decides who may receive it:
an ``INTERNAL`` kind never reaches a customer user, whatever the caller passes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a person wants to hear of one kind of notification."""

    IMMEDIATE = "immediate", _("At once by e-mail")
    DIGEST = "digest", _("In a daily e-mail digest")
    PORTAL = "portal", _("In the portal only")


class Audience(models.TextChoices):
    INTERNAL = "internal", _("Our team")
    CUSTOMER = "customer", _("Customer users")
    ANYONE = "anyone", _("Anyone")


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    audience: str = Audience.ANYONE
    default_delivery: str = Delivery.IMMEDIATE
    # Always at once by e-mail, whatever the preference (safety-claim alerts).
    mandatory: bool = False
    group: str = ""


_kinds: dict[str, Kind] = {}


def register(*kinds: Kind, group: str = "") -> None:
    """Make ``kinds`` known; ``group``: the heading the preferences page lists them under."""
    for kind in kinds:
        _kinds[kind.key] = replace(kind, group=group) if group else kind


def get(key: str) -> Kind:
    try:
        return _kinds[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}: register it first") from None


def all_kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: (str(kind.group), kind.key))


def kinds_for(user) -> list[Kind]:
    """The kinds ``user`` can receive (the preferences page lists these)."""
    internal = bool(getattr(user, "is_internal", False))
    excluded = Audience.CUSTOMER if internal else Audience.INTERNAL
    return [kind for kind in all_kinds() if kind.audience != excluded]
