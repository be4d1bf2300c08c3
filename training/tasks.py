"""Celery tasks of the training register: thin wrappers around one service each (DESIGN §7)."""

from core.tasks import retried_task

from . import services


@retried_task("training.tasks.assign_due")
def assign_due() -> int:
    """Daily (beat, migration 0002): assign the training recently effective revisions need.
    Safe to run any number of times."""
    return services.assign_due()
