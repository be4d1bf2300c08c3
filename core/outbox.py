"""The one path for background work: a transactional outbox (DESIGN §7).

``enqueue(task, *args, **kwargs)`` is called inside a service's transaction and writes an
``OutboxMessage`` row *in that transaction*: the task exists exactly when the business change
does. Once the transaction commits, the same process publishes the row to the broker at once and
marks it sent (the fast path). A process that dies between the commit and the publish, or a broker
that cannot take the task, leaves the row unsent; ``relay()`` publishes it later: the
``core.relay_outbox`` task runs it every minute (schedule in migration 0003) and
``manage.py relay_outbox`` runs it by hand.

The fast path and the relay lock a row (``select_for_update(skip_locked=True)``) while they
publish it, so they never publish one row twice at the same time. Delivery is still at least
once (a process may die after publishing and before marking the row sent), so tasks are
idempotent (DESIGN §7): notification mails, for instance, lock their row and skip it once it is
marked e-mailed. Tasks sent this way are fire and forget: their results are not kept (their
effect is in the database), which also keeps an unreachable result store from holding up the
request.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Two attempts 0.2 s apart; with the socket timeouts below a silent broker costs about 1.2 s.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0.2,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# For Redis: without them a broker that accepts connections but never answers blocks for minutes.
PUBLISH_TRANSPORT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
RELAY_BATCH_SIZE = 100
# Sent messages are kept this long, to tell what was sent when.
KEEP_SENT_FOR = dt.timedelta(days=7)
# What became of one message in a relay run.
SENT, BROKER_DOWN, REJECTED = "sent", "broker_down", "rejected"
ERROR_MAX_LENGTH = 500


def _broker_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (BrokerOperationalError, OSError)
    try:  # the embedded broker (core/broker.py) cannot store a message
        from sqlalchemy.exc import OperationalError as SqlBrokerError
    except ImportError:
        pass
    else:
        errors = (*errors, SqlBrokerError)
    try:
        from redis import exceptions as redis_errors
    except ImportError:  # the embedded mode may run without the Redis client
        return errors
    return (*errors, redis_errors.ConnectionError, redis_errors.TimeoutError)


# What publishing raises when the broker is unreachable (kombu wraps most of them).
BROKER_ERRORS = _broker_errors()


class DispatchState:
    WAITING_FOR_COMMIT = "waiting_for_commit"
    SENT = "sent"
    STORED = "stored"


@dataclass
class Dispatch:
    """What became of one enqueued task: waiting for the commit, sent, or stored for the relay."""

    task: str
    args: list = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)
    state: str = DispatchState.WAITING_FOR_COMMIT
    outbox_id: int | None = None

    @property
    def pending(self) -> bool:
        """True while the task has not reached the broker (before the commit, or stored)."""
        return self.state != DispatchState.SENT


@dataclass
class RelayResult:
    sent: int = 0
    failed: int = 0
    waiting: int = 0
    broker_down: bool = False


def enqueue(task, *args, **kwargs) -> Dispatch:
    """Store ``task(*args, **kwargs)`` in the current transaction; publish it after the commit.

    ``task`` is the task's registered name (services name the tasks they queue: tasks call
    services, never the other way round) or the task itself. Arguments must be JSON-serialisable
    (ids, not objects). The returned ``Dispatch`` tells, after the commit, whether the task was
    sent or left for the relay.
    """
    name = task if isinstance(task, str) else task.name
    message = OutboxMessage.objects.create(task=name, args=list(args), kwargs=dict(kwargs))
    dispatch = Dispatch(task=name, args=list(args), kwargs=dict(kwargs), outbox_id=message.pk)
    transaction.on_commit(lambda: _publish_after_commit(task, dispatch))
    return dispatch


def _publish_after_commit(task, dispatch: Dispatch) -> None:
    """The fast path: publish the committed row now, unless the relay has it already."""
    app = current_app if isinstance(task, str) else task.app
    eager = app.conf.task_always_eager  # no broker in this mode: the task runs here
    try:
        with transaction.atomic():
            message = _lock_unsent(dispatch.outbox_id)
            if message is None:  # the relay is sending (or has sent) it
                dispatch.state = DispatchState.SENT
                return
            if eager:
                _mark_sent(message)
            else:
                _publish_locked(app, message)
    except BROKER_ERRORS as error:
        logger.warning("Broker unreachable; %s kept for the relay: %s", dispatch.task, error)
        _record_failure(dispatch.outbox_id, error)
        dispatch.state = DispatchState.STORED
        return
    dispatch.state = DispatchState.SENT
    if eager:
        registered_task(app, dispatch.task).apply_async(dispatch.args, dispatch.kwargs)


def registered_task(app, name: str):
    """The task registered as ``name``, importing the apps' tasks modules as a worker does."""
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def _lock_unsent(pk: int) -> OutboxMessage | None:
    return OutboxMessage.objects.unsent().select_for_update(skip_locked=True).filter(pk=pk).first()


