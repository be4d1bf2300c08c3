"""A streaming read replica for the heavy reads: the figures, the reports and the exports.

With ``DATABASE_REPLICA_URL`` set, the settings add the database alias ``replica`` and install
``ReplicaRouter``. The rule of what reads where:

* Reads inside ``reads()`` (a context manager and decorator) go to the replica: the dashboard
  figures, the monthly report's figures, the CSV exports and the ppm and KPI API mark theirs.
* Every other read goes to the primary: records, lists, forms, every step of a workflow.
* So does every read inside a write (the primary connection is in a ``transaction.atomic``
  block) and every read after the request or task has written (read your own writes): a figure
  shown right after a change includes the change.
* Every write goes to the primary, always (a hot standby refuses writes anyway).

A replica replays the primary's changes with a lag (usually well under a second): a figure read
there may be that much older than the data. Records are never read there, so nobody edits or
decides on stale data.

Without the alias, ``reads()`` changes nothing and no router is installed.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import TypeVar

from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PRIMARY = DEFAULT_DB_ALIAS
T = TypeVar("T")

# Inside ``reads()``: None outside, else whether the block may read after the unit's own writes.
_marked: ContextVar[bool | None] = ContextVar("core_replica_reads", default=None)
# Whether the current request or task has written: then it reads its own writes on the primary.
_wrote: ContextVar[bool] = ContextVar("core_replica_wrote", default=False)


def configured() -> bool:
    """Whether a replica alias is configured (``DATABASE_REPLICA_URL``)."""
    return REPLICA in connections.settings


@contextlib.contextmanager
def reads(*, despite_own_writes: bool = False) -> Iterator[None]:
    """Reads inside the block may come from the replica (see the module's rule).

    ``despite_own_writes``: for a block that never reads what its request or task wrote before,
    such as a report's figures computed after the report row was marked running.
    """
    token = _marked.set(despite_own_writes)
    try:
        yield
    finally:
        _marked.reset(token)


def reading(function: Callable[..., T]) -> Callable[..., T]:
    """Decorator: ``function``'s reads may come from the replica."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with reads():
            return function(*args, **kwargs)

    return wrapper


def read_each(items: Iterable[T]) -> Iterator[T]:
    """``items`` with each one produced inside ``reads()``: for a lazily read stream, such as an
    export sent after its view returned. The mark is set only while an item is produced, never
    while the stream waits between items for other code to run."""
    iterator = iter(items)
    while True:
        with reads():
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


def read_alias() -> str:
    """Where a read issued right now goes: the replica or the primary."""
    despite_own_writes = _marked.get()
    if despite_own_writes is None or not configured():
        return PRIMARY
    if connections[PRIMARY].in_atomic_block:
        return PRIMARY  # a read inside a write sees the write's own state
    if _wrote.get() and not despite_own_writes:
        return PRIMARY
    return REPLICA


def note_write() -> None:
    """From now on the request or task reads its own writes: the primary only."""
    _wrote.set(True)


def start_unit_of_work(**_kwargs) -> None:
    """A new request or task has written nothing yet."""
    _wrote.set(False)


def _start_task(sender=None, task=None, **_kwargs) -> None:
    # A task run eagerly inside a request belongs to the request: what either wrote counts.
    if task is not None and getattr(task.request, "is_eager", False):
        return
    start_unit_of_work()


def connect_signals() -> None:
    """Each request and each task a worker runs starts as a unit that has written nothing."""
    from celery.signals import task_prerun

    request_started.connect(start_unit_of_work, dispatch_uid="core.replica.request")
    task_prerun.connect(_start_task, dispatch_uid="core.replica.task", weak=False)


class ReplicaRouter:
    """Routes the reads marked by ``reads()`` to the replica; everything else to the primary.

    Answers explicitly (never None) while the replica is configured: an instance read from the
    replica must not pull its related records from there outside a marked block, nor be saved
    there.
    """

    def db_for_read(self, model, **hints):
        if not configured():
            return None
        return read_alias()

    def db_for_write(self, model, **hints):
        if not configured():
            return None
        note_write()
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: a record read there may refer to one
        # read here.
        databases = {PRIMARY, REPLICA}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica receives the schema by replication; it cannot be migrated itself.
        return db == PRIMARY
