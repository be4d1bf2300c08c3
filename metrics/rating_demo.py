"""Demo data of the rated scorecard: settings for the demo customers, the certificates they require
of us, and twelve months of the score Autowerk gives us in its own supplier rating.

Written through the services at the moments a manager would have written them
(``core.demo_clock``): the settings when the customer's scorecard was agreed, each monthly score a
few days after the month, once Autowerk's portal published it. Seeding again adds only what is
missing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from core import demo_clock
from customers.models import Customer, Plant

from . import rating_services
from .models import CustomerRating, RequiredCertificate, ScorecardSettings
from .ppm import add_months, month_start

MANAGER = "manager@demo.example"
# Per customer: what its scorecard agreement sets apart from the defaults of REFERENCE §6.
SETTINGS = {
    # Autowerk rates the PPAP first-time approvals as well and weighs the field more.
    "AUTOWERK": {
        "zero_km_ppm_weight": 25,
        "field_ppm_weight": 25,
        "ppap_first_time_enabled": True,
        "ppap_first_time_weight": 10,
        "csat_weight": 10,
    },
    # Brenner's supplier manual: reaction within 48 hours, green from 90.
    "BRENNER": {
        "reaction_hours_target": Decimal(48),
        "reaction_hours_limit": Decimal(96),
        "green_from": Decimal(90),
        "yellow_from": Decimal(75),
    },
    "CALDERA": {"csat_target": Decimal(85), "csat_limit": Decimal(60)},
}
# (customer, certificate, number, valid for so many days from today, plant code or "")
CERTIFICATES = [
    ("AUTOWERK", "IATF 16949", "IATF 0412345", 540, ""),
    ("BRENNER", "IATF 16949", "IATF 0412345", 540, ""),
    ("BRENNER", "ISO 14001", "EMS-77120", 210, "HEILBRONN"),
    ("CALDERA", "IATF 16949", "IATF 0412345", 540, ""),
]
# Autowerk's own score of each of the last 12 months, oldest first: a dip after two field claims,
# recovering since.
AUTOWERK_SCORES = [88.5, 87.0, 86.5, 84.0, 78.5, 72.0, 74.5, 79.0, 82.5, 85.5, 86.0, 87.5]
# Notes on the months the score moved, by position in AUTOWERK_SCORES.
AUTOWERK_NOTES = {
    4: "Quality pillar down: two field claims on the brake bracket (burr).",
    5: "Lowest point; Autowerk's buyer asked for a recovery plan in the QBR.",
    9: "Back in the green after three months without 0 km rejects.",
}
SCORE_DAY = 6  # Autowerk publishes the month's rating on the 5th; we record it the day after


def seed(*, today: dt.date | None = None, stdout=None) -> None:
    today = today or timezone.localdate()
    manager = User.objects.filter(email=MANAGER).first()
    customers = {c.code: c for c in Customer.objects.filter(code__in=SETTINGS)}
    if manager is None or not customers:
        return
    created = _settings(customers, manager, today)
    created += _certificates(customers, manager, today)
    created += _autowerk_scores(customers.get("AUTOWERK"), manager, today)
    if stdout is not None:
        stdout.write(f"Demo scorecard records: {created} created.")


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _settings(customers: dict, manager, today: dt.date) -> int:
    created = 0
    agreed_on = add_months(month_start(today), -13) + dt.timedelta(days=9)
    for code, fields in SETTINGS.items():
        customer = customers.get(code)
        if customer is None or ScorecardSettings.objects.filter(customer=customer).exists():
            continue
        with demo_clock.at(_at(agreed_on)):
            rating_services.scorecard_settings_update(customer=customer, actor=manager, **fields)
        created += 1
    return created


def _certificates(customers: dict, manager, today: dt.date) -> int:
    created = 0
    plants = {plant.code: plant for plant in Plant.objects.all()}
    for code, name, number, valid_days, plant_code in CERTIFICATES:
        customer = customers.get(code)
        plant = plants.get(plant_code) if plant_code else None
        if customer is None or (plant_code and plant is None):
            continue
        required = RequiredCertificate.objects.filter(customer=customer, name=name, plant=plant)
        if required.exists():
            continue
        with demo_clock.at(_at(add_months(month_start(today), -13) + dt.timedelta(days=10))):
            rating_services.certificate_create(
                customer=customer,
                actor=manager,
                name=name,
                certificate_number=number,
                valid_until=today + dt.timedelta(days=valid_days),
                plant=plant,
            )
        created += 1
    return created


def _autowerk_scores(customer, manager, today: dt.date) -> int:
    if customer is None:
        return 0
    created = 0
    last = add_months(month_start(today), -1)
    months = [add_months(last, offset - len(AUTOWERK_SCORES) + 1) for offset in range(12)]
    recorded = set(
        CustomerRating.objects.filter(customer=customer, month__in=months).values_list(
            "month", flat=True
        )
    )
    for position, (month, score) in enumerate(zip(months, AUTOWERK_SCORES, strict=True)):
        if month in recorded:
            continue
        score = Decimal(str(score))
        band = "green" if score >= 85 else "yellow" if score >= 70 else "red"
        with demo_clock.at(_at(add_months(month, 1).replace(day=SCORE_DAY), 9)):
            rating_services.customer_rating_create(
                customer=customer,
                actor=manager,
                month=month,
                score=score,
                band=band,
                note=AUTOWERK_NOTES.get(position, ""),
            )
        created += 1
    return created
