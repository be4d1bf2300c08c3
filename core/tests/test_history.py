import datetime as dt

import pytest
from django.utils import timezone

from core.history import display_value, timeline
from customers.services import part_update
from customers.tests.factories import PartFactory, PlantFactory


@pytest.mark.django_db
def test_timeline_lists_changes_newest_first_with_readable_values(engineer, customer_a):
    part = PartFactory(customer=customer_a, description="Bracket", safety_relevant=False)
    other_plant = PlantFactory(code="BRNO", name="Brno")
    part_update(
        part=part,
        actor=engineer,
        description="Bracket, reinforced",
        plant=other_plant,
        safety_relevant=True,
        active_from=dt.date(2026, 3, 1),
    )

    newest, created = timeline(part)

    assert created.label == "Created"
    assert newest.label == "Changed"
    assert newest.who == engineer
    changes = {change.field: (change.old, change.new) for change in newest.changes}
    assert changes["description"] == ("Bracket", "Bracket, reinforced")
    assert changes["plant"][1] == str(other_plant)
    assert changes["safety-relevant"] == ("no", "yes")
    assert changes["active from"] == ("", "1 Mar 2026")


@pytest.mark.django_db
def test_datetimes_are_shown_in_the_viewers_zone(customer_a):
    part = PartFactory(customer=customer_a)
    moment = dt.datetime(2026, 11, 20, 15, 30, tzinfo=dt.UTC)
    with timezone.override("Europe/Berlin"):
        assert display_value(part, "created_at", moment) == "20 Nov 2026, 16:30"


@pytest.mark.django_db
def test_timeline_is_limited(engineer, customer_a):
    part = PartFactory(customer=customer_a)
    for number in range(5):
        part_update(part=part, actor=engineer, description=f"Bracket {number}")
    assert len(timeline(part, limit=3)) == 3
