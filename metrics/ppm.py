"""ppm and IPB (REFERENCE §5): counted in the database, pooled over any period.

A figure is built from *counts* — parts delivered, nonconforming parts charged to ppm, incidents —
and divided only at the end, so a quarter, a year, YTD or a rolling window pools the counts of its
months instead of averaging monthly ppm values. No deliveries means no figure (``None``, shown as
"n/a"), never 0.

Deliveries count in the month they were shipped; a claim counts in the month the customer notified
us (``notified_at`` in the portal's time zone), with its quantity charged to ppm. Deliveries are
read from ``DeliveryMonth``, their sums per part and month that the database keeps current.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone

from claims.models import Claim
from claims.selectors import counted_in_ppm
from core.months import month_of

from .models import DeliveryMonth

PPM_FACTOR = Decimal(1_000_000)
IPB_FACTOR = Decimal(1_000_000_000)
TWO_PLACES = Decimal("0.01")
WINDOWS = {"ytd": None, "r3": 3, "r6": 6, "r12": 12}
GRANULARITIES = ("month", "quarter", "year")


@dataclass(frozen=True)
class Counts:
    delivered: int = 0
    defects_0km: int = 0
    defects_field: int = 0
    incidents_0km: int = 0
    incidents_field: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.delivered + other.delivered,
            self.defects_0km + other.defects_0km,
            self.defects_field + other.defects_field,
            self.incidents_0km + other.incidents_0km,
            self.incidents_field + other.incidents_field,
        )

    @property
    def incidents(self) -> int:
        return self.incidents_0km + self.incidents_field

    @property
    def ppm_0km(self) -> Decimal | None:
        return self._rate(self.defects_0km, PPM_FACTOR)

    @property
    def ppm_field(self) -> Decimal | None:
        return self._rate(self.defects_field, PPM_FACTOR)

    @property
    def ipb(self) -> Decimal | None:
        return self._rate(self.incidents, IPB_FACTOR)

    def _rate(self, count: int, factor: Decimal) -> Decimal | None:
        if not self.delivered:
            return None
        return (Decimal(count) * factor / self.delivered).quantize(TWO_PLACES, ROUND_HALF_UP)


def pooled(counts: Iterable[Counts]) -> Counts:
    return sum(counts, Counts())


@dataclass(frozen=True)
class Scope:
    """Which deliveries and claims a figure covers; ``None`` means all."""

    customer_id: int | None = None
    part_id: int | None = None
    plant_id: int | None = None

    def delivered(self, first: dt.date, end: dt.date):
        """Parts delivered per part and month, in the months from ``first`` up to ``end``."""
        return DeliveryMonth.objects.filter(
            self._filter("plant_id"), month__gte=first, month__lt=end
        ).order_by()

    def claims(self):
        return counted_in_ppm().filter(self._filter("part__plant_id"))

    def _filter(self, plant_lookup: str) -> Q:
        condition = Q()
        if self.customer_id is not None:
            condition &= Q(customer_id=self.customer_id)
        if self.part_id is not None:
            condition &= Q(part_id=self.part_id)
        if self.plant_id is not None:
            condition &= Q(**{plant_lookup: self.plant_id})
        return condition


# --- months --------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Month starts from ``first`` to ``last``, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def monthly_counts(scope: Scope, first: dt.date, last: dt.date) -> dict[dt.date, Counts]:
    """Counts per month from ``first`` to ``last`` (month starts), in two grouped queries."""
    first, last = month_start(first), month_start(last)
    end = add_months(last, 1)
    delivered, claims = _monthly_queries(
        scope, first, end, timezone.get_current_timezone_name(), connection.alias
    )
    columns = defaultdict(lambda: defaultdict(int))
    # Straight from the cursor: sums arrive as Decimal (PostgreSQL) and dates as text (SQLite).
    for row in _rows(*delivered):
        columns[_as_date(row["month"])]["delivered"] = int(row["quantity"] or 0)
    for row in _rows(*claims):
        key = _as_date(row["month"])
        columns[key][f"defects_{_kind(row)}"] += int(row["quantity"] or 0)
        columns[key][f"incidents_{_kind(row)}"] += int(row["incidents"])
    return {month: Counts(**columns.get(month, {})) for month in months_between(first, last)}


@functools.lru_cache(maxsize=1024)
def _monthly_queries(scope: Scope, first: dt.date, end: dt.date, zone: str, alias: str):
    """The SQL of ``monthly_counts``, built by the ORM once per scope, months and time zone.

    Dashboards, the API and reports ask for the same scopes and months over and over; building the
    two querysets cost more than the database took to answer them for one customer. The result
    is the SQL with its parameters, exactly what the ORM would send (``zone`` is part of the key
    because the month boundaries are).
    """
    delivered = scope.delivered(first, end).values("month").annotate(quantity=Sum("quantity"))
    claims = _claim_counts(scope.claims(), first, end, ["month"])
    return (
        delivered.query.get_compiler(alias).as_sql(),
        claims.query.get_compiler(alias).as_sql(),
    )


def _rows(sql: str, params) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def breakdown(dimension: str, scope: Scope, first: dt.date, last: dt.date) -> dict[int, Counts]:
    """Pooled counts per customer, part or plant id over the months ``first`` to ``last``."""
    first, end = month_start(first), add_months(month_start(last), 1)
    delivery_key = {"customer": "customer_id", "part": "part_id", "plant": "plant_id"}[dimension]
    claim_key = {"customer": "customer_id", "part": "part_id", "plant": "part__plant_id"}[dimension]
    columns = defaultdict(lambda: defaultdict(int))
    delivered = scope.delivered(first, end).values(delivery_key).annotate(quantity=Sum("quantity"))
    for row in delivered:
        columns[row[delivery_key]]["delivered"] = row["quantity"] or 0
    for row in _claim_counts(scope.claims(), first, end, [claim_key]):
        key = row[claim_key]
        columns[key][f"defects_{_kind(row)}"] += row["quantity"] or 0
        columns[key][f"incidents_{_kind(row)}"] += row["incidents"]
    return {key: Counts(**values) for key, values in columns.items()}


def _claim_counts(claims, first: dt.date, end: dt.date, group_by: list[str]):
    start, end = _midnight(first), _midnight(end)
    claims = claims.filter(notified_at__gte=start, notified_at__lt=end)
    if "month" in group_by:
        claims = claims.annotate(month=month_of(Claim, "notified_at", start, end))
    return (
        claims.values(*group_by, "kind")
        .annotate(quantity=Sum("ppm_qty"), incidents=Count("*"))
        .order_by()
    )


def _kind(row) -> str:
    return "0km" if row["kind"] == "0km" else "field"


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _as_date(value) -> dt.date:
    if isinstance(value, str):  # SQLite hands dates back as text
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# --- periods and windows -------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    granularity: str
    counts: Counts

    @property
    def label(self) -> str:
        if self.granularity == "year":
            return str(self.start.year)
        if self.granularity == "quarter":
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"


def period_start(month: dt.date, granularity: str) -> dt.date:
    if granularity == "year":
        return dt.date(month.year, 1, 1)
    if granularity == "quarter":
        return dt.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
    return month_start(month)


def series(scope: Scope, first: dt.date, last: dt.date, granularity: str = "month") -> list[Period]:
    """Pooled counts per month, quarter or year between two months (both included)."""
    buckets: dict[dt.date, Counts] = {}
    for month, counts in monthly_counts(scope, first, last).items():
        start = period_start(month, granularity)
        buckets[start] = buckets.get(start, Counts()) + counts
    return [Period(start, granularity, counts) for start, counts in sorted(buckets.items())]


def window_months(name: str, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """First and last month of a window ending with the month of ``as_of``."""
    last = month_start(as_of)
    length = WINDOWS[name]
    first = dt.date(last.year, 1, 1) if length is None else add_months(last, 1 - length)
    return first, last


def window(scope: Scope, name: str, as_of: dt.date) -> Counts:
    """YTD or rolling 3/6/12 months up to and including the month of ``as_of``, pooled."""
    first, last = window_months(name, as_of)
    return pooled(monthly_counts(scope, first, last).values())
