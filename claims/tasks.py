"""Celery tasks of the claims app: thin wrappers around one service each (DESIGN §7)."""

from celery import shared_task

from . import escalations, reminders


@shared_task(
    name="claims.tasks.send_deadline_reminders",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
)
def send_deadline_reminders() -> dict:
    """Daily (beat, migration 0002): due-soon reminders and overdue escalations."""
    return reminders.deadline_reminders_send()


@shared_task(
    name="claims.tasks.escalate_unacknowledged",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
)
def escalate_unacknowledged() -> dict:
    """Every five minutes (beat, migration 0011): claims not acknowledged in time."""
    return escalations.escalations_send()
