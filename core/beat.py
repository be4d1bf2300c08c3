"""The beat scheduler of the portal: django-celery-beat's, with a heartbeat.

``CELERY_BEAT_SCHEDULER`` points here. The scheduler ticks at least every few seconds; on a tick
at least ``CQM_HEARTBEAT_SECONDS`` after the last heartbeat it writes the next one, so a beat that
died (or hangs) shows as silent on ``/healthz`` and in the managers' banner.
"""

from __future__ import annotations

import time

from django.db import DatabaseError
from django_celery_beat.schedulers import DatabaseScheduler

from . import heartbeat


class HeartbeatScheduler(DatabaseScheduler):
    _last_heartbeat = 0.0

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - self._last_heartbeat >= heartbeat.interval():
            self._last_heartbeat = now
            try:
                heartbeat.record(heartbeat.Component.BEAT)
                heartbeat.forget_stale()
            except DatabaseError as error:
                heartbeat.logger.warning("Beat heartbeat not written: %s", error)
        return super().tick(*args, **kwargs)
