"""Celery tasks of the claims app: thin wrappers around one service each (DESIGN §7)."""

from core.tasks import retried_task

from . import escalations, provisional, reminders


@retried_task("claims.tasks.send_deadline_reminders")
def send_deadline_reminders() -> dict:
    """Daily (beat, migration 0002): due-soon reminders and overdue escalations, and the
    reminders of effectiveness evidence due on provisionally accepted 8Ds."""
    return {**reminders.deadline_reminders_send(), **provisional.provisional_reminders_send()}


@retried_task("claims.tasks.escalate_unacknowledged")
def escalate_unacknowledged() -> dict:
    """Every five minutes (beat, migration 0011): claims not acknowledged in time."""
    return escalations.escalations_send()
