"""Reads of notifications: a person's list, their unread count and their preferences.

Notifications are personal and change with every read, so nothing here is cached per data
version (``core.data_version`` does not track these tables): counts are counted, never cached.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import kinds as kind_registry
from .kinds import Delivery, Kind
from .models import Notification, NotificationPreference

# The bell counts at most this many (and then shows "99+"): its cost does not grow with a backlog.
UNREAD_CAP = 100


@dataclass(frozen=True)
class UnreadCount:
    count: int

    @property
    def label(self) -> str:
        return f"{UNREAD_CAP - 1}+" if self.count >= UNREAD_CAP else str(self.count)

    def __bool__(self) -> bool:
        return self.count > 0


def unread_count(user) -> UnreadCount:
    """One query on the partial index of unread notifications, counted up to ``UNREAD_CAP``."""
    if not (user and user.is_authenticated):
        return UnreadCount(0)
    rows = Notification.objects.visible_to(user).unread().order_by().values("pk")[:UNREAD_CAP]
    return UnreadCount(rows.count())


def notifications_for(user, *, unread_only: bool = False):
    """``user``'s notifications, newest first."""
    rows = Notification.objects.visible_to(user)
    if unread_only:
        rows = rows.unread()
    return rows.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class PreferenceRow:
    kind: Kind
    delivery: str

    @property
    def mandatory(self) -> bool:
        return self.kind.mandatory

    @property
    def delivery_label(self) -> str:
        return Delivery(self.delivery).label


def preferences_for(user) -> list[PreferenceRow]:
    """Each kind ``user`` can receive with the way they hear of it (their choice or the default).

    A mandatory kind always reads "at once by e-mail", whatever an old row says. One query.
    """
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    rows = []
    for kind in kind_registry.kinds_for(user):
        if kind.mandatory:
            delivery = Delivery.IMMEDIATE
        else:
            delivery = chosen.get(kind.key) or kind.default_delivery
        rows.append(PreferenceRow(kind=kind, delivery=str(delivery)))
    return rows


def preferences_grouped(user) -> list[tuple[str, list[PreferenceRow]]]:
    """``preferences_for`` in the kinds' groups, in registry order."""
    groups: dict[str, list[PreferenceRow]] = {}
    for row in preferences_for(user):
        groups.setdefault(str(row.kind.group), []).append(row)
    return list(groups.items())
