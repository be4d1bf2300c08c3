import datetime as dt
import itertools

from metrics.models import Delivery

_notes = itertools.count(1)


def deliver(part, day: dt.date, quantity: int, **fields) -> Delivery:
    return Delivery.objects.create(
        customer=part.customer,
        part=part,
        plant=fields.pop("plant", part.plant),
        ship_date=day,
        quantity=quantity,
        delivery_note=fields.pop("delivery_note", f"DN-{next(_notes):07d}"),
        **fields,
    )
