"""Which product tables a piece of work read: the inputs a cached figure depends on.

``core.data_version`` keeps a version per table; a cached figure is valid while the tables it was
computed from are unchanged, so a comment posted on one claim leaves the dashboard, the lists and
every other viewer's pages cached. To know those tables without every figure declaring them, the
statements sent to the database are watched while a figure is computed, and the names of tracked
tables are picked out of their SQL.

**Reading too much is safe, too little is not.** A table named anywhere in a statement counts, even
as a column alias or in a string: that only ends a cached figure early. What a figure must not miss
is a table read *before* its computation started, for instance the claim a view fetched and then
serialised inside the cached block. So a request records every table it reads from its first
statement on (``RequestReadsMiddleware``), and a figure computed in it depends on all of them, plus
what it read itself. Outside a request (a task, a shell) nobody recorded what came before, and a
figure depends on every table.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from contextvars import ContextVar

from django.db import connection

from .tracked import tracked_tables

# The sets being filled: the request's, then one per figure being computed inside it.
_recording: ContextVar[tuple[set[str], ...] | None] = ContextVar("core_reads", default=None)
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


@functools.cache
def _tracked() -> frozenset[str]:
    return frozenset(tracked_tables())


@functools.lru_cache(maxsize=4096)
def tables_in(sql: str) -> frozenset[str]:
    """The tracked tables a statement names (its parameters are separate: the text repeats)."""
    return _tracked().intersection(_IDENTIFIER.findall(sql.lower()))


def _record(execute, sql, params, many, context):
    recording = _recording.get()
    if recording:
        tables = tables_in(sql if isinstance(sql, str) else str(sql))
        if tables:
            for reads in recording:
                reads.update(tables)
    return execute(sql, params, many, context)


def is_recording() -> bool:
    """Whether the tables read so far are known (inside a request, or ``recording()``)."""
    return bool(_recording.get())


@contextlib.contextmanager
def recording() -> Iterator[set[str]]:
    """Record the tables read inside the block (and tell every enclosing recording too)."""
    reads: set[str] = set()
    outer = _recording.get() or ()
    token = _recording.set((*outer, reads))
    try:
        if outer:
            yield reads
        else:
            with connection.execute_wrapper(_record):
                yield reads
    finally:
        _recording.reset(token)


def so_far() -> frozenset[str]:
    """Every table read since the outermost recording (the request) began."""
    recording = _recording.get()
    return frozenset(recording[0]) if recording else frozenset()


def note(tables) -> None:
    """Tables read on someone's behalf: a figure served from the cache read them when computed."""
    for reads in _recording.get() or ():
        reads.update(tables)


class RequestReadsMiddleware:
    """Records every table a request reads, from the session and the user on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with recording():
            return self.get_response(request)