def _publish_locked(app, message: OutboxMessage) -> None:
    with publishing_connection(app) as connection:
        publish(app, message.task, message.args, message.kwargs, connection=connection)
    message.attempts += 1
    _mark_sent(message)


def _mark_sent(message: OutboxMessage) -> None:
    message.sent_at = message.last_attempt_at = timezone.now()
    message.save(update_fields=["attempts", "last_attempt_at", "sent_at"])


def _record_failure(pk: int, error: BaseException) -> None:
    OutboxMessage.objects.filter(pk=pk, sent_at__isnull=True).update(
        error=describe(error), attempts=F("attempts") + 1, last_attempt_at=timezone.now()
    )


@contextmanager
def publishing_connection(app=None):
    """A broker connection of its own with short timeouts (not the shared producer pool)."""
    app = app or current_app
    with app.connection_for_write(transport_options=PUBLISH_TRANSPORT_OPTIONS) as connection:
        yield connection


def publish(app, task_name: str, args: Sequence, kwargs: dict, *, connection) -> None:
    """Publish one task by name with bounded retries; raises one of BROKER_ERRORS on failure."""
    app.signature(task_name, args=list(args), kwargs=dict(kwargs)).apply_async(
        connection=connection,
        ignore_result=True,
        retry=True,
        retry_policy=PUBLISH_RETRY_POLICY,
    )


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]


def is_pending(task_name: str, *args) -> bool:
    """True while a stored ``task_name(*args)`` waits for the relay."""
    return OutboxMessage.objects.unsent().filter(task=task_name, args=list(args)).exists()


def prune_sent(*, older_than: dt.timedelta = KEEP_SENT_FOR) -> int:
    """Forget messages sent long ago: the table holds what waits plus a week of history."""
    cutoff = timezone.now() - older_than
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


def relay(*, batch_size: int = RELAY_BATCH_SIZE, app=None) -> RelayResult:
    """Send the waiting messages, oldest first, and mark them sent.

    Stops at the first broker failure (the rest waits for the next run). A message that cannot be
    sent for another reason (e.g. arguments that no longer fit the task) keeps its error and stays
    waiting without holding up the others. Rows are locked while they are sent and rows
    locked by another relay are skipped, so two relays running at once never send one twice.
    """
    app = app or current_app
    result = RelayResult()
    while True:
        with transaction.atomic():
            batch = list(
                OutboxMessage.objects.unsent()
                .select_for_update(skip_locked=True)
                .order_by("created_at", "pk")[:batch_size]
            )
            outcomes = _relay_batch(app, batch)
        result.sent += outcomes.count(SENT)
        result.failed += len(outcomes) - outcomes.count(SENT)
        result.broker_down = BROKER_DOWN in outcomes
        # Another round only while full batches make progress: rejected rows come back first.
        if result.broker_down or len(batch) < batch_size or SENT not in outcomes:
            break
    result.waiting = OutboxMessage.objects.unsent().count()
    if result.sent or result.failed:
        sent, failed, waiting = result.sent, result.failed, result.waiting
        logger.info("Outbox relay: %s sent, %s failed, %s waiting", sent, failed, waiting)
    return result


def _relay_batch(app, batch: list[OutboxMessage]) -> list[str]:
    outcomes: list[str] = []
    if not batch:
        return outcomes
    with publishing_connection(app) as connection:
        for message in batch:
            outcomes.append(_relay_one(app, message, connection))
            if outcomes[-1] == BROKER_DOWN:
                break
    return outcomes


def _relay_one(app, message: OutboxMessage, connection) -> str:
    now = timezone.now()
    message.attempts += 1
    message.last_attempt_at = now
    try:
        publish(app, message.task, message.args, message.kwargs, connection=connection)
    except BROKER_ERRORS as error:
        return _keep_waiting(message, error, BROKER_DOWN)
    except Exception as error:
        logger.exception("Outbox message %s (%s) cannot be sent", message.pk, message.task)
        return _keep_waiting(message, error, REJECTED)
    message.sent_at = now
    message.save(update_fields=["attempts", "last_attempt_at", "sent_at"])
    return SENT


def _keep_waiting(message: OutboxMessage, error: BaseException, outcome: str) -> str:
    message.error = describe(error)
    message.save(update_fields=["attempts", "last_attempt_at", "error"])
    return outcome
