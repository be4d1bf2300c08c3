"""Celery tasks of notifications: thin wrappers around one service each (DESIGN §7)."""

from core.tasks import retried_task

from . import delivery, services


@retried_task(services.DELIVER_TASK, max_retries=5, ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> int:
    """Mail the given notifications (queued through the outbox by ``notify``)."""
    return delivery.deliver(notification_ids)


@retried_task("notifications.send_digests", ignore_result=True)
def send_digests() -> int:
    """Mail each person their daily digest (scheduled by migration 0002)."""
    return delivery.send_digests()
