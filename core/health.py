"""``/healthz``: is this web node able to serve? For load balancers and monitoring.

Answers ``{"status": "ok" | "degraded" | "down", "checks": {"database": …, "broker": …,
"storage": …}, "background": {"worker": …, "beat": …}}``; each check has ``ok``, ``latency_ms``
and, when it failed, ``error``; each background component has ``ok``, ``last_seen`` and
``seconds_ago`` from its heartbeat (``core.heartbeat``).

* database or storage down: status "down", HTTP 503 — take the node out of rotation;
* broker down, or the worker or beat silent for more than ``CQM_BACKGROUND_SILENT_AFTER``
  seconds: status "degraded", HTTP 200 — keep the node in rotation: requests that queue
  background work still succeed, because the work waits in the outbox (core/outbox.py) until the
  broker is back;
* everything answers: status "ok", HTTP 200.

No sign-in, no session, no cookies: ``ServiceUnavailableMiddleware`` answers this path before the
session and authentication middleware run, so the check itself never reads a session row. Error
texts name the kind of failure only, never a host, port or credential (those go to the log).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import heartbeat

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
STORAGE_PROBE_FOLDER = "healthz"
# Together at most about 1.5 s for a broker that accepts connections but never answers.
BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 0.75, "socket_timeout": 0.75}
STATUS_OK, STATUS_DEGRADED, STATUS_DOWN = "ok", "degraded", "down"
# Without these the node cannot serve at all; a missing broker only delays background work.
ESSENTIAL_CHECKS = ("database", "storage")


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    with current_app.connection_for_write(transport_options=BROKER_TRANSPORT_OPTIONS) as broker:
        # One attempt: opening the connection talks to the broker (Redis: a PING).
        broker.ensure_connection(max_retries=0, timeout=1.5)


def check_storage() -> None:
    """Write, read back and delete a small file where uploads and reports are stored."""
    content = b"ok"
    name = default_storage.save(
        f"{STORAGE_PROBE_FOLDER}/{uuid.uuid4().hex}.txt", ContentFile(content)
    )
    try:
        with default_storage.open(name, "rb") as stored:
            if stored.read() != content:
                raise OSError("the storage returned different content")
    finally:
        default_storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "broker": check_broker,
    "storage": check_storage,
}


def run_check(name: str, check: Callable[[], None]) -> dict:
    started = time.perf_counter()
    try:
        check()
    except Exception as error:  # any failure is a finding, reported rather than raised
        # One line per failure: load balancers ask every few seconds.
        logger.warning("Health check %s failed: %s: %s", name, type(error).__name__, error)
        return {
            "ok": False,
            "latency_ms": _elapsed_ms(started),
            # The kind of failure only: the exception text may name hosts or users.
            "error": _("%(check)s unreachable (%(kind)s)")
            % {"check": name, "kind": type(error).__name__},
        }
    return {"ok": True, "latency_ms": _elapsed_ms(started)}


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def health_report() -> tuple[int, dict]:
    """(HTTP status, body) for database, broker, storage and the background engine."""
    checks = {name: run_check(name, check) for name, check in CHECKS.items()}
    background = background_report() if checks["database"]["ok"] else {}
    if not all(checks[name]["ok"] for name in ESSENTIAL_CHECKS):
        status, http_status = STATUS_DOWN, 503
    elif not all(result["ok"] for result in (*checks.values(), *background.values())):
        status, http_status = STATUS_DEGRADED, 200
    else:
        status, http_status = STATUS_OK, 200
    return http_status, {"status": status, "checks": checks, "background": background}


def background_report() -> dict:
    """When the worker and the beat scheduler were last seen; silent ones are not ok."""
    now = timezone.now()
    try:
        components = heartbeat.status(now)
    except DatabaseError as error:
        logger.warning("Heartbeats unreadable: %s: %s", type(error).__name__, error)
        return {}
    return {name: item.as_dict(now) for name, item in components.items()}


@require_safe
def healthz(request):
    # Answered before LocaleMiddleware: the same language every time, whatever ran before.
    with translation.override(settings.LANGUAGE_CODE):
        http_status, body = health_report()
    response = JsonResponse(body, status=http_status)
    response["Cache-Control"] = "no-store"
    return response
