"""Figures kept until the data they are computed from changes.

The dashboard aggregates a year of claims in a dozen grouped queries, and every manager opening it
would repeat them although nothing changed in between. ``cached`` computes such figures once per
*data version* and serves them from the cache until a product table is written again, so a cached
figure is never older than the data.

**The version.** Database triggers on every product table (installed after each ``migrate`` by
``install_triggers``) add a ``DataChange`` row with a random token for every statement that
writes. The version is the number of those rows and the sum of their tokens, read in one
statement:

- A counter incremented by every writer would serialise all writing transactions on one row;
  inserting rows never waits for another writer.
- Counting rows is exact when transactions commit out of order: every commit that becomes
  visible adds rows, so the version moves, whatever the order of the row ids.
- A transaction sees its own rows, so figures it computes after writing are cached under a
  version of its own; the token sum keeps that version from ever being reached by the state after
  a rollback (two different sets of random 50-bit tokens practically never sum alike).
- Statement-level triggers catch every write: services, bulk updates, imports, raw SQL, restores.

``compact`` folds old rows into one with the same totals, so the version costs a sum over a
handful of rows. SQLite (the no-services mode) runs one writer at a time: there the row triggers
update a single row.

**Per table.** Every row names the table written, and a cached figure keys on the version of the
tables it read (``core.reads``): one engineer's comment moves the version of the comments table
alone, and the lists, dashboards and API pages of every other viewer stay cached. Outside a request
the tables read before a figure was computed are unknown, and such a figure keys on every table.

**Time.** Some figures also depend on the clock (ages of open claims, overdue counts), so a cached
figure also ends after ``live_for`` seconds, whatever the data does.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import connections, transaction
from django.utils import timezone, translation

from . import reads
from .tracked import UNTRACKED_COLUMNS, tracked_models

T = TypeVar("T")
logger = logging.getLogger(__name__)

TRIGGER = "core_data_change"
LIVE_FOR_SECONDS = 60

_POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Not random(): a session may seed it (the volume seed does, to repeat its data).
    INSERT INTO core_datachange (table_name, changes, token)
    VALUES (TG_TABLE_NAME, 1, hashtextextended(gen_random_uuid()::text, 0) % 1000000000000000);
    RETURN NULL;
END
$$
"""
# One row per table (a unique index made by ``install_triggers``), updated in place.
_SQLITE_BODY = (
    "INSERT INTO core_datachange (table_name, changes, token) "
    "VALUES ('{table}', 1, abs(random() % 1e15)) "
    "ON CONFLICT (table_name) DO UPDATE SET changes = changes + 1, "
    "token = (token + excluded.token) % 1000000000000000000;"
)
_SQLITE_INDEX = (
    "CREATE UNIQUE INDEX IF NOT EXISTS core_datachange_one_per_table "
    "ON core_datachange (table_name)"
)
_VERSION_SQL = "SELECT COALESCE(SUM(changes), 0), COALESCE(SUM(token), 0) FROM core_datachange"
_TABLE_VERSIONS_SQL = (
    "SELECT table_name, SUM(changes), SUM(token) FROM core_datachange GROUP BY table_name"
)
# One statement, so that no row committed meanwhile is deleted without being summed.
_COMPACT_SQL = """
WITH folded AS (
    DELETE FROM core_datachange WHERE id < %s RETURNING table_name, changes, token
)
INSERT INTO core_datachange (table_name, changes, token)
SELECT table_name, SUM(changes), SUM(token) FROM folded GROUP BY table_name
"""


def _update_event(model, quote) -> str:
    """``UPDATE``, or ``UPDATE OF`` every column but those written without changing any figure."""
    ignored = UNTRACKED_COLUMNS.get(model._meta.db_table)
    if not ignored:
        return "UPDATE"
    columns = [f.column for f in model._meta.concrete_fields if f.column not in ignored]
    return "UPDATE OF " + ", ".join(map(quote, columns))


