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

**Time.** Some figures also depend on the clock (ages of open claims, overdue counts), so a cached
figure also ends after ``live_for`` seconds, whatever the data does.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db import connections, transaction
from django.utils import timezone, translation

T = TypeVar("T")
logger = logging.getLogger(__name__)

# The apps whose tables are product data; history tables change with their records anyway.
PRODUCT_APPS = ("core", "accounts", "customers", "claims", "changes", "ppap", "audits", "metrics")
# Tables written by every task run or API call that nothing cached is computed from.
UNTRACKED_TABLES = frozenset(
    {"core_datachange", "core_outboxmessage", "core_heartbeat", "accounts_apitoken"}
)
# Columns written on every sign-in: a user's role, company or name still move the version.
UNTRACKED_COLUMNS = {"accounts_user": frozenset({"last_login"})}
TRIGGER = "core_data_change"
LIVE_FOR_SECONDS = 60

_POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Not random(): a session may seed it (the volume seed does, to repeat its data).
    INSERT INTO core_datachange (changes, token)
    VALUES (1, hashtextextended(gen_random_uuid()::text, 0) % 1000000000000000);
    RETURN NULL;
END
$$
"""
_SQLITE_BODY = (
    "INSERT INTO core_datachange (id, changes, token) VALUES (1, 1, abs(random() % 1e15)) "
    "ON CONFLICT (id) DO UPDATE SET changes = changes + 1, "
    "token = (token + excluded.token) % 1000000000000000000;"
)
_VERSION_SQL = "SELECT COALESCE(SUM(changes), 0), COALESCE(SUM(token), 0) FROM core_datachange"
# One statement, so that no row committed meanwhile is deleted without being summed.
_COMPACT_SQL = """
WITH folded AS (
    DELETE FROM core_datachange WHERE id < %s RETURNING changes, token
)
INSERT INTO core_datachange (changes, token)
SELECT SUM(changes), SUM(token) FROM folded HAVING COUNT(*) > 0
"""


def tracked_tables() -> list[str]:
    """The product apps' tables and their many-to-many tables; not history, not bookkeeping."""
    return sorted(_tracked_models())


def _tracked_models() -> dict:
    models = {}
    for app in PRODUCT_APPS:
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            table = model._meta.db_table
            if model._meta.managed and not table.split("_", 1)[1].startswith("historical"):
                models[table] = model
    for table in UNTRACKED_TABLES:
        models.pop(table, None)
    return models


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
    tracked = {table: model for table, model in _tracked_models().items() if table in existing}
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
                        f"BEGIN {_SQLITE_BODY} END"
                    )


def version(using: str = "default") -> str:
    with connections[using].cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        changes, tokens = cursor.fetchone()
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
    name: str, key: Iterable, compute: Callable[[], T], *, live_for: int = LIVE_FOR_SECONDS
) -> T:
    """``compute()``, or what it returned before for the same ``name`` and ``key``, while the data
    has not changed since and at most ``live_for`` seconds ago.

    The viewer's language and time zone are part of the key: figures carry translated labels and
    months in the viewer's zone. A cache that fails is logged and bypassed, never an error page.
    """
    parts = [
        name,
        *map(str, key),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        str(int(time.time() // live_for)),
        version(),
    ]
    cache_key = "figures:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    try:
        hit = cache.get(cache_key)
    except Exception:  # the cache is an optimisation: serve the figures without it
        logger.warning("Figure cache unavailable; computing %s directly", name, exc_info=True)
        return compute()
    if hit is not None:
        return hit
    value = compute()
    try:
        cache.set(cache_key, value, timeout=live_for)
    except Exception:
        logger.warning("Figure cache unavailable; %s not stored", name, exc_info=True)
    return value
