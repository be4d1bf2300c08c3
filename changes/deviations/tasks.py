"""Celery tasks of deviations and concessions: thin wrappers, ids in, one call each (DESIGN §7).

Registered through ``changes.tasks`` (the module Celery discovers). The two daily ones run from
beat: ``changes.deviations.expire`` and ``changes.deviations.send_warnings``. Requests and
decisions are notified by the services themselves (``notifications.notify``, in their transaction).
"""

from celery import shared_task

_RETRIED = {
    "acks_late": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "max_retries": 3,
}


@shared_task(name="changes.deviations.expire", **_RETRIED)
def expire_deviations() -> int:
    """Daily: active deviations past their expiry date become expired (idempotent)."""
    from .services import deviations_expire

    return deviations_expire()


@shared_task(name="changes.deviations.send_warnings", **_RETRIED)
def send_deviation_warnings() -> dict:
    """Daily: tell each owner which active deviations are near their expiry or their cap."""
    from .reminders import deviation_warnings_send

    return deviation_warnings_send()
