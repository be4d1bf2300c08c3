"""Celery tasks of the PPAP app: thin wrappers, ids in (DESIGN §7)."""

from celery import shared_task

from . import notifications

_RETRY = {"acks_late": True, "autoretry_for": (Exception,), "retry_backoff": True, "max_retries": 3}


@shared_task(name="ppap.tasks.interim_approvals_daily", **_RETRY)
def interim_approvals_daily() -> dict:
    """Daily (beat): expire lapsed interim approvals and remind before expiry. Idempotent."""
    from . import services

    expired = services.interim_approvals_expire()
    reminded = 0
    for pk in services.interim_reminders_due():
        if services.interim_reminder_mark(submission_id=pk):
            notifications.send_interim_reminder(pk)
            reminded += 1
    return {"expired": expired, "reminded": reminded}


@shared_task(name="ppap.tasks.notify_submitted", **_RETRY)
def notify_submitted(submission_id: int) -> None:
    notifications.send_submitted(submission_id)


@shared_task(name="ppap.tasks.notify_decided", **_RETRY)
def notify_decided(submission_id: int) -> None:
    notifications.send_decided(submission_id)
