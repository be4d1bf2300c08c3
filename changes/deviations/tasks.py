"""Celery tasks of deviations and concessions: thin wrappers, ids in, one call each (DESIGN §7).

Registered through ``changes.tasks`` (the module Celery discovers). The two daily ones run from
beat: ``changes.deviations.expire`` and ``changes.deviations.send_warnings``. Requests and
decisions are notified by the services themselves (``notifications.notify``, in their transaction).
"""

from core.tasks import retried_task

from . import reminders, services


@retried_task("changes.deviations.expire")
def expire_deviations() -> int:
    """Daily: active deviations past their expiry date become expired (idempotent)."""
    return services.deviations_expire()


@retried_task("changes.deviations.send_warnings")
def send_deviation_warnings() -> dict:
    """Daily: tell each owner which active deviations are near their expiry or their cap."""
    return reminders.deviation_warnings_send()
