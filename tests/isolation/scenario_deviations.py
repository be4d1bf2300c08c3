"""One customer's deviations and concessions: the isolation sweep keeps them in ``side.extra``."""

from __future__ import annotations

import datetime as dt

from accounts.tests.factories import DEFAULT_PASSWORD
from changes.deviations import services


def build(side, *, engineer, manager) -> None:
    """Create one record of every kind of the module for ``side`` through the real services."""
    marker = side.secret
    deviation = services.deviation_create(
        actor=engineer,
        customer=side.customer,
        parts=[side.part],
        kind="concession",
        title=f"{marker} concession for burr",
        lots=f"{marker}-LOT",
        quantity_cap=1000,
        expires_on=dt.date.today() + dt.timedelta(days=10),
        specification=f"{marker} specification",
        actual=f"{marker} actual condition",
        reason=f"{marker} reason",
        risk_assessment=f"{marker} risk",
        identification=f"{marker} yellow label",
        originating_claim=side.claim,
        internal_note=f"{marker} internal note",
    )
    services.deviation_request(deviation=deviation, actor=engineer)
    deviation = services.deviation_approve(
        deviation=deviation,
        actor=side.user,
        password=DEFAULT_PASSWORD,
        authorisation=f"{marker}-AUTH",
    )
    side.extra["shipment"] = services.shipment_record(
        deviation=deviation,
        actor=engineer,
        shipped_on=dt.date.today(),
        quantity=10,
        lot=f"{marker}-LOT",
        shipping_reference=f"{marker}-DN",
    )
    deviation.refresh_from_db()
    side.extra["deviation"] = deviation
