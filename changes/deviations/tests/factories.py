"""Deviations built through the real services, in the state a test needs."""

from __future__ import annotations

import datetime as dt

from accounts.tests.factories import DEFAULT_PASSWORD
from customers.tests.factories import PartFactory

from .. import services


def deviation_fields(**overrides) -> dict:
    fields = {
        "kind": "concession",
        "title": "Burr up to 0.3 mm on hole A",
        "lots": "L-100\nL-101",
        "quantity_cap": 500,
        "expires_on": dt.date.today() + dt.timedelta(days=60),
        "specification": "Burr-free per drawing note 4",
        "actual": "Burr up to 0.3 mm",
        "reason": "Worn punch, replacement on order",
        "risk_assessment": "No effect on fit; checked on 50 parts",
        "identification": "Yellow label 'CONCESSION' on every box",
    }
    fields.update(overrides)
    return fields


def draft_deviation(*, actor, customer=None, parts=None, **overrides):
    parts = parts or [PartFactory(customer=customer)]
    return services.deviation_create(
        actor=actor, customer=parts[0].customer, parts=parts, **deviation_fields(**overrides)
    )


def requested_deviation(*, actor, **kwargs):
    deviation = draft_deviation(actor=actor, **kwargs)
    return services.deviation_request(deviation=deviation, actor=actor)


def approved_deviation(*, actor, approver, authorisation="CUST-AUTH-1", **kwargs):
    deviation = requested_deviation(actor=actor, **kwargs)
    return services.deviation_approve(
        deviation=deviation, actor=approver, password=DEFAULT_PASSWORD, authorisation=authorisation
    )
