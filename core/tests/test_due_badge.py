"""Deadlines: the day on the badge, the moment and its time zone in its title."""

import datetime as dt
import zoneinfo

from django.utils import timezone, translation

from core.templatetags.core_tags import due_badge


def test_a_deadline_to_the_hour_names_the_viewers_zone():
    due = dt.datetime(2027, 1, 15, 16, 0, tzinfo=dt.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")), translation.override("en"):
        html = str(due_badge(due))
    assert "15 Jan 2027, 17:00 CET" in html  # in the title, the viewer's zone
    assert "</i> 15 Jan 2027</span>" in html  # the badge itself: the day


def test_a_due_day_has_no_zone():
    with translation.override("de"):
        html = str(due_badge(dt.date(2027, 1, 15)))
    assert "15.01.2027" in html and "CET" not in html and "UTC" not in html
