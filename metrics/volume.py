"""Volume deliveries: the ppm denominator, ten per claim over the same five years (core.volumes)."""

from __future__ import annotations

from core.volumes import PREFIX, VolumeContext

from .models import Delivery

NOTE_PREFIX = f"{PREFIX}-DN-"

_DELIVERIES = """
WITH parts AS (
    SELECT row_number() OVER (ORDER BY id) AS k, id, customer_id, plant_id
    FROM customers_part WHERE part_number LIKE %(part_prefix)s
), source AS (
    SELECT g AS i, 1 + floor(random() * (SELECT count(*) FROM parts))::int AS part_k,
           %(start)s::date + floor(random() * (%(today)s::date - %(start)s::date + 1))::int
               AS ship_date,
           500 + floor(random() * 19500)::int AS quantity
    FROM generate_series(1, %(deliveries)s) g
)
INSERT INTO metrics_delivery (
    ship_date, quantity, delivery_note, created_at, updated_at, customer_id, imported_by_id,
    part_id, plant_id
)
SELECT s.ship_date, s.quantity, %(note_prefix)s || lpad(s.i::text, 8, '0'), now(), now(),
       p.customer_id, NULL, p.id, p.plant_id
FROM source s JOIN parts p ON p.k = s.part_k
ORDER BY s.i
"""


TABLES = ["metrics_delivery", "metrics_deliverymonth"]


def exists() -> bool:
    return Delivery.objects.filter(delivery_note__startswith=NOTE_PREFIX).exists()


def seed(ctx: VolumeContext) -> dict[str, int]:
    params = {
        "part_prefix": f"{PREFIX}-%",
        "note_prefix": NOTE_PREFIX,
        "start": ctx.start.isoformat(),
        "today": ctx.today.isoformat(),
        "deliveries": ctx.count("deliveries"),
    }
    count = ctx.execute(_DELIVERIES, params)
    ctx.say(f"  {count:,} deliveries")
    return {"deliveries": count}


def reset(ctx: VolumeContext) -> None:
    Delivery.objects.filter(delivery_note__startswith=NOTE_PREFIX).delete()
