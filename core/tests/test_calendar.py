import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core.calendar import (
    DayBasis,
    add_days,
    add_working_hours,
    due_at,
    is_working_day,
    working_days_between,
)

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


BERLIN = ZoneInfo("Europe/Berlin")


def _berlin(*args):
    return dt.datetime(*args, tzinfo=BERLIN)


class TestAddWorkingHours:
    def test_within_the_working_day(self):
        # Tuesday 09:30 + 4 h
        assert add_working_hours(_berlin(2026, 3, 3, 9, 30), 4, tz=BERLIN) == _berlin(
            2026, 3, 3, 13, 30
        )

    def test_friday_afternoon_carries_over_the_weekend(self):
        assert add_working_hours(_berlin(2026, 3, 6, 16), 4, tz="Europe/Berlin") == _berlin(
            2026, 3, 9, 11
        )

    def test_night_and_weekend_start_counts_from_the_next_opening(self):
        assert add_working_hours(_berlin(2026, 3, 3, 22), 1, tz=BERLIN) == _berlin(2026, 3, 4, 9)
        assert add_working_hours(_berlin(2026, 3, 7, 10), 1, tz=BERLIN) == _berlin(2026, 3, 9, 9)
        assert add_working_hours(_berlin(2026, 3, 3, 6), 2, tz=BERLIN) == _berlin(2026, 3, 3, 10)

    def test_holidays_are_skipped(self):
        holidays = {dt.date(2026, 3, 9)}
        assert add_working_hours(_berlin(2026, 3, 6, 16), 4, holidays, tz=BERLIN) == _berlin(
            2026, 3, 10, 11
        )

    def test_the_end_of_the_day_is_reached_not_passed(self):
        assert add_working_hours(_berlin(2026, 3, 3, 13), 4, tz=BERLIN) == _berlin(2026, 3, 3, 17)

    def test_more_than_a_day(self):
        # 9 working hours a day: 20 h from Monday 08:00 is Wednesday 10:00.
        assert add_working_hours(_berlin(2026, 3, 2, 8), 20, tz=BERLIN) == _berlin(2026, 3, 4, 10)

    def test_counts_in_the_customers_zone(self):
        start = dt.datetime(2026, 3, 3, 14, tzinfo=dt.UTC)  # 09:00 in Detroit
        due = add_working_hours(start, 2, tz="America/Detroit")
        assert due == dt.datetime(2026, 3, 3, 16, tzinfo=dt.UTC)

    def test_across_the_change_to_summer_time(self):
        # Friday 27 March 2026 16:00 CET + 2 h = Monday 30 March 09:00 CEST.
        due = add_working_hours(_berlin(2026, 3, 27, 16), 2, tz=BERLIN)
        assert due == _berlin(2026, 3, 30, 9)
        assert due.utcoffset() == dt.timedelta(hours=2)

    def test_negative_hours_are_refused(self):
        with pytest.raises(ValueError):
            add_working_hours(_berlin(2026, 3, 3, 9), -1)
