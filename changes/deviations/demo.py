"""Demo deviations and concessions: one or more in every status, across the demo customers.

``seed()`` is idempotent: a deviation is looked up by its customer and title and only a missing one
is created. Every status is reached through the services with the demo users as actors and their
demo password as electronic signature; the expired one is expired as the daily task would once its
date has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from claims.selectors import earliest_claim_of
from customers.demo import DEMO_PASSWORD
from customers.models import Part

from ..models import Deviation
from . import services

ENGINEER = "engineer@demo.example"
MANAGER = "manager@demo.example"


@dataclass(frozen=True)
class DemoDeviation:
    part_number: str
    title: str
    status: str
    kind: str = "concession"
    cap: int | None = 500
    days: int | None = 60  # expiry, in days from today
    shipped: tuple[int, ...] = ()
    lots: str = ""
    from_claim: bool = False
    specification: str = "As per drawing and its notes."
    actual: str = "Differs as described in the title."


DEVIATIONS = [
    DemoDeviation("HN-21-1001", "Draft: cosmetic porosity on non-functional face", "draft"),
    DemoDeviation(
        "HN-21-1010",
        "Alternative forging supplier during die repair",
        "requested",
        kind="deviation",
        cap=None,
        days=45,
    ),
    DemoDeviation(
        "HN-21-1002",
        "Burr up to 0.3 mm on mounting bore, deburred at customer line",
        "approved",
        days=9,
        shipped=(120, 80),
        lots="L-2611\nL-2612",
        from_claim=True,
    ),
    DemoDeviation(
        "HN-32-2010",
        "Zinc flake instead of zinc-nickel coating, salt spray passed",
        "approved",
        cap=1000,
        days=90,
        shipped=(400, 450),
    ),
    DemoDeviation("HN-21-1060", "Flange runout 0.06 mm instead of 0.05 mm", "approved", days=120),
    DemoDeviation("HN-32-2020", "Weld seam length short by 2 mm", "rejected"),
    DemoDeviation("HN-21-1020", "Anchor plate hole position +0.2 mm", "expired", days=1),
    DemoDeviation(
        "HN-45-3001", "Paint thickness below minimum on hidden face", "exhausted", cap=200,
        shipped=(150, 50),
    ),
    DemoDeviation("HN-32-2030", "Bracket without e-coat on welded tab", "closed", shipped=(60,)),
    DemoDeviation("HN-21-1030", "Hinge pin from alternative material", "cancelled"),
]  # fmt: skip


def seed(*, today: dt.date | None = None, stdout=None) -> None:
    """Create whatever demo deviation is missing and take it to its status.

    Deviations are checked against the real calendar of their customer (no expiry date in the
    past, no shipment in the future), so each is built around the customer's real date whatever
    ``today`` the demo is given: at 02:00 UTC it is still yesterday in Detroit.
    """
    users = {user.email: user for user in User.objects.filter(email__endswith=".example")}
    parts = {part.part_number: part for part in Part.objects.select_related("customer")}
    if ENGINEER not in users or MANAGER not in users:
        return
    created = 0
    for spec in DEVIATIONS:
        part = parts.get(spec.part_number)
        if part is None or Deviation.objects.filter(customer=part.customer, title=spec.title):
            continue
        today = timezone.localdate(timezone=ZoneInfo(part.customer.time_zone))
        with transaction.atomic():
            _stage(spec, _create(spec, part, users, today), users, today)
        created += 1
    if stdout is not None:
        stdout.write(
            f"Demo deviations: {created} created, {len(DEVIATIONS) - created} already there."
        )


def summary(*, stdout) -> None:
    deviations = Deviation.objects.filter(title__in=[spec.title for spec in DEVIATIONS])
    stdout.write(f"{deviations.count()} demo deviations, {deviations.active().count()} active.")


def _create(spec: DemoDeviation, part: Part, users: dict, today: dt.date) -> Deviation:
    claim = earliest_claim_of(part.customer)
    return services.deviation_create(
        actor=users[ENGINEER],
        customer=part.customer,
        parts=[part],
        kind=spec.kind,
        title=spec.title,
        lots=spec.lots,
        quantity_cap=spec.cap,
        expires_on=today + dt.timedelta(days=spec.days) if spec.days is not None else None,
        specification=spec.specification,
        actual=spec.actual,
        reason="Keeps the customer's line supplied while the root cause is removed.",
        risk_assessment="No effect on fit, form or function; confirmed on a sample of 50 parts.",
        identification="Yellow label 'RELEASED UNDER DEVIATION' with the number on every box.",
        originating_claim=claim if spec.from_claim else None,
        internal_note="Review the need for this deviation at the weekly quality meeting.",
    )


def _stage(spec: DemoDeviation, deviation: Deviation, users: dict, today: dt.date) -> None:
    engineer = users[ENGINEER]
    if spec.status == "draft":
        return
    if spec.status == "cancelled":
        services.deviation_cancel(deviation=deviation, actor=engineer, reason="No longer needed.")
        return
    services.deviation_request(deviation=deviation, actor=engineer)
    if spec.status == "requested":
        return
    customer_user = users.get(f"quality@{deviation.customer.code.lower()}.example")
    approver = customer_user or users[MANAGER]
    if spec.status == "rejected":
        services.deviation_reject(
            deviation=deviation,
            actor=approver,
            password=DEMO_PASSWORD,
            reason="Sort and rework the parts instead.",
        )
        return
    services.deviation_approve(
        deviation=deviation,
        actor=approver,
        password=DEMO_PASSWORD,
        authorisation=f"{deviation.customer.code}-{deviation.number[-5:]}",
    )
    for number, quantity in enumerate(spec.shipped, start=1):
        services.shipment_record(
            deviation=deviation,
            actor=engineer,
            shipped_on=today,
            quantity=quantity,
            lot=deviation.lot_list[0] if deviation.lot_list else "",
            shipping_reference=f"DN-{deviation.number[-5:]}-{number}",
        )
    if spec.status == "closed":
        services.deviation_close(deviation=deviation, actor=engineer, reason="Root cause removed.")
    elif spec.status == "expired":
        # As the daily task will once the expiry date has passed.
        services.deviation_expire_if_due(deviation.pk, today=deviation.expires_on + dt.timedelta(1))
