import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core.calendar import DayBasis, add_days, due_at, is_working_day, working_days_between

FRIDAY = dt.date(2026, 3, 27)
BERLIN = ZoneInfo("Europe/Berlin")


def test_one_working_day_after_friday_is_monday():
    assert add_days(FRIDAY, 1, DayBasis.WORKING) == dt.date(2026, 3, 30)


def test_working_days_skip_weekend_and_holiday():
    easter_monday = dt.date(2026, 4, 6)
    thursday = dt.date(2026, 4, 2)
    # Fri 3 Apr (working), skip Sat/Sun and the Easter Monday holiday, then Tue 7 Apr.
    assert add_days(thursday, 2, DayBasis.WORKING, holidays={easter_monday}) == dt.date(2026, 4, 7)
    assert add_days(thursday, 2, DayBasis.WORKING) == dt.date(2026, 4, 6)


def test_calendar_basis_counts_every_day():
    assert add_days(FRIDAY, 1, DayBasis.CALENDAR) == dt.date(2026, 3, 28)
    assert add_days(FRIDAY, 7) == dt.date(2026, 4, 3)


def test_saturday_plus_one_working_day_is_monday():
    assert add_days(dt.date(2026, 3, 28), 1, DayBasis.WORKING) == dt.date(2026, 3, 30)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_days(FRIDAY, -1)


def test_due_at_keeps_local_time_across_daylight_saving_change():
    # Clocks go forward in Berlin on Sunday 29 March 2026: the UTC offset changes, 17:00 stays.
    notified = dt.datetime(2026, 3, 27, 17, 0, tzinfo=BERLIN).astimezone(dt.UTC)
    due = due_at(notified, 1, DayBasis.WORKING, tz="Europe/Berlin")
    local = due.astimezone(BERLIN)
    assert (local.date(), local.hour, local.minute) == (dt.date(2026, 3, 30), 17, 0)
    assert due.utcoffset() == dt.timedelta(hours=2)
    assert notified.hour == 16 and due.astimezone(dt.UTC).hour == 15


def test_due_at_uses_the_customers_zone_for_the_day():
    # 23:30 UTC on Friday is already Saturday in Tokyo: one working day later is Monday there.
    notified = dt.datetime(2026, 3, 27, 23, 30, tzinfo=dt.UTC)
    due = due_at(notified, 1, DayBasis.WORKING, tz="Asia/Tokyo")
    assert due.astimezone(ZoneInfo("Asia/Tokyo")).date() == dt.date(2026, 3, 30)
    assert due.astimezone(ZoneInfo("Asia/Tokyo")).hour == 8


def test_is_working_day_and_counting_between():
    holiday = dt.date(2026, 4, 3)
    assert not is_working_day(dt.date(2026, 3, 28))
    assert not is_working_day(holiday, {holiday})
    assert is_working_day(dt.date(2026, 3, 30))
    assert working_days_between(FRIDAY, dt.date(2026, 4, 6), {holiday}) == 5
    assert working_days_between(FRIDAY, FRIDAY) == 0
