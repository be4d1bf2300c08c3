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

    def period(self) -> dict[str, str]:
        """The ``start`` and ``now`` parameters of the statements that spread rows over time."""
        return {"start": self.start.isoformat(), "now": self.today.isoformat()}

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


# A record type's volume rows start from a temporary table of draws: a volume part (``part_k``,
# 1-based), a moment spread evenly over the years, and ``random()`` numbers the later statements
# turn into statuses, kinds and quantities.
_DRAWS = """
CREATE TEMP TABLE {table} ON COMMIT DROP AS
SELECT g AS i,
       1 + floor(random() * %(parts)s)::int AS part_k,
       %(start)s::timestamptz + random() * (%(now)s::timestamptz - %(start)s::timestamptz)
           AS {moment},
       {draws}
FROM generate_series(1, %({rows})s) g
"""

# The draws joined to their volume part and numbered per year of ``moment`` (``year``, ``seq``):
# the head of a statement that goes on with the record's own columns and ``FROM {table} s JOIN
# parts p ON p.k = s.part_k``.
_NUMBERED = """
WITH parts AS (
    SELECT row_number() OVER (ORDER BY id) AS k, id, customer_id, revision
    FROM customers_part WHERE part_number LIKE %(part_prefix)s
), numbered AS (
    SELECT s.*, p.id AS part_id, p.customer_id, p.revision,
           extract(year FROM s.{moment})::int AS year,
           row_number() OVER (PARTITION BY extract(year FROM s.{moment})
                              ORDER BY s.{moment}, s.i) AS seq,"""

# One corrective action per record of a closing kind: done and found effective once the record is
# closed, in progress before. ``{record}`` is the record's alias in ``{rest}`` (FROM … ORDER BY).
_CORRECTIVE_ACTIONS = """
INSERT INTO core_action (
    title, description, kind, due_date, status, completed_at, completion_note,
    effectiveness_result, effectiveness_evidence, effectiveness_checked_at, cancel_reason,
    object_id, created_at, updated_at, content_type_id, created_by_id,
    effectiveness_checked_by_id, owner_id, internal_only
)
SELECT
    {title},
    {description}, 'corrective',
    {due},
    CASE WHEN {closed} THEN 'closed' ELSE 'in_progress' END,
    CASE WHEN {closed} THEN {record}.closed_at END,
    CASE WHEN {closed} THEN {done} ELSE '' END,
    CASE WHEN {closed} THEN 'effective' ELSE '' END,
    CASE WHEN {closed} THEN {evidence} ELSE '' END,
    CASE WHEN {closed} THEN {record}.closed_at END,
    '', {record}.id, {created}, {record}.updated_at, %({content_type})s, %(engineer)s,
    CASE WHEN {closed} THEN %(engineer)s END, %(engineer)s, false
{rest}"""


def draws(table: str, *, rows: str, moment: str, columns: str) -> str:
    """The statement that fills the temporary table of draws ``table`` (``_DRAWS``): ``%(rows)s``
    of them, the moment named ``moment``, ``columns`` the ``random() AS r_…`` ones."""
    return _DRAWS.format(table=table, rows=rows, moment=moment, draws=columns)


def numbered(moment: str) -> str:
    """The head of a statement over the draws numbered per year of ``moment`` (``_NUMBERED``)."""
    return _NUMBERED.format(moment=moment)


def corrective_actions(record: str, *, content_type: str, rest: str, **texts: str) -> str:
    """One ``core_action`` per record (``_CORRECTIVE_ACTIONS``); ``texts``: the SQL of the
    ``title``, ``description``, ``due`` date, ``created`` moment, ``done`` note and effectiveness
    ``evidence``."""
    closed = f"{record}.status = 'closed'"
    return _CORRECTIVE_ACTIONS.format(
        record=record, closed=closed, content_type=content_type, rest=rest, **texts
    )


@dataclass(frozen=True)
class Rows:
    """A statement that adds volume rows of one kind, counted under ``label``."""

    label: str
    sql: str


def seed_statements(ctx: VolumeContext, params: dict, statements: list, *, numbering, scratch):
    """Run a module's seeding statements in order and count the ``Rows`` ones; then move its
    numbering (``(prefix, table)``) on past the numbers now used and drop its temporary
    ``scratch`` table. Says what was added; returns the counts by label."""
    counts = {}
    for statement in statements:
        touched = ctx.execute(getattr(statement, "sql", statement), params)
        if isinstance(statement, Rows):
            counts[statement.label] = touched
    advance_sequences(ctx, *numbering)
    ctx.execute(f"DROP TABLE {scratch}", {})
    ctx.say("  " + ", ".join(f"{count:,} {label}" for label, count in counts.items()))
    return counts


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
