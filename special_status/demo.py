"""Demo special statuses: a controlled shipping level 1 in force with part of its exit criteria
met, and an escalation level 1 of the past that the customer ended with a signed exit.

``seed()`` is idempotent: a status is looked up by its customer and the customer's reference, and
only a missing one is recorded. Each step runs through the services at the moment it would have
happened (``core.demo_clock``), so the timeline, the history and the criteria's dates read like a
real past.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import demo_clock
from customers.demo import DEMO_PASSWORD
from customers.models import Part, Plant

from . import services
from .models import SpecialStatus

ENGINEER = "engineer@demo.example"
MANAGER = "manager@demo.example"


@dataclass(frozen=True)
class DemoCriterion:
    text: str
    met_days_ago: int | None = None  # None: not met yet
    evidence: str = ""


@dataclass(frozen=True)
class DemoStatus:
    part_number: str
    reference: str
    kind: str
    days_ago: int
    reason: str
    criteria: tuple[DemoCriterion, ...]
    # Days ago the exit was requested and signed by the customer; None: still in force.
    exit_days_ago: int | None = None
    closing_note: str = ""


STATUSES = [
    DemoStatus(
        "HN-21-1002",
        "AW-CS1-2026-014",
        "cs1",
        34,
        "Three claims for burr on the mounting bore within five weeks (0 km, two assembly lines "
        "stopped). Autowerk requires a 100 % added inspection of the bore before shipping.",
        (
            DemoCriterion(
                "Added 100 % inspection of the mounting bore in place, results reported daily",
                met_days_ago=31,
                evidence="Inspection station 4 running since day 3; daily reports sent to "
                "Autowerk supplier quality.",
            ),
            DemoCriterion(
                "Root cause verified and corrective action implemented (8D up to D6)",
                met_days_ago=12,
                evidence="Worn deburring brush as root cause confirmed by trial; automatic brush "
                "wear monitoring installed, D6 approved by the customer.",
            ),
            DemoCriterion("0 rejects at the customer for 30 consecutive production days"),
        ),
    ),
    DemoStatus(
        "HN-45-3010",
        "CT-ESC1-2025-007",
        "escalation_1",
        290,
        "Late 8D responses on two porosity claims; delivery performance below 90 % in one quarter.",
        (
            DemoCriterion(
                "8D reaction within 24 h on every new claim for three months",
                met_days_ago=205,
                evidence="All four claims of the period contained within 20 h (see claim list).",
            ),
            DemoCriterion(
                "Delivery performance at least 98 % for two consecutive months",
                met_days_ago=200,
                evidence="Delivery on time 99.1 % and 98.6 % in the two months.",
            ),
        ),
        exit_days_ago=196,
        closing_note="Escalation closed after the review meeting in Monterrey.",
    ),
]


def seed(*, today: dt.date | None = None, stdout=None) -> None:
    today = today or timezone.localdate()
    users = {user.email: user for user in User.objects.filter(email__endswith=".example")}
    parts = {part.part_number: part for part in Part.objects.select_related("customer", "plant")}
    if ENGINEER not in users or MANAGER not in users:
        return
    created = 0
    for spec in STATUSES:
        part = parts.get(spec.part_number)
        if part is None or SpecialStatus.objects.filter(
            customer=part.customer, customer_reference=spec.reference
        ):
            continue
        with transaction.atomic():
            _record(spec, part, users, today)
        created += 1
    if stdout is not None:
        stdout.write(
            f"Demo special statuses: {created} created, {len(STATUSES) - created} already there."
        )


def summary(*, stdout) -> None:
    statuses = SpecialStatus.objects.filter(
        customer_reference__in=[spec.reference for spec in STATUSES]
    )
    in_force = statuses.filter(status__in=SpecialStatus.IN_FORCE).count()
    stdout.write(f"{statuses.count()} demo special statuses, {in_force} in force.")


def _moment(today: dt.date, days_ago: int, hour: int) -> dt.datetime:
    day = today - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _record(spec: DemoStatus, part: Part, users: dict, today: dt.date) -> None:
    engineer, manager = users[ENGINEER], users[MANAGER]
    with demo_clock.at(_moment(today, spec.days_ago, 9)):
        special_status = services.special_status_open(
            actor=manager,
            customer=part.customer,
            parts=[part],
            plants=Plant.objects.filter(pk=part.plant_id),
            criteria=[criterion.text for criterion in spec.criteria],
            kind=spec.kind,
            started_on=today - dt.timedelta(days=spec.days_ago),
            customer_reference=spec.reference,
            reason=spec.reason,
            owner=engineer,
        )
    criteria = list(special_status.criteria.order_by("position"))
    for criterion, demo in zip(criteria, spec.criteria, strict=True):
        if demo.met_days_ago is None:
            continue
        with demo_clock.at(_moment(today, demo.met_days_ago, 15)):
            services.criterion_meet(
                criterion=criterion,
                actor=engineer,
                met_on=today - dt.timedelta(days=demo.met_days_ago),
                evidence=demo.evidence,
            )
    if spec.exit_days_ago is None:
        return
    with demo_clock.at(_moment(today, spec.exit_days_ago + 3, 10)):
        special_status = services.special_status_request_exit(
            special_status=special_status, actor=engineer
        )
    signer = users.get(f"quality@{part.customer.code.lower()}.example")
    if signer is None:
        return
    with demo_clock.at(_moment(today, spec.exit_days_ago, 14)):
        services.special_status_sign_exit(
            special_status=special_status,
            actor=signer,
            password=DEMO_PASSWORD,
            closing_note=spec.closing_note,
        )
