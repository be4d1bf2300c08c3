"""Celery tasks of accounts: thin wrappers around one service each (DESIGN §7)."""

from core.tasks import retried_task

from . import invitations, services


@retried_task(services.INVITATION_TASK, ignore_result=True)
def send_invitation(user_id: int, inviter_id: int | None = None) -> bool:
    """Mail an invitation (queued through the outbox by ``services.user_invite``)."""
    return invitations.send_invitation(user_id, inviter_id)
