"""Celery tasks of core: thin wrappers around one service each (DESIGN §7)."""

from celery import shared_task

from . import outbox


@shared_task(name="core.relay_outbox", ignore_result=True)
def relay_outbox() -> int:
    """Every minute (beat, migration 0003): send the tasks stored while the broker was away."""
    return outbox.relay().sent
