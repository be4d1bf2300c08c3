"""The outbox: tasks go to the broker after commit, wait in the database while it is unreachable,
and the relay sends each stored task once when it is back.

The Celery app leaves eager mode for these tests and publishes to a real transport: the in-memory
broker (reachable) or Redis on a local port where nothing listens (unreachable).
"""

import socket
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django_celery_beat.models import PeriodicTask

from core import outbox
from core.models import OutboxMessage
from core.tasks import relay_outbox
from cqm_portal.celery import app as celery_app
from cqm_portal.celery import ping

ON_POSTGRES = connection.vendor == "postgresql"


def unreachable_broker_url() -> str:
    """A Redis URL on a local port that was free a moment ago: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def queued_tasks() -> list[tuple[str, list, dict]]:
    """Take every message from the default queue: (task name, args, kwargs) each."""
    taken = []
    with celery_app.connection_for_read() as broker:
        queue = broker.SimpleQueue(celery_app.conf.task_default_queue, no_ack=True)
        try:
            while True:
                try:
                    message = queue.get(block=False)
                except queue.Empty:
                    break
                args, kwargs, _embed = message.decode()
                taken.append((message.headers["task"], args, kwargs))
        finally:
            queue.close()
    return taken


@pytest.fixture
def broker(settings, monkeypatch):
    """Publish for real: ``broker.up()`` the in-memory broker, ``broker.down()`` a dead Redis."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # it would win over the settings
    settings.CELERY_TASK_ALWAYS_EAGER = False

    class Broker:
        def up(self):
            settings.CELERY_BROKER_URL = "memory://"

        def down(self):
            settings.CELERY_BROKER_URL = unreachable_broker_url()

    switch = Broker()
    switch.up()
    queued_tasks()  # start from an empty queue
    yield switch
    switch.up()
    queued_tasks()


@pytest.fixture
def stored(broker, django_capture_on_commit_callbacks):
    """``stored()``: enqueue ``ping`` while the broker is down, commit; the broker is up again."""

    def store_one() -> OutboxMessage:
        broker.down()
        with django_capture_on_commit_callbacks(execute=True):
            dispatch = outbox.enqueue(ping)
        broker.up()
        return OutboxMessage.objects.get(pk=dispatch.outbox_id)

    return store_one


