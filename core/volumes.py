"""Volume data for performance work: the framework behind ``manage.py seed_volume``.

Each app may provide a ``volume`` module (like ``demo``) with

- ``seed(ctx: VolumeContext) -> dict[str, int]``: add its share of the data, return row counts;
- ``reset(ctx: VolumeContext) -> None``: remove exactly the rows its ``seed`` added;
- ``exists() -> bool``: whether its volume rows are present;
- ``TABLES``: the tables it fills, analysed afterwards.

Modules run in INSTALLED_APPS order (a module finds the rows of the apps it depends on) and are
reset in reverse order. New record types (changes, PPAP, audits) join by adding their own
``volume.py``; nothing here knows an app by name.

Volume rows are recognisable by the ``VOL`` prefix of a natural key (customer code, part number,
delivery note), so a reset never touches demo or production records. Big tables are filled with
``INSERT … SELECT generate_series`` on the server: no rows travel through Python. PostgreSQL's
``random()`` after ``setseed`` makes every run with the same seed produce the same data.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from dataclasses import dataclass, field
from types import ModuleType

from django.apps import apps
from django.db import connection

# Customer codes and part numbers of volume rows start with this; demo data never does.
PREFIX = "VOL"

# Scale 1: a mid-size supplier after five years, the volume the performance targets hold at.
TARGETS = {
    "customers": 20,
    "parts": 2_000,
    "claims": 200_000,
    "deliveries": 2_000_000,
    "changes": 4_000,
    "deviations": 1_000,
    "ppap": 6_000,
    "audits": 600,
}
# Even the smallest scale keeps enough rows for every page to have something to show (and, for
# the record types with a lifecycle, enough to reach most statuses).
MINIMUMS = {
    "customers": 2,
    "parts": 6,
    "claims": 60,
    "deliveries": 500,
    "changes": 40,
    "deviations": 20,
    "ppap": 40,
    "audits": 30,
}
YEARS = 5


@dataclass
class VolumeContext:
    scale: float = 1.0
    seed: int = 42
    today: dt.date = field(default_factory=dt.date.today)
    stdout: object = None

    def count(self, kind: str) -> int:
        return max(MINIMUMS[kind], round(TARGETS[kind] * self.scale))

    @property
    def start(self) -> dt.date:
        """The first day of the spread: the records cover ``YEARS`` years up to today."""
        return self.today - dt.timedelta(days=365 * YEARS)

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def execute(self, sql: str, params=None) -> int:
        """Run one statement with the RNG seeded for it; the number of rows it touched."""
        with connection.cursor() as cursor:
            # One seed per statement: each table's data stays the same whatever runs before it.
            cursor.execute("SELECT setseed(%s)", [((self.seed * 7919 + len(sql)) % 1000) / 1000])
            cursor.execute(sql, params)
            return cursor.rowcount


# Moves a ``core.numbering`` sequence on past the highest number of its kind in each year, so the
# next record filed through a service gets the next free number (numbers: PREFIX-YYYY-NNNNN).
_ADVANCE_SEQUENCES = """
INSERT INTO core_sequence (prefix, year, last_value)
SELECT %(prefix)s, split_part(number, '-', 2)::int, max(split_part(number, '-', 3)::int)
FROM {table} WHERE number ~ %(pattern)s
GROUP BY 2
ON CONFLICT (prefix, year)
DO UPDATE SET last_value = greatest(core_sequence.last_value, EXCLUDED.last_value)
"""

# After a reset: each year's sequence goes back to the highest number still in use (the numbers of
# the removed volume rows are given back, so the next seed or filing continues without a gap).
_REWIND_SEQUENCES = """
UPDATE core_sequence q SET last_value = coalesce((
    SELECT max(split_part(t.number, '-', 3)::int) FROM {table} t
    WHERE t.number ~ %(pattern)s AND t.number LIKE %(prefix)s || '-' || q.year || '-%%'), 0)
WHERE q.prefix = %(prefix)s
"""


def _sequence_params(prefix: str) -> dict:
    return {"prefix": prefix, "pattern": f"^{prefix}-[0-9]{{4}}-[0-9]+$"}


def advance_sequences(ctx: VolumeContext, prefix: str, table: str) -> None:
    """Move the ``prefix`` sequences past the numbers ``table`` now holds."""
    ctx.execute(_ADVANCE_SEQUENCES.format(table=table), _sequence_params(prefix))


def rewind_sequences(prefix: str, table: str) -> None:
    """Give the numbers of removed rows back: each year continues after the highest left."""
    with connection.cursor() as cursor:
        cursor.execute(_REWIND_SEQUENCES.format(table=table), _sequence_params(prefix))


def delete_rows(statements: list[str], params: dict) -> None:
    """Run a module's reset: DELETE statements in order, children before their parents."""
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, params)


def volume_modules() -> list[ModuleType]:
    """The ``<app>.volume`` modules, in INSTALLED_APPS order."""
    names = [f"{app.name}.volume" for app in apps.get_app_configs()]
    return [importlib.import_module(name) for name in names if importlib.util.find_spec(name)]


def volume_present() -> bool:
    return any(module.exists() for module in volume_modules())


def volume_missing() -> list[ModuleType]:
    """The modules whose volume rows are not there (an app added after the data was seeded)."""
    return [module for module in volume_modules() if not module.exists()]


def seed_volume(ctx: VolumeContext, modules: list[ModuleType] | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for module in volume_modules() if modules is None else modules:
        counts.update(module.seed(ctx))
    return counts


def vacuum_analyze(ctx: VolumeContext) -> None:
    """Fresh planner statistics and visibility maps for the tables the modules filled.

    Without statistics the planner takes millions of new rows for an empty table; without the
    visibility map an index-only scan (the ppm sums) still visits every heap page. VACUUM cannot
    run inside a transaction: call this after the seed has committed.
    """
    tables = [table for module in volume_modules() for table in getattr(module, "TABLES", [])]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")


def reset_volume(ctx: VolumeContext) -> None:
    for module in reversed(volume_modules()):
        module.reset(ctx)
