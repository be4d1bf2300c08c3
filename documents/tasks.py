"""Celery tasks of controlled documents: thin wrappers around one service each (DESIGN §7)."""

from core.tasks import retried_task

from . import services


@retried_task("documents.tasks.run_daily")
def run_daily() -> dict:
    """Daily (beat, migration 0002): bring approved revisions into effect on their date, and
    remind owners of periodic reviews once per due date. Safe to run any number of times."""
    return {
        "effective": services.revisions_make_due_effective(),
        "reminded": services.send_review_reminders(),
    }
