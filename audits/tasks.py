"""Celery tasks of the audits app: thin wrappers around one service each (DESIGN §7)."""

from celery import shared_task

from . import escalations


@shared_task(
    name="audits.tasks.escalate_overdue_findings",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
)
def escalate_overdue_findings() -> dict:
    """Daily (beat): notify the quality managers of overdue audit findings, once per day."""
    return escalations.escalate_overdue_findings()
