"""Celery tasks of the PPAP app: thin wrappers, ids in (DESIGN §7).

Submissions and dispositions are notified by the services themselves (``notifications.notify``,
inside their transaction).
"""

from core.tasks import retried_task

from . import services


@retried_task("ppap.tasks.interim_approvals_daily")
def interim_approvals_daily() -> dict:
    """Daily (beat): expire lapsed interim approvals and remind before expiry. Idempotent."""
    return {
        "expired": services.interim_approvals_expire(),
        "reminded": services.interim_reminders_send(),
    }