def install_triggers(using: str = "default") -> None:
    """Create (or replace) the triggers on every tracked table; idempotent, run after migrate."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    tracked = {table: model for table, model in tracked_models().items() if table in existing}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRESQL_FUNCTION)
            for table, model in tracked.items():
                events = f"INSERT OR {_update_event(model, quote)} OR DELETE OR TRUNCATE"
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER {events} ON {quote(table)} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
                )
        elif connection.vendor == "sqlite":
            cursor.execute(_SQLITE_INDEX)
            for table, model in tracked.items():
                for name, event in (
                    ("insert", "INSERT"),
                    ("update", _update_event(model, quote)),
                    ("delete", "DELETE"),
                ):
                    trigger = f"{TRIGGER}_{table}_{name}"
                    # Dropped first: the column list of an update trigger follows the model.
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
                    cursor.execute(
                        f"CREATE TRIGGER {trigger} AFTER {event} ON {quote(table)} "
                        f"BEGIN {_SQLITE_BODY.format(table=table)} END"
                    )


def version(using: str = "default", tables: Iterable[str] | None = None) -> str:
    """The version of ``tables`` (of every table when None): moves with every write to one."""
    if tables is not None:
        tables = sorted(tables)
        return _combined(table_versions(using, tables), tables) if tables else "0.0"
    with connections[using].cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        changes, tokens = cursor.fetchone()
    return f"{changes}.{tokens}"


def table_versions(
    using: str = "default", tables: list[str] | None = None
) -> dict[str, tuple[int, int]]:
    """The changes and token sum of ``tables`` (of every table when None), by table."""
    sql, params = _TABLE_VERSIONS_SQL, []
    if tables is not None:
        sql = sql.replace(
            " GROUP BY", f" WHERE table_name IN ({', '.join(['%s'] * len(tables))}) GROUP BY"
        )
        params = tables
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return {table: (int(changes), int(tokens)) for table, changes, tokens in cursor.fetchall()}


def _combined(versions: dict[str, tuple[int, int]], tables: Iterable[str]) -> str:
    """``version(tables=tables)`` from a map of ``table_versions``, as of when it was read."""
    changes = tokens = 0
    for table in tables:
        table_changes, table_tokens = versions.get(table, (0, 0))
        changes, tokens = changes + table_changes, tokens + table_tokens
    return f"{changes}.{tokens}"


def compact(using: str = "default") -> int:
    """Fold the rows before the newest into one with the same totals; returns how many rows went.

    The newest row stays, so that a log of one or two rows is left as it is.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0  # SQLite keeps a single row
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM core_datachange")
        newest = cursor.fetchone()[0]
        if newest is None:
            return 0
        cursor.execute("SELECT COUNT(*) FROM core_datachange WHERE id < %s", [newest])
        older = cursor.fetchone()[0]
        if older < 2:
            return 0
        cursor.execute(_COMPACT_SQL, [newest])
        return older


def cached(
    name: str,
    key: Iterable,
    compute: Callable[[], T],
    *,
    live_for: int = LIVE_FOR_SECONDS,
    own_reads_only: bool = False,
) -> T:
    """``compute()``, or what it returned before for the same ``name`` and ``key``, while the
    tables it was computed from have not changed since and at most ``live_for`` seconds ago.

    The tables are those the request read before and while computing; ``own_reads_only``: those
    read while computing, for a value that reads everything it depends on itself.

    The viewer's language and time zone are part of the key: figures carry translated labels and
    months in the viewer's zone. A cache that fails is logged and bypassed, never an error page.
    """
    parts = [
        name,
        *map(str, key),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        str(int(time.time() // live_for)),
    ]
    cache_key = "figures:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    try:
        entry = cache.get(cache_key)
    except Exception:  # the cache is an optimisation: serve the figures without it
        logger.warning("Figure cache unavailable; computing %s directly", name, exc_info=True)
        return compute()
    if not reads.is_recording():
        return _cached_on_every_table(cache_key, entry, compute, name, live_for)
    # One look at every table's version checks the entry and, when it is stale, dates the new
    # value. Read before computing: a write committed meanwhile may be in the value, and the next
    # look computes again; read after, the value could miss that write and pass as current.
    versions = table_versions()
    if entry is not None:
        tables, computed_at, value = entry
        if tables is not None and computed_at == _combined(versions, tables):
            reads.note(tables)
            return value
    with reads.recording() as own:
        value = compute()
    tables = frozenset(own) if own_reads_only else reads.so_far()
    _store(cache_key, (tables, _combined(versions, tables), value), name, live_for)
    return value


def _cached_on_every_table(cache_key, entry, compute, name, live_for):
    """Outside a request nobody knows what was read before: the version of every table counts."""
    current = version()
    if entry is not None and entry[0] is None and entry[1] == current:
        return entry[2]
    value = compute()
    _store(cache_key, (None, current, value), name, live_for)
    return value


def _store(cache_key: str, entry: tuple, name: str, live_for: int) -> None:
    try:
        cache.set(cache_key, entry, timeout=live_for)
    except Exception:
        logger.warning("Figure cache unavailable; %s not stored", name, exc_info=True)
