"""Celery tasks of core: thin wrappers around one service each (DESIGN §7)."""

from celery import shared_task
from django.core.cache import cache

from . import data_version, downloads, outbox

PRUNE_DOCUMENTS_EVERY_SECONDS = 3600


def retried_task(name: str, *, max_retries: int = 3, **options):
    """A task that is safe to run again (DESIGN §7), registered under ``name``.

    Acknowledged only once it has run, so a worker lost midway leaves it to another; retried with
    backoff on any error, ``max_retries`` times.
    """
    return shared_task(
        name=name,
        acks_late=True,
        autoretry_for=(Exception,),
        retry_backoff=True,
        max_retries=max_retries,
        **options,
    )


@shared_task(name="core.relay_outbox", ignore_result=True)
def relay_outbox() -> int:
    """Every minute (beat, migration 0003): send what the fast path left behind, forget old rows."""
    sent = outbox.relay().sent
    outbox.prune_sent()
    # Kept PDFs are pruned on the same schedule, but at most once an hour (it lists a folder).
    if cache.add("core:prune-documents", True, PRUNE_DOCUMENTS_EVERY_SECONDS):
        downloads.prune()
    return sent


@shared_task(name="core.compact_data_changes", ignore_result=True)
def compact_data_changes() -> int:
    """Every ten minutes (beat, migration 0006): keep the data version a sum over a few rows."""
    return data_version.compact()


@shared_task(name="core.render_document", ignore_result=True)
def render_document_task(kind_name: str, pk: int, language: str, viewer_id=None) -> str:
    """Make one heavy PDF asked for on a page or through the API, and keep it (core.downloads)."""
    return downloads.render_document(kind_name, pk, language, viewer_id)
