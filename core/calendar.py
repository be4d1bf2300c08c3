"""Business-day arithmetic for deadlines.

A deadline is "notified + N days", counted either in calendar days or in working days. Working days
skip Saturdays, Sundays and the customer's holidays. Deadlines are computed in the customer's time
zone: a claim notified on Friday 17:00 in Stuttgart with one working day is due Monday 17:00 there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayBasis(models.TextChoices):
    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")


def is_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_days(
    start: dt.date, days: int, basis: str = DayBasis.CALENDAR, holidays: Collection[dt.date] = ()
) -> dt.date:
    """The date ``days`` calendar or working days after ``start``.

    With working days only working days are counted: one working day after Friday is Monday, and
    one working day after Saturday is Monday too.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    if basis == DayBasis.CALENDAR:
        return start + dt.timedelta(days=days)
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def due_at(
    start: dt.datetime,
    days: int,
    basis: str = DayBasis.CALENDAR,
    holidays: Collection[dt.date] = (),
    tz: str | dt.tzinfo = "UTC",
) -> dt.datetime:
    """The aware deadline ``days`` after the aware ``start``, keeping the local time of day."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = start.astimezone(zone)
    due_day = add_days(local.date(), days, basis, holidays)
    return dt.datetime.combine(due_day, local.timetz().replace(tzinfo=None), tzinfo=zone)


def working_days_between(start: dt.date, end: dt.date, holidays: Collection[dt.date] = ()) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count


WORKDAY_START = dt.time(8)
WORKDAY_END = dt.time(17)


def add_working_hours(
    start: dt.datetime,
    hours: float,
    holidays: Collection[dt.date] = (),
    tz: str | dt.tzinfo = "UTC",
) -> dt.datetime:
    """The aware moment ``hours`` working hours after the aware ``start``.

    Working hours are 08:00–17:00 (``WORKDAY_START``–``WORKDAY_END``, nine hours a day) local time
    in ``tz`` (the customer's zone) on working days (``is_working_day``: Monday to Friday, not a
    holiday). Time outside them does not count: a claim notified on Friday 16:00 in Stuttgart
    with a reaction time of four working hours is due on Monday 11:00 there, and one notified on
    Saturday is due four hours after Monday 08:00. A reaction time is agreed in hours of the
    customer's working day (when someone can pick up the phone), not in hours of the clock.
    """
    if hours < 0:
        raise ValueError("hours must not be negative")
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = start.astimezone(zone)
    day, moment = local.date(), local.replace(tzinfo=None)
    remaining = dt.timedelta(hours=hours)
    while True:
        opens = dt.datetime.combine(day, WORKDAY_START)
        closes = dt.datetime.combine(day, WORKDAY_END)
        if is_working_day(day, holidays) and moment < closes:
            moment = max(moment, opens)
            if moment + remaining <= closes:
                # Wall-clock time of that working day, placed in the zone (DST-safe by day).
                return (moment + remaining).replace(tzinfo=zone)
            remaining -= closes - moment
        day += dt.timedelta(days=1)
        moment = dt.datetime.combine(day, WORKDAY_START)
