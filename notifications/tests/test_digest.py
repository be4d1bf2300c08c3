"""The daily digest: one mail per person, each notification once, on a schedule."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django_celery_beat.models import PeriodicTask

from notifications import delivery
from notifications.kinds import Delivery
from notifications.models import Notification
from notifications.tasks import send_digests

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_one_mail_per_person_and_a_second_run_sends_nothing(engineer, manager, german_engineer):
    NotificationFactory.create_batch(3, recipient=engineer, delivery=Delivery.DIGEST)
    NotificationFactory(recipient=manager, delivery=Delivery.DIGEST, title="For the manager")
    NotificationFactory(recipient=german_engineer, delivery=Delivery.DIGEST)
    NotificationFactory(recipient=manager, delivery=Delivery.PORTAL, title="Portal only")
    assert send_digests.delay().get() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [engineer.email, manager.email, german_engineer.email]
    )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[engineer.email].subject == "Your daily summary: 3 notifications"
    managers = by_address[manager.email]
    assert "For the manager" in managers.body and "Portal only" not in managers.body
    assert managers.alternatives[0][1] == "text/html"
    assert not Notification.objects.digest_due().exists()
    assert send_digests.delay().get() == 0
    assert len(mail.outbox) == 3


def test_inactive_people_get_no_digest(engineer):
    NotificationFactory(recipient=engineer, delivery=Delivery.DIGEST)
    engineer.is_active = False
    engineer.save(update_fields=["is_active"])
    assert delivery.send_digests() == 0
    assert mail.outbox == []


def test_a_long_digest_lists_the_newest_and_counts_the_rest(settings, engineer):
    NotificationFactory.create_batch(
        delivery.DIGEST_MAX_ITEMS + 5, recipient=engineer, delivery=Delivery.DIGEST
    )
    assert delivery.send_digests() == 1
    (message,) = mail.outbox
    assert message.subject == f"Your daily summary: {delivery.DIGEST_MAX_ITEMS + 5} notifications"
    assert "and 5 earlier notifications" in message.body
    assert not Notification.objects.digest_due().exists()


def test_the_digest_is_scheduled_daily():
    task = PeriodicTask.objects.get(task="notifications.send_digests")
    assert task.enabled and task.crontab is not None
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "6", "*")


# serialized_rollback: the flush after a transactional test would delete the schedules the
# migrations stored, which later tests read.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
def test_two_runs_at_once_never_mail_the_same_rows(engineer):
    NotificationFactory(recipient=engineer, delivery=Delivery.DIGEST)
    outcome = {}

    def other_run():
        try:
            outcome["sent"] = delivery.send_digests()
        finally:
            connections.close_all()

    with transaction.atomic():
        # This run holds the rows (as while it mails them); the other run skips, never waits.
        list(Notification.objects.digest_due().select_for_update())
        thread = threading.Thread(target=other_run)
        thread.start()
        thread.join(30)
    assert outcome == {"sent": 0}
    assert mail.outbox == []
    assert delivery.send_digests() == 1
