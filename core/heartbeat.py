"""Signs of life of the background engine: is a worker running, is the scheduler running?

Background work that stops must not stop silently (DESIGN §7). Every Celery worker writes a
heartbeat from a thread of its own (so a long report does not look like a dead worker), and the
beat scheduler writes one from its tick. ``status()`` reads the newest per component; a component
not seen for ``CQM_BACKGROUND_SILENT_AFTER`` seconds (5 minutes) is *silent*: ``/healthz`` says so
and managers and admins see a banner on every staff page.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import Max
from django.utils import timezone

from .models import Heartbeat

logger = logging.getLogger(__name__)
Component = Heartbeat.Component
STATUS_CACHE_KEY = "core:heartbeat-status"
# Rows of processes gone for this long are removed by the beat.
FORGET_AFTER = dt.timedelta(days=1)


def interval() -> float:
    return float(settings.CQM_HEARTBEAT_SECONDS)


def silent_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.CQM_BACKGROUND_SILENT_AFTER)


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def record(component: str, *, instance: str | None = None, now: dt.datetime | None = None) -> None:
    """Write ``component``'s heartbeat for this process (an upsert of one row)."""
    now = now or timezone.now()
    instance = instance or this_process()
    updated = Heartbeat.objects.filter(component=component, instance=instance).update(
        last_seen_at=now
    )
    if not updated:
        Heartbeat.objects.get_or_create(
            component=component,
            instance=instance,
            defaults={"started_at": now, "last_seen_at": now},
        )
    cache.delete(STATUS_CACHE_KEY)


def forget_stale(now: dt.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - FORGET_AFTER
    deleted, _ = Heartbeat.objects.filter(last_seen_at__lt=cutoff).delete()
    return deleted


@dataclass(frozen=True)
class ComponentStatus:
    component: str
    last_seen_at: dt.datetime | None
    silent: bool

    @property
    def label(self) -> str:
        return str(Component(self.component).label)

    def as_dict(self, now: dt.datetime) -> dict:
        seen = self.last_seen_at
        return {
            "ok": not self.silent,
            "last_seen": seen.isoformat() if seen else None,
            "seconds_ago": round((now - seen).total_seconds()) if seen else None,
        }


def status(now: dt.datetime | None = None) -> dict[str, ComponentStatus]:
    """The newest heartbeat per component, and whether it is silent (one query)."""
    now = now or timezone.now()
    newest = dict(
        Heartbeat.objects.values("component")
        .annotate(seen=Max("last_seen_at"))
        .values_list("component", "seen")
    )
    limit = silent_after()
    return {
        component: ComponentStatus(
            component, newest.get(component), _is_silent(newest.get(component), now, limit)
        )
        for component in Component.values
    }


def _is_silent(seen: dt.datetime | None, now: dt.datetime, limit: dt.timedelta) -> bool:
    return seen is None or now - seen > limit


def silent_components() -> list[ComponentStatus]:
    """The silent components, cached for a few seconds: the banner asks on every staff page."""
    cached = cache.get(STATUS_CACHE_KEY)
    if cached is None:
        cached = [item for item in status().values() if item.silent]
        cache.set(STATUS_CACHE_KEY, cached, timeout=max(1, int(interval())))
    return cached


def worker_is_running() -> bool:
    return not status()[Component.WORKER].silent


class HeartbeatThread(threading.Thread):
    """Writes a component's heartbeat every ``interval()`` seconds until stopped."""

    def __init__(self, component: str):
        super().__init__(name=f"cqm-heartbeat-{component}", daemon=True)
        self.component = component
        self.instance = this_process()
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.is_set():
            self.beat_once()
            self._stopped.wait(interval())
        connection.close()

    def beat_once(self) -> None:
        try:
            close_old_connections()
            record(self.component, instance=self.instance)
        except DatabaseError as error:  # the database is away: try again next time
            logger.warning("Heartbeat of %s not written: %s", self.component, error)
            connection.close()

    def stop(self) -> None:
        self._stopped.set()
