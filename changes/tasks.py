"""Celery tasks of the changes module: thin wrappers around one call each (DESIGN §7).

Notifications are no tasks of their own: the services call ``notifications.notify`` inside their
transaction, which queues the mail through the outbox.
"""

from celery import shared_task

from . import reminders


@shared_task(
    name="changes.tasks.send_decision_reminders",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
)
def send_decision_reminders() -> dict:
    """Daily (beat): remind customers about change notices pending longer than their CSR says."""
    return reminders.decision_reminders_send()


# --- Deviations and concessions ---
from changes.deviations.tasks import *  # noqa: E402, F403
