"""One customer's rated scorecard: settings, a required certificate and the customer's own score,
kept in ``side.extra`` for the isolation sweep.

The certificate has no number on record, so the customer's card shows it as an override with its
name: the text a leak of the card would show.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from metrics import rating_services


def build(side, *, engineer, manager) -> None:
    secret, customer = side.secret, side.customer
    side.extra["scorecard_settings"] = rating_services.scorecard_settings_update(
        customer=customer, actor=manager, csat_weight=25
    )
    side.extra["certificate"] = rating_services.certificate_create(
        customer=customer, actor=manager, name=f"{secret} IATF 16949"
    )
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    side.extra["customer_rating"] = rating_services.customer_rating_create(
        customer=customer,
        actor=manager,
        month=last_month,
        score=Decimal("72.5"),
        band="yellow",
        note=f"{secret} from their supplier portal",
    )
