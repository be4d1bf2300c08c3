"""Celery tasks of core: thin wrappers around one service each (DESIGN §7)."""

from celery import shared_task

from . import data_version, outbox


@shared_task(name="core.relay_outbox", ignore_result=True)
def relay_outbox() -> int:
    """Every minute (beat, migration 0003): send what the fast path left behind, forget old rows."""
    sent = outbox.relay().sent
    outbox.prune_sent()
    return sent


@shared_task(name="core.compact_data_changes", ignore_result=True)
def compact_data_changes() -> int:
    """Every ten minutes (beat, migration 0006): keep the data version a sum over a few rows."""
    return data_version.compact()
