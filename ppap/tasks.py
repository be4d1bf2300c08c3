"""Celery tasks of the PPAP app: thin wrappers, ids in (DESIGN §7).

Submissions and dispositions are notified by the services themselves (``notifications.notify``,
inside their transaction).
"""

from celery import shared_task

_RETRY = {"acks_late": True, "autoretry_for": (Exception,), "retry_backoff": True, "max_retries": 3}


@shared_task(name="ppap.tasks.interim_approvals_daily", **_RETRY)
def interim_approvals_daily() -> dict:
    """Daily (beat): expire lapsed interim approvals and remind before expiry. Idempotent."""
    from . import services

    return {
        "expired": services.interim_approvals_expire(),
        "reminded": services.interim_reminders_send(),
    }
