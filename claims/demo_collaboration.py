"""The demo's customers working the 8D with us: a claim that follows another's 8D, actions the
customer added and judged, a provisional acceptance, and claims imported from a customer's system.

Run after ``claims.demo`` has taken its claims to their stages, through the same services as the
pages, at the moments they would have happened (``core.demo_clock``). Each scene looks for what it
made before, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import User
from core import demo_clock
from customers.models import Customer, Part

from . import customer_actions, imports, linking, provisional, services
from .models import Claim, ClaimImport, CorrectiveAction, CustomerVerdict, EightDStep

ENGINEER = "engineer@demo.example"
LINKED_REFERENCE = "AW-QN-2026-0073"
IMPORT_FILE = "caldera-qms-export-week-48.csv"
# Caldera's quality system names its columns in German; the mapping is kept per customer.
CALDERA_COLUMNS = {
    "customer_reference": "Reklamationsnummer",
    "part": "Sachnummer",
    "kind": "Art",
    "severity": "Bewertung",
    "detection_location": "Fundort",
    "detection_date": "Funddatum",
    "symptom": "Fehlerbeschreibung",
    "suspect_qty": "Menge verdächtig",
    "nonconforming_qty": "Menge n.i.O.",
    "lot": "Charge",
}
CALDERA_FILE = (
    "Reklamationsnummer;Sachnummer;Art;Bewertung;Fundort;Funddatum;Fehlerbeschreibung;"
    "Menge verdächtig;Menge n.i.O.;Charge\n"
    "CT-RC-26-143;CT-7704-508;0-km;Hauptfehler;Wareneingangsprüfung;{d1};"
    "Bohrung Ø 10,5 versetzt, Schraube lässt sich nicht setzen;320;14;L2611-77\n"
    "CT-RC-26-144;CT-7709-017;0-km;Nebenfehler;Montagelinie;{d2};"
    "Lackabplatzer an der Biegekante;150;9;L2611-81\n"
    "CT-RC-26-145;CT-7702-114;0-km;Kritisch;Bandende-Prüfung;{d3};"
    "Undichtigkeit am Ventilgehäuse bei 8 bar;60;3;L2611-90\n"
)


def seed(*, today: dt.date | None = None, stdout=None, photos=None) -> None:
    """``photos(reference, part)``: the uploads of a claim filed here (imported ones have none:
    the import takes no photos)."""
    today = today or timezone.localdate()
    users = {user.email: user for user in User.objects.filter(email__endswith=".example")}
    done = [
        _linked_claim(users, today, photos or (lambda reference, part: [])),
        _customer_actions(users, today),
        _provisional_acceptance(users, today),
        _imported_claims(users, today),
    ]
    if stdout is not None:
        stdout.write(f"Demo collaboration: {sum(done)} scenes added.")


def _claim(reference: str) -> Claim | None:
    return (
        Claim.objects.select_related("customer", "part")
        .filter(customer_reference=reference)
        .first()
    )


def _quality_user(customer: Customer, users: dict) -> User:
    return users[f"quality@{customer.code.lower()}.example"]


def _ago(today: dt.date, days: float) -> dt.datetime:
    """``days`` before noon of the demo's ``today``, never later than now."""
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    return min(noon - dt.timedelta(days=days), timezone.now())


def _linked_claim(users: dict, today: dt.date, photos) -> bool:
    """A second burr claim on the same wheel carrier joins the 8D already running for it."""
    master = _claim("AW-QN-2026-0042")
    if master is None or _claim(LINKED_REFERENCE) is not None:
        return False
    customer_user = _quality_user(master.customer, users)
    with demo_clock.at(_ago(today, 2)):
        claim = services.claim_file(
            actor=customer_user,
            customer=master.customer,
            part=master.part,
            uploads=photos(LINKED_REFERENCE, master.part),
            kind=master.kind,
            customer_reference=LINKED_REFERENCE,
            detection_location=Claim.DetectionLocation.LINE,
            detection_date=today - dt.timedelta(days=3),
            notified_at=_ago(today, 2),
            symptom=master.symptom,
            severity=Claim.Severity.MAJOR,
            suspect_qty=400,
            nonconforming_qty=11,
            lot=master.lot,
            customer_contact=str(customer_user),
        )
    with demo_clock.at(_ago(today, 1.8)):
        linking.claim_link(claim=claim, master=master, actor=users[ENGINEER])
    return True


def _customer_actions(users: dict, today: dt.date) -> bool:
    """In a claim whose D5 the customer reads, they add an action of their own and decline one of
    ours; the engineer revises it."""
    claim = (
        Claim.objects.filter(
            customer_reference__in=["AW-QN-2026-0051", "BM-SCAR-26-10266", "CT-RC-26-127"],
            steps__code="D5",
            steps__status__in=[EightDStep.Status.SUBMITTED, EightDStep.Status.APPROVED],
        )
        .select_related("customer")
        .order_by("notified_at")
        .first()
    )
    if claim is None or claim.corrective_actions.filter(created_by_customer=True).exists():
        return False
    customer_user = _quality_user(claim.customer, users)
    with demo_clock.at(_ago(today, 4)):
        customer_actions.customer_action_add(
            claim=claim,
            actor=customer_user,
            step_code="D6",
            title="Send the first three lots after the change with a measurement report",
            description="Hole positions of 5 parts per lot, attached to the delivery.",
            due_date=today + dt.timedelta(days=10),
        )
    ours = (
        CorrectiveAction.objects.filter(claim=claim, created_by_customer=False)
        .select_related("action", "claim")
        .order_by("pk")
        .first()
    )
    if ours is None or not customer_actions.may_decide(claim, customer_user):
        return True
    with demo_clock.at(_ago(today, 3.5)):
        customer_actions.customer_action_decide(
            link=ours,
            actor=customer_user,
            verdict=CustomerVerdict.DECLINED,
            comment="Retraining alone will not hold; we expect a poka-yoke on the fixture.",
        )
    return True


def _provisional_acceptance(users: dict, today: dt.date) -> bool:
    """The customer accepts an 8D on condition that three clean lots prove it by a date."""
    claim = _claim("CT-RC-26-138")
    if claim is None or claim.status != Claim.Status.CUSTOMER_EVALUATION:
        return False
    if not claim.steps.filter(code="D8", status=EightDStep.Status.SUBMITTED).exists():
        return False
    with demo_clock.at(_ago(today, 5)):
        provisional.claim_accept_provisionally(
            claim=claim,
            actor=_quality_user(claim.customer, users),
            due_on=today + dt.timedelta(days=25),
            comment="Accepted on condition that the next three lots arrive without thread damage.",
        )
    return True


def _imported_claims(users: dict, today: dt.date) -> bool:
    """Caldera sends last week's claims from their own quality system, in their own columns."""
    customer = Customer.objects.filter(code__iexact="caldera").first() or (
        Part.objects.filter(part_number="HN-45-3030").select_related("customer").first().customer
    )
    if ClaimImport.objects.filter(customer=customer, file_name=IMPORT_FILE).exists():
        return False
    customer_user = _quality_user(customer, users)
    days = [(today - dt.timedelta(days=n)).strftime("%d.%m.%Y") for n in (6, 5, 4)]
    content = CALDERA_FILE.format(d1=days[0], d2=days[1], d3=days[2]).encode("utf-8-sig")
    with demo_clock.at(_ago(today, 3)):
        imports.mapping_save(actor=customer_user, customer=customer, columns=CALDERA_COLUMNS)
        imports.claims_import(
            actor=customer_user, customer=customer, content=content, file_name=IMPORT_FILE
        )
    return True
