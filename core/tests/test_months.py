"""month_of groups timestamps into the viewer's calendar months exactly as TruncMonth does."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.models import Action
from core.months import month_of

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
# Around both daylight saving changes and the turn of the year, in Berlin's local time.
LOCAL_TIMES = [
    dt.datetime(2025, 12, 31, 23, 59),
    dt.datetime(2026, 1, 1, 0, 0),
    dt.datetime(2026, 3, 29, 3, 30),
    dt.datetime(2026, 3, 31, 23, 30),
    dt.datetime(2026, 4, 1, 0, 30),
    dt.datetime(2026, 10, 25, 2, 30),
    dt.datetime(2026, 10, 31, 23, 59),
    dt.datetime(2026, 11, 1, 0, 0),
    dt.datetime(2026, 11, 30, 23, 59),
]


def test_months_match_truncmonth_in_the_viewers_zone(make_action, part_a):
    for local in LOCAL_TIMES:
        action = make_action(part_a)
        Action.objects.filter(pk=action.pk).update(created_at=local.replace(tzinfo=BERLIN))
    with timezone.override(BERLIN):
        start = dt.datetime(2025, 12, 1, tzinfo=BERLIN)
        end = dt.datetime(2026, 12, 1, tzinfo=BERLIN)
        rows = Action.objects.filter(created_at__gte=start, created_at__lt=end)
        ours = dict(
            rows.annotate(month=month_of(Action, "created_at", start, end))
            .values("month")
            .annotate(n=Count("*"))
            .values_list("month", "n")
        )
        truncated = {
            timezone.localtime(month).date(): n
            for month, n in rows.annotate(month=TruncMonth("created_at"))
            .values("month")
            .annotate(n=Count("*"))
            .values_list("month", "n")
        }
    assert (
        ours
        == truncated
        == {
            dt.date(2025, 12, 1): 1,
            dt.date(2026, 1, 1): 1,
            dt.date(2026, 3, 1): 2,
            dt.date(2026, 4, 1): 1,
            dt.date(2026, 10, 1): 2,
            dt.date(2026, 11, 1): 2,
        }
    )


def test_a_single_month_needs_no_comparison():
    start = timezone.make_aware(dt.datetime(2026, 2, 1))
    month = month_of(Action, "created_at", start, timezone.make_aware(dt.datetime(2026, 3, 1)))
    assert (month.sql, month.params) == ("%s", [dt.date(2026, 2, 1)])
