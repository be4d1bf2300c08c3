"""Celery tasks of the audits app: thin wrappers around one service each (DESIGN §7)."""

from core.tasks import retried_task

from . import escalations


@retried_task("audits.tasks.escalate_overdue_findings")
def escalate_overdue_findings() -> dict:
    """Daily (beat): notify the quality managers of overdue audit findings, once per day."""
    return escalations.escalate_overdue_findings()
