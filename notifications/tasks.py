"""Celery tasks of notifications: thin wrappers around one service each (DESIGN §7)."""

from celery import shared_task

from . import delivery


@shared_task(
    name="notifications.deliver",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def deliver_notifications(notification_ids: list[int]) -> int:
    """Mail the given notifications (queued through the outbox by ``notify``)."""
    return delivery.deliver(notification_ids)


@shared_task(
    name="notifications.send_digests",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
    ignore_result=True,
)
def send_digests() -> int:
    """Mail each person their daily digest (scheduled by migration 0002)."""
    return delivery.send_digests()
