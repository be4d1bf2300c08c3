"""Celery tasks of the changes module: thin wrappers around one call each (DESIGN §7).

Notifications are no tasks of their own: the services call ``notifications.notify`` inside their
transaction, which queues the mail through the outbox.
"""

# Celery discovers ``changes.tasks`` only: the deviations' tasks register by being imported here.
from changes.deviations.tasks import expire_deviations, send_deviation_warnings
from core.tasks import retried_task

from . import reminders

__all__ = ["expire_deviations", "send_decision_reminders", "send_deviation_warnings"]


@retried_task("changes.tasks.send_decision_reminders")
def send_decision_reminders() -> dict:
    """Daily (beat): remind customers about change notices pending longer than their CSR says."""
    return reminders.decision_reminders_send()