@pytest.mark.django_db
class TestEnqueue:
    def test_the_task_is_written_in_the_transaction_and_sent_on_commit(
        self, broker, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            dispatch = outbox.enqueue(ping)
            assert dispatch.state == outbox.DispatchState.WAITING_FOR_COMMIT
            assert queued_tasks() == []  # not before the commit
            written = OutboxMessage.objects.get()  # but already a row of the transaction
            assert written.pk == dispatch.outbox_id and written.sent_at is None

        assert dispatch.state == outbox.DispatchState.SENT
        assert not dispatch.pending
        assert queued_tasks() == [("cqm_portal.ping", [], {})]
        message = OutboxMessage.objects.get()
        assert message.sent_at is not None and message.attempts == 1
        assert not outbox.is_pending("cqm_portal.ping")

    def test_the_relay_does_not_send_again_what_the_fast_path_sent(
        self, broker, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            outbox.enqueue(ping)

        assert outbox.relay().sent == 0
        assert queued_tasks() == [("cqm_portal.ping", [], {})]

    def test_a_rolled_back_transaction_sends_nothing(
        self, broker, django_capture_on_commit_callbacks
    ):
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            outbox.enqueue(ping)
            raise RuntimeError("the service failed")

        assert callbacks == []
        assert queued_tasks() == []
        assert not OutboxMessage.objects.exists()

    def test_an_unreachable_broker_stores_the_task(
        self, broker, django_capture_on_commit_callbacks
    ):
        broker.down()
        with django_capture_on_commit_callbacks(execute=True):
            dispatch = outbox.enqueue(ping)

        message = OutboxMessage.objects.get()
        assert dispatch.state == outbox.DispatchState.STORED
        assert dispatch.pending and dispatch.outbox_id == message.pk
        assert (message.task, message.args, message.kwargs) == ("cqm_portal.ping", [], {})
        assert message.attempts == 1 and message.last_attempt_at is not None
        assert message.sent_at is None
        assert message.error.startswith("OperationalError")
        assert outbox.is_pending("cqm_portal.ping")

    def test_pending_is_per_task_and_arguments(self, stored):
        stored()
        message = OutboxMessage.objects.get()
        message.task, message.args = "metrics.generate_report", [7]
        message.save()

        assert outbox.is_pending("metrics.generate_report", 7)
        assert not outbox.is_pending("metrics.generate_report", 8)
        assert not outbox.is_pending("cqm_portal.ping")


@pytest.mark.django_db
class TestRelay:
    def test_relay_sends_the_stored_task_and_marks_it_sent(self, stored):
        message = stored()

        result = outbox.relay()

        message.refresh_from_db()
        assert (result.sent, result.failed, result.waiting) == (1, 0, 0)
        assert queued_tasks() == [("cqm_portal.ping", [], {})]
        assert message.sent_at is not None and message.attempts == 2
        assert not outbox.is_pending("cqm_portal.ping")

    def test_relay_twice_sends_once(self, stored):
        stored()

        first, second = outbox.relay(), outbox.relay()

        assert (first.sent, second.sent) == (1, 0)
        assert queued_tasks() == [("cqm_portal.ping", [], {})]

    def test_relay_with_the_broker_still_down_keeps_every_message(self, broker, stored):
        older, newer = stored(), stored()
        broker.down()

        result = outbox.relay()

        older.refresh_from_db()
        newer.refresh_from_db()
        assert result.broker_down and (result.sent, result.failed, result.waiting) == (0, 1, 2)
        assert older.attempts == 2 and older.error.startswith("OperationalError")
        assert newer.attempts == 1, "the relay stops at the first failure"
        assert older.sent_at is None and newer.sent_at is None

    def test_a_message_that_cannot_be_sent_does_not_hold_up_the_others(self, stored):
        broken, _good = stored(), stored()
        broken.kwargs = {"unexpected": 1}  # ping takes no arguments
        broken.save()

        result = outbox.relay()

        broken.refresh_from_db()
        assert (result.sent, result.failed, result.broker_down) == (1, 1, False)
        assert queued_tasks() == [("cqm_portal.ping", [], {})]
        assert broken.sent_at is None and "unexpected" in broken.error

    def test_small_batches_send_everything_in_order(self, stored):
        messages = [stored() for _ in range(3)]
        for number, message in enumerate(messages):
            message.task, message.args = "metrics.generate_report", [number]
            message.save()

        result = outbox.relay(batch_size=2)

        assert result.sent == 3
        assert queued_tasks() == [("metrics.generate_report", [n], {}) for n in range(3)]

    def test_command_reports_what_it_sent(self, stored, capsys):
        stored()

        call_command("relay_outbox")

        assert "1 sent, 0 failed, 0 still waiting." in capsys.readouterr().out
        assert queued_tasks() == [("cqm_portal.ping", [], {})]

    def test_command_fails_while_the_broker_is_down(self, broker, stored):
        message = stored()
        broker.down()

        with pytest.raises(CommandError, match="still unreachable"):
            call_command("relay_outbox")

        message.refresh_from_db()
        assert message.sent_at is None

    def test_the_scheduled_task_relays(self, stored):
        stored()

        assert relay_outbox() == 1
        assert queued_tasks() == [("cqm_portal.ping", [], {})]

    def test_the_relay_runs_every_minute(self):
        schedule = PeriodicTask.objects.get(task="core.relay_outbox")

        assert schedule.enabled
        assert (schedule.interval.every, schedule.interval.period) == (1, "minutes")


@pytest.mark.skipif(not ON_POSTGRES, reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_message_locked_by_another_relay_is_skipped_not_sent_twice(broker, stored):
    busy, free = stored(), stored()
    locked, release = threading.Event(), threading.Event()

    def other_relay_holds_a_row():
        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=busy.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=other_relay_holds_a_row)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        first = outbox.relay()
    finally:
        release.set()
        holder.join(timeout=30)
    second = outbox.relay()

    busy.refresh_from_db()
    free.refresh_from_db()
    assert (first.sent, second.sent) == (1, 1)
    assert busy.sent_at is not None and free.sent_at is not None
    assert len(queued_tasks()) == 2
