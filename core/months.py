"""Calendar months of timestamps, grouped in the database without a time zone per row.

``TruncMonth`` converts every row's timestamp into the viewer's time zone before truncating it;
over a year of claims that conversion is most of the query. The month boundaries are only twelve
instants, so ``month_of`` computes them once in Python and lets the database compare: the same
months (boundaries in the current time zone, daylight saving included), in half the time, on
PostgreSQL and SQLite alike.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import DateField
from django.db.models.expressions import RawSQL
from django.utils import timezone


def month_of(model, field: str, start: dt.datetime, end: dt.datetime) -> RawSQL:
    """The first day of the month in which ``model.field`` falls, for rows in [start, end).

    Written as SQL rather than ``Case``/``When``: a dozen ``When`` expressions cost more to
    build and copy in Python than the database then spends on the comparisons.
    """
    zone = timezone.get_current_timezone()
    month = timezone.localtime(start, zone).date().replace(day=1)
    last = timezone.localtime(end - dt.timedelta(microseconds=1), zone).date().replace(day=1)
    column = ".".join(
        connection.ops.quote_name(name)
        for name in (model._meta.db_table, model._meta.get_field(field).column)
    )
    ops = connection.ops
    branches, params = [], []
    while month < last:
        following = _next_month(month)
        branches.append(f"WHEN {column} < %s THEN %s")
        boundary = timezone.make_aware(dt.datetime.combine(following, dt.time.min), zone)
        # As the database stores them (SQLite: UTC text), so that comparing is exact.
        params += [ops.adapt_datetimefield_value(boundary), ops.adapt_datefield_value(month)]
        month = following
    sql = f"CASE {' '.join(branches)} ELSE %s END" if branches else "%s"
    return RawSQL(sql, [*params, ops.adapt_datefield_value(last)], output_field=DateField())


def _next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)
