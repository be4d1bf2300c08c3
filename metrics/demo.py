"""Demo deliveries: 24 months of shipments of every demo part, up to the day the demo is built.

Each part ships on its own weekdays, once or twice a week, less in the summer shutdown and around
New Year, in volumes that put the demo claims at tens to hundreds of ppm. Everything is
deterministic: a week's quantity of a part comes from a random generator seeded with the part and
the week, so seeding again (also in a later month) gives the same deliveries and only adds the
missing ones. A delivery note that is stored already is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator

from django.db import transaction
from django.db.models import Count, Min, Sum
from django.utils import timezone

from customers.demo import PARTS
from customers.models import Part

from . import rating_demo
from .models import Delivery
from .ppm import add_months, month_start

MONTHS = 24
# Parts per week and part, by customer: the car makers call off more than the truck maker.
WEEKLY_VOLUME = {"AUTOWERK": (4_000, 12_000), "BRENNER": (3_000, 10_000), "CALDERA": (2_500, 7_000)}
TWICE_A_WEEK_FROM = 7_000  # parts per week; larger call-offs ship in two trucks
PACK = 50  # quantities are whole boxes
# Calendar weeks with less shipped: the summer shutdown and the turn of the year.
QUIET_WEEKS = {1: 0.4, 31: 0.6, 32: 0.3, 33: 0.5, 52: 0.3, 53: 0.3}


def seed(*, today: dt.date | None = None, stdout=None) -> None:
    """Store whatever demo delivery is missing, then the rated scorecard's demo records."""
    today = today or timezone.localdate()
    created, present = seed_deliveries(today)
    if stdout is not None:
        stdout.write(f"Demo deliveries: {created} created, {present} already there.")
    rating_demo.seed(today=today, stdout=stdout)


def summary(*, stdout) -> None:
    figures = Delivery.objects.filter(part__in=_demo_parts()).aggregate(
        count=Count("pk"), quantity=Sum("quantity"), first=Min("ship_date")
    )
    if figures["count"]:
        stdout.write(
            f"{figures['count']} demo deliveries since {figures['first']:%Y-%m-%d}, "
            f"{figures['quantity']:,} parts in all."
        )


@transaction.atomic
def seed_deliveries(today: dt.date) -> tuple[int, int]:
    """Create the missing demo deliveries; returns (created, already there)."""
    first = add_months(month_start(today), 1 - MONTHS)
    parts = _demo_parts()
    planned = [delivery for part in parts for delivery in _deliveries(part, first, today)]
    stored = set(
        Delivery.objects.filter(part__in=parts, ship_date__gte=first).values_list(
            "delivery_note", flat=True
        )
    )
    missing = [delivery for delivery in planned if delivery.delivery_note not in stored]
    Delivery.objects.bulk_create(missing, batch_size=500)
    return len(missing), len(planned) - len(missing)


def _demo_parts() -> list[Part]:
    wanted = {(row[0], row[1]) for rows in PARTS.values() for row in rows}
    parts = Part.objects.filter(part_number__in={number for number, _rev in wanted})
    return [
        part
        for part in parts.select_related("customer").order_by("part_number", "revision")
        if (part.part_number, part.revision) in wanted
    ]


def _deliveries(part: Part, first: dt.date, last: dt.date) -> Iterator[Delivery]:
    low, high = WEEKLY_VOLUME.get(part.customer.code, (2_000, 8_000))
    volume = random.Random(f"{part.part_number}/volume").randint(low, high)
    # Call-offs are shipped on fixed weekdays: Monday and Thursday, or one day early in the week.
    weekdays = (0, 3) if volume >= TWICE_A_WEEK_FROM else (volume % 3,)
    monday = first - dt.timedelta(days=first.weekday())
    while monday <= last:
        year, week, _day = monday.isocalendar()
        # Seeded by part and week alone, so a week ships the same whatever the first month is.
        week_random = random.Random(f"{part.part_number}/{year}-W{week}")
        weekly = volume * QUIET_WEEKS.get(week, 1.0) * week_random.uniform(0.75, 1.25)
        quantity = max(PACK, round(weekly / len(weekdays) / PACK) * PACK)
        for weekday in weekdays:
            day = monday + dt.timedelta(days=weekday)
            if first <= day <= last:
                yield Delivery(
                    customer_id=part.customer_id,
                    part=part,
                    plant_id=part.plant_id,
                    ship_date=day,
                    quantity=quantity,
                    delivery_note=_note(part, day),
                )
        monday += dt.timedelta(weeks=1)


def _note(part: Part, day: dt.date) -> str:
    digits = re.sub(r"\D", "", part.part_number)
    return f"DN{day:%y%m%d}-{digits}{part.revision}"
