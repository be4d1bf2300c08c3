"""Celery tasks of surveys: thin wrappers around one service each (DESIGN §7)."""

from core.tasks import retried_task

from . import schedule


@retried_task("surveys.tasks.run_surveys")
def run_surveys() -> dict:
    """Daily (beat): open the scheduled campaigns, send invitations and reminders once, close."""
    return schedule.run_daily()
