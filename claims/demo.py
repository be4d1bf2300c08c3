"""Demo claims: about forty claims across the demo customers, in every stage of the lifecycle.

``seed()`` is idempotent: a claim is looked up by its customer and customer reference and only a
missing one is filed. Every state is reached through ``claims.services`` with the demo users as
actors, so the demo shows exactly what the portal would have recorded: every discipline a claim
has reached carries the structured content of ``claims.demo_8d`` (a draft only part of it). Each
filed claim carries one or two generated photos. Some claims accepted as ours carry a cost sheet
in every state of its workflow; a claim that has cost lines already keeps them as they are.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from accounts.models import User
from core import demo_clock
from customers.models import Customer, Part

from . import costs, demo_collaboration, services
from .demo_8d import EightDWriter
from .models import Claim, EightDStep

ENGINEER = "engineer@demo.example"
MANAGER = "manager@demo.example"


# Where each demo defect came from: the Pareto of defect sources on the dashboard and report.
DEFECT_SOURCES = {
    "burr": "manufacturing",
    "label": "logistics",
    "porosity": "supplier_material",
    "crack": "design",
    "thread": "manufacturing",
    "weld": "manufacturing",
    "corrosion": "supplier_material",
    "dimension": "manufacturing",
    "missing": "logistics",
    "paint": "supplier_material",
    "noise": "design",
    "hardness": "supplier_material",
}


@dataclass(frozen=True)
class Defect:
    symptom: str
    label: str  # the caption on the generated photo
    occurrence: str
    escape: str
    action: str


DEFECTS = {
    "burr": Defect(
        "Burr on bore Ø42, parts do not assemble on line 3.",
        "Burr on bore Ø42",
        "Worn reamer on OP40: tool life counter was reset after a machine stop.",
        "Deburring check only visual, once per shift; no gauge on the bore edge.",
        "Tool life monitoring in the machine control; go/no-go edge gauge at OP40.",
    ),
    "label": Defect(
        "Wrong label: mixed revisions in one box.",
        "Mixed revisions in one box",
        "Leftover parts of the old revision returned to the packing station after rework.",
        "Label printed from the order, not scanned from the parts in the box.",
        "Scan-to-pack with revision check; rework parts return through the quarantine area.",
    ),
    "porosity": Defect(
        "Porosity in the sealing face, leak test fails at 2.5 bar.",
        "Porosity on sealing face",
        "Vacuum valve of die-casting cell 2 leaking, shot vacuum below 50 mbar limit.",
        "X-ray sampling 1 part per 4 h, not linked to vacuum alarms.",
        "Vacuum monitoring with automatic part rejection; X-ray sampling after every alarm.",
    ),
    "crack": Defect(
        "Crack at the radius next to the mounting hole, found at incoming inspection.",
        "Crack at radius R3",
        "Forging die radius worn below R2.5, material flow folds at the transition.",
        "Crack detection (MPI) done on 1 part per lot instead of per hour.",
        "Die radius measured every 2,000 strokes; MPI frequency raised to hourly.",
    ),
    "thread": Defect(
        "Thread M10 damaged, screw cannot be tightened to 45 Nm.",
        "Damaged thread M10",
        "Thread-rolling head misaligned after tool change, no first-off check.",
        "Thread gauge check sampled, damaged flanks not visible on the gauge.",
        "First-off release after tool change with a thread gauge and a torque test.",
    ),
    "weld": Defect(
        "Weld seam incomplete on the bracket, part breaks off at assembly.",
        "Incomplete weld seam",
        "Wire feed slipping on robot cell 5, seam length 30 % short.",
        "Seam inspection visual only; camera check switched off after a false reject.",
        "Wire feed monitoring; seam camera back in service with adjusted limits.",
    ),
    "corrosion": Defect(
        "Red rust on the part surface after 3 weeks in the customer's store.",
        "Red rust on surface",
        "Rust protection oil diluted, concentration 2 % instead of 5 %.",
        "Oil concentration checked weekly; no check of parts before packing.",
        "Daily concentration check with refractometer; salt-spray audit monthly.",
    ),
    "dimension": Defect(
        "Hole position out of tolerance by 0.4 mm, bolt does not fit in the fixture.",
        "Hole position +0.4 mm",
        "Locating pin of fixture 12 worn, part shifts during piercing.",
        "CMM measurement once per shift does not catch a gradual drift.",
        "Pin replaced, wear check added to the preventive maintenance plan, SPC on the hole.",
    ),
    "missing": Defect(
        "Clip missing on the assembly, noise complaint from the dealer.",
        "Clip missing",
        "Clip feeder empty for 4 minutes, station kept running without parts.",
        "No presence sensor for the clip at the end-of-line check.",
        "Presence sensor for the clip; feeder low-level alarm stops the station.",
    ),
    "paint": Defect(
        "Paint peeling off on the visible side, cosmetic defect class A.",
        "Paint peeling",
        "Pre-treatment bath temperature 8 °C below target after heater failure.",
        "Adhesion cross-cut test only once per day.",
        "Bath temperature interlock on the line; cross-cut test at every batch start.",
    ),
    "noise": Defect(
        "Rattle noise reported by end customers, bushing loose in the housing.",
        "Bushing loose in housing",
        "Press-in force below minimum after press recalibration.",
        "Force/path monitoring window too wide to detect the low force.",
        "Press-in window narrowed to drawing limits; recalibration procedure with check part.",
    ),
    "hardness": Defect(
        "Hardness below specification (38 HRC measured, 42–46 required).",
        "Hardness 38 HRC",
        "Quench oil temperature too high after cooling pump failure.",
        "Hardness tested per batch end only, pump failure not alarmed.",
        "Cooling pump monitored with alarm; hardness test at batch start and end.",
    ),
}

# Lifecycle stages in the order a claim passes them; side exits are handled separately.
PROGRESSION = (
    "submitted",
    "acknowledged",
    "under_review",
    "containment",
    "d3_submitted",
    "root_cause",
    "corrective_action",
    "prevention",
    "customer_evaluation",
    "closed",
)
# When a team that keeps the usual deadlines reaches each stage, in days after the customer's
# notification (D3 within a working day, D4 in a week, D5–D6 in two, D8 in four).
STAGE_DAYS = {
    "submitted": 0,
    "acknowledged": 0.1,
    "under_review": 0.25,
    "containment": 0.6,
    "d3_submitted": 0.8,
    "root_cause": 1.2,
    "corrective_action": 6,
    "prevention": 13,
    "customer_evaluation": 24,
    "closed": 28,
}
SIDE_EXITS = {
    "draft": None,
    "cancelled": "submitted",
    "rejected_not_ours": "under_review",
    "rejected_nff": "under_review",
    "d4_sent_back": "root_cause",
}


@dataclass(frozen=True)
class DemoClaim:
    reference: str
    part_number: str
    stage: str
    days_ago: int
    defect: str
    kind: str = "0km"
    location: str = "line"
    severity: str = "major"
    suspect: int = 500
    nonconforming: int = 12
    by_engineer: bool = False  # filed by us after a phone call from the customer
    pace: float = 1.0  # 1.5: the team needed half as long again as STAGE_DAYS (a late 8D)
    photos: bool = True


CLAIMS = [
    # Autowerk AG
    DemoClaim("AW-QN-2026-0042", "HN-21-1001", "containment", 6, "burr", severity="critical",
              suspect=1200, nonconforming=37),
    DemoClaim("AW-QN-2026-0043", "HN-21-1002", "closed", 84, "porosity", location="end_of_line",
              suspect=800, nonconforming=9),
    DemoClaim("AW-QN-2026-0047", "HN-21-1010", "root_cause", 19, "crack", severity="safety",
              location="incoming_inspection", suspect=2400, nonconforming=3),
    DemoClaim("AW-QN-2026-0051", "HN-21-1060", "corrective_action", 33, "dimension",
              suspect=600, nonconforming=42),
    DemoClaim("AW-QN-2026-0055", "HN-21-1080", "prevention", 47, "porosity", suspect=300,
              nonconforming=11),
    DemoClaim("AW-QN-2026-0058", "HN-21-1020", "customer_evaluation", 58, "dimension",
              severity="critical", suspect=1500, nonconforming=60),
    DemoClaim("AW-QN-2026-0061", "HN-21-1030", "submitted", 1, "label", severity="minor",
              location="incoming_inspection", suspect=240, nonconforming=240),
    DemoClaim("AW-QN-2026-0062", "HN-21-1040", "acknowledged", 2, "corrosion",
              suspect=900, nonconforming=55),
    DemoClaim("AW-QN-2026-0064", "HN-21-1050", "under_review", 4, "thread", suspect=400,
              nonconforming=18, by_engineer=True),
    DemoClaim("AW-QN-2026-0066", "HN-21-1070", "rejected_not_ours", 27, "dimension",
              location="end_of_line", suspect=120, nonconforming=6),
    DemoClaim("AW-QN-2026-0068", "HN-21-1001", "closed", 71, "burr", suspect=700,
              nonconforming=14),
    DemoClaim("AW-QN-2026-0070", "HN-21-1010", "d3_submitted", 3, "hardness",
              severity="safety", suspect=1800, nonconforming=4),
    DemoClaim("AW-QN-2026-0071", "HN-21-1030", "draft", 0, "paint", severity="minor",
              suspect=50, nonconforming=7),
    DemoClaim("AW-FD-2026-0012", "HN-21-1060", "containment", 12, "noise", kind="field",
              location="field_dealer", suspect=0, nonconforming=0),
    # Brenner Motors
    DemoClaim("BM-SCAR-26-10231", "HN-32-2001", "root_cause", 24, "noise", kind="field",
              location="field_dealer", suspect=0, nonconforming=0),
    DemoClaim("BM-SCAR-26-10245", "HN-32-2010", "containment", 3, "thread", severity="safety",
              suspect=3000, nonconforming=21),
    DemoClaim("BM-SCAR-26-10250", "HN-32-2040", "customer_evaluation", 66, "porosity",
              severity="safety", location="incoming_inspection", suspect=1000,
              nonconforming=8),
    DemoClaim("BM-SCAR-26-10262", "HN-32-2090", "closed", 88, "crack", severity="critical",
              suspect=2000, nonconforming=5),
    DemoClaim("BM-SCAR-26-10266", "HN-32-2020", "corrective_action", 39, "weld",
              suspect=450, nonconforming=30),
    DemoClaim("BM-SCAR-26-10270", "HN-32-2030", "rejected_nff", 22, "dimension",
              location="incoming_inspection", suspect=200, nonconforming=10),
    DemoClaim("BM-SCAR-26-10274", "HN-32-2050", "cancelled", 15, "label", severity="minor",
              suspect=100, nonconforming=100),
    DemoClaim("BM-SCAR-26-10279", "HN-32-2060", "d4_sent_back", 29, "weld", severity="safety",
              suspect=640, nonconforming=12),
    DemoClaim("BM-SCAR-26-10283", "HN-32-2070", "submitted", 2, "weld", location="end_of_line",
              suspect=80, nonconforming=2, by_engineer=True),
    DemoClaim("BM-SCAR-26-10288", "HN-32-2080", "prevention", 52, "corrosion", suspect=1200,
              nonconforming=75),
    DemoClaim("BM-SCAR-26-10290", "HN-32-2001", "under_review", 5, "noise", kind="field",
              location="field_dealer", suspect=0, nonconforming=0),
    DemoClaim("BM-SCAR-26-10295", "HN-32-2040", "acknowledged", 1, "missing",
              severity="critical", suspect=500, nonconforming=3),
    DemoClaim("BM-WAR-26-0417", "HN-32-2090", "closed", 63, "hardness", kind="field",
              location="field_dealer", severity="safety", suspect=0, nonconforming=0),
    # Caldera Trucks
    DemoClaim("CT-RC-26-118", "HN-45-3001", "containment", 9, "weld", severity="safety",
              suspect=60, nonconforming=4),
    DemoClaim("CT-RC-26-121", "HN-45-3030", "closed", 79, "dimension", suspect=900,
              nonconforming=40),
    DemoClaim("CT-RC-26-124", "HN-45-3040", "root_cause", 13, "corrosion", suspect=700,
              nonconforming=90),
    DemoClaim("CT-RC-26-127", "HN-45-3050", "corrective_action", 27, "weld", suspect=350,
              nonconforming=16),
    DemoClaim("CT-RC-26-130", "HN-45-3070", "submitted", 3, "missing", severity="minor",
              location="end_of_line", suspect=150, nonconforming=9),
    DemoClaim("CT-RC-26-131", "HN-45-3080", "rejected_not_ours", 35, "paint",
              severity="minor", suspect=200, nonconforming=25),
    DemoClaim("CT-RC-26-133", "HN-45-3010", "d3_submitted", 2, "porosity", severity="safety",
              location="incoming_inspection", suspect=400, nonconforming=6),
    DemoClaim("CT-RC-26-135", "HN-45-3020", "prevention", 44, "crack", severity="safety",
              suspect=250, nonconforming=2),
    DemoClaim("CT-RC-26-137", "HN-45-3060", "under_review", 6, "dimension",
              location="end_of_line", suspect=300, nonconforming=15, by_engineer=True),
    DemoClaim("CT-RC-26-138", "HN-45-3090", "customer_evaluation", 41, "thread",
              severity="critical", suspect=5000, nonconforming=48),
    DemoClaim("CT-RC-26-140", "HN-45-3030", "cancelled", 8, "label", severity="minor",
              suspect=60, nonconforming=60),
    DemoClaim("CT-RC-26-141", "HN-45-3001", "draft", 0, "weld", suspect=20, nonconforming=1),
    DemoClaim("CT-FD-26-009", "HN-45-3020", "closed", 90, "hardness", kind="field",
              location="field_dealer", severity="safety", suspect=0, nonconforming=0),
]  # fmt: skip


# Two years of claims before the ones above, so that the dashboard's trends, on-time rate and
# closures per month have a past: two closures a month (every calendar month has one), a third
# claim every fourth month, each customer's numbering, about one 8D in four late, now and then a
# claim that was not ours.
PAST_PARTS = {
    "AW-QN-{year}-{seq:04d}": ("HN-21-1001", "HN-21-1020", "HN-21-1040", "HN-21-1050"),
    "BM-SCAR-{yy}-{seq:05d}": ("HN-32-2010", "HN-32-2020", "HN-32-2050", "HN-32-2080"),
    "CT-RC-{yy}-{seq:03d}": ("HN-45-3010", "HN-45-3040", "HN-45-3060", "HN-45-3070"),
}
PAST_DEFECTS = ("burr", "label", "thread", "dimension", "paint", "missing", "weld", "corrosion")
LATE_PACE = 1.6


def past_claims(today: dt.date, months: int | None = None) -> list[DemoClaim]:
    """The claims of the ``months`` before the current ones (CQM_DEMO_PAST_MONTHS)."""
    months = settings.CQM_DEMO_PAST_MONTHS if months is None else months
    rng = random.Random("cqm-demo-past-claims")
    schemes = list(PAST_PARTS.items())
    claims, sequence = [], {}
    for months_ago in range(months, 0, -1):
        for slot in range(3 if months_ago % 4 == 0 else 2):
            pace = LATE_PACE if (months_ago + slot) % 4 == 0 else 1.0
            closes_days_ago = round((months_ago - slot / 2 + (slot == 2) * 0.75) * 30.4)
            days_ago = closes_days_ago + round(STAGE_DAYS["closed"] * pace)
            notified = today - dt.timedelta(days=days_ago)
            scheme, parts = schemes[(months_ago + slot) % len(schemes)]
            key = (scheme, notified.year)
            sequence[key] = sequence.get(key, 0) + 1
            number = len(claims)
            claims.append(
                DemoClaim(
                    scheme.format(year=notified.year, yy=notified.year % 100, seq=sequence[key]),
                    parts[rng.randrange(len(parts))],
                    "rejected_nff" if slot == 2 and months_ago % 8 == 0 else "closed",
                    days_ago,
                    PAST_DEFECTS[number % len(PAST_DEFECTS)],
                    suspect=rng.randint(100, 2000),
                    nonconforming=rng.randint(2, 40),
                    severity="critical" if number % 5 == 0 else "major",
                    pace=pace,
                    photos=False,
                )
            )
    return claims


@dataclass(frozen=True)
class DemoCost:
    category: str
    quantity: str
    unit: str
    rate: str
    description: str
    evidence: str = ""
    factor: str | None = None  # technical factor %, warranty lines only

    def line_fields(self) -> dict:
        """What ``costs.cost_line_add`` takes for this line."""
        fields = {name: getattr(self, name) for name in ("category", "quantity", "unit", "rate")}
        fields.update(description=self.description, evidence=self.evidence)
        if self.factor:
            fields["technical_factor_percent"] = self.factor
        return fields


@dataclass(frozen=True)
class DemoCostSheet:
    reference: str
    status: str  # the sheet's status: draft, released, accepted or disputed
    lines: tuple[DemoCost, ...]


SORTING_DISPUTE = "Sorting hours not agreed with our plant logistics."
ADMIN_FEE = DemoCost("admin_fee", "1", "flat", "150.00", "Claim handling fee as per the QAA")
PREMIUM_FREIGHT = DemoCost(
    "premium_freight", "1", "flat", "850.00", "Express truck with certified replacement parts"
)
LINE_STOP = DemoCost(
    "line_stop", "45", "min", "95.00", "Assembly line stopped at the customer", "Downtime log"
)

COST_SHEETS = [
    DemoCostSheet("AW-QN-2026-0043", "accepted", (
        DemoCost("sorting", "16", "h", "48.00", "100 % leak test of 800 suspect brackets",
                 "Sorting report SR-26-031"),
        DemoCost("scrap", "9", "pcs", "12.40", "Leaking brackets scrapped at the customer"),
        ADMIN_FEE,
    )),
    DemoCostSheet("AW-QN-2026-0058", "released", (
        DemoCost("sorting", "24", "h", "48.00", "Hole position check of 1,500 suspect parts",
                 "Sorting report SR-26-044"),
        DemoCost("scrap", "60", "pcs", "12.40", "Parts with hole position out of tolerance"),
        LINE_STOP,
        ADMIN_FEE,
    )),
    DemoCostSheet("AW-QN-2026-0047", "draft", (
        DemoCost("sorting", "30", "h", "48.00", "Crack detection (MPI) of 2,400 suspect parts"),
        PREMIUM_FREIGHT,
    )),
    DemoCostSheet("BM-SCAR-26-10262", "disputed", (
        DemoCost("sorting", "12", "h", "48.00", "Crack inspection of 2,000 suspect parts",
                 "Sorting report SR-10262"),
        DemoCost("scrap", "5", "pcs", "12.40", "Cracked parts scrapped at incoming inspection"),
        PREMIUM_FREIGHT,
    )),
    DemoCostSheet("BM-WAR-26-0417", "released", (
        DemoCost("warranty", "3", "pcs", "420.00", "Stabilizer bar links replaced at dealers",
                 "Dealer warranty reports W-88121, W-88140, W-88157", factor="60"),
        ADMIN_FEE,
    )),
    DemoCostSheet("BM-SCAR-26-10266", "draft", (
        DemoCost("sorting", "8", "h", "48.00", "Weld seam check of 450 suspect oil pans"),
        DemoCost("scrap", "30", "pcs", "12.40", "Oil pans with incomplete weld seams"),
        LINE_STOP,
    )),
    DemoCostSheet("CT-RC-26-121", "released", (
        DemoCost("sorting", "12", "h", "48.00", "Hole position check of 900 suspect parts",
                 "Sorting report CT-121"),
        DemoCost("scrap", "37", "pcs", "12.40", "Parts with hole position out of tolerance"),
        PREMIUM_FREIGHT,
    )),
    DemoCostSheet("CT-RC-26-138", "draft", (
        DemoCost("sorting", "40", "h", "48.00", "Thread gauge check of 5,000 suspect parts"),
        DemoCost("rework", "48", "pcs", "6.50", "Threads re-cut and torque-tested"),
        DemoCost("travel", "320", "km", "0.30", "Resident engineer at the Caldera plant"),
    )),
]  # fmt: skip


# --- seeding -------------------------------------------------------------------------------------


@transaction.atomic
def seed(*, today: dt.date | None = None, stdout=None) -> None:
    """File whatever demo claim is missing, take it to its stage, then add the missing costs."""
    today = today or timezone.localdate()
    users = {user.email: user for user in User.objects.filter(email__endswith=".example")}
    parts = {part.part_number: part for part in Part.objects.select_related("customer")}
    created, claims = 0, {}
    for index, spec in enumerate([*past_claims(today), *CLAIMS]):
        part = parts[spec.part_number]
        claim = Claim.objects.filter(
            customer=part.customer, customer_reference=spec.reference
        ).first()
        if claim is None:
            claim = _file(spec, index, part, users, today)
            _stage(spec, claim, users)
            created += 1
        claims[spec.reference] = claim
    charged = _seed_costs(claims, users)
    demo_collaboration.seed(today=today, stdout=stdout, photos=_photos_of_a_burr)
    if stdout is not None:
        stdout.write(f"Demo claims: {created} filed, {len(claims) - created} already there.")
        stdout.write(f"Demo costs: {charged} cost sheets prepared.")


def _seed_costs(claims: dict[str, Claim], users: dict) -> int:
    """Prepare the demo cost sheets of claims without cost lines; returns how many.

    A demo claim that was changed since (say, someone filed a draft under its reference) and
    cannot be charged now is left without costs rather than failing the whole seed.
    """
    chargeable = set(
        Claim.objects.filter(pk__in=[claims[spec.reference].pk for spec in COST_SHEETS])
        .exclude(status__in=costs.NO_COSTS_WHILE)
        .filter(costs__isnull=True)
        .values_list("pk", flat=True)
    )
    prepared = 0
    for spec in COST_SHEETS:
        claim = claims[spec.reference]
        if claim.pk in chargeable:
            _charge(claim, spec, users)
            prepared += 1
    return prepared


def _charge(claim: Claim, spec: DemoCostSheet, users: dict) -> None:
    engineer, customer = users[ENGINEER], _customer_user(claim.customer, users)
    for line in spec.lines:
        costs.cost_line_add(claim=claim, actor=engineer, **line.line_fields())
    if spec.status == "draft":
        return
    costs.costs_release(claim=claim, actor=engineer)
    if spec.status == "accepted":
        costs.costs_accept(claim=claim, actor=customer, comment="Agreed with purchasing.")
    elif spec.status == "disputed":
        costs.costs_dispute(claim=claim, actor=customer, reason=SORTING_DISPUTE)


def summary(*, stdout) -> None:
    claims = Claim.objects.filter(customer_reference__in=[spec.reference for spec in CLAIMS])
    stdout.write(
        f"{claims.count()} demo claims, {claims.overdue().count()} of them with overdue 8D steps."
    )


def _customer_user(customer: Customer, users: dict) -> User:
    return users[f"quality@{customer.code.lower()}.example"]


def _file(spec: DemoClaim, index: int, part: Part, users: dict, today: dt.date) -> Claim:
    customer = part.customer
    notified = _notified_at(today, spec.days_ago, index, customer)
    actor = users[ENGINEER] if spec.by_engineer else _customer_user(customer, users)
    detected = notified.date() - dt.timedelta(days=index % 3)
    defect = DEFECTS[spec.defect]
    photos = [_photo(spec, part, defect, n) for n in range(1 + index % 2)] if spec.photos else []
    with demo_clock.at(notified):
        return services.claim_file(
            actor=actor,
            customer=customer,
            part=part,
            uploads=photos,
            submit=spec.stage != "draft",
            kind=spec.kind,
            customer_reference=spec.reference,
            detection_location=spec.location,
            detection_date=detected,
            notified_at=notified,
            symptom=defect.symptom,
            severity=spec.severity,
            suspect_qty=spec.suspect,
            nonconforming_qty=spec.nonconforming,
            ppm_qty=spec.nonconforming if spec.kind == "0km" else 0,
            lot=f"L{detected:%y%m}-{100 + index * 7}",
            batch=f"B{(index * 37) % 900 + 100}",
            serial=f"VIN…{48213 + index * 131}" if spec.kind == "field" else "",
            date_code=f"{detected:%y}{(detected.isocalendar().week - 3) % 52 + 1:02d}",
            production_date=detected - dt.timedelta(days=14 + index % 20),
            customer_contact=str(_customer_user(customer, users)),
        )


def _photos_of_a_burr(reference: str, part: Part) -> list[SimpleUploadedFile]:
    """The photo of a claim filed by another demo module (a second burr on a running 8D)."""
    spec = DemoClaim(reference, part.part_number, "submitted", 2, "burr")
    return [_photo(spec, part, DEFECTS["burr"], 0)]


def _notified_at(today: dt.date, days_ago: int, index: int, customer: Customer) -> dt.datetime:
    local = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(8 + index % 8, 15))
    notified = timezone.make_aware(local, zoneinfo.ZoneInfo(customer.time_zone))
    return min(notified, timezone.now())


# --- driving a claim to its stage ----------------------------------------------------------------


def _stage(spec: DemoClaim, claim: Claim, users: dict) -> None:
    if spec.stage == "draft":
        return
    base = SIDE_EXITS.get(spec.stage, spec.stage)
    flow = _Flow(claim, spec, users)
    when = _Moments(claim.notified_at, spec, last=base)
    for stage in PROGRESSION[1 : PROGRESSION.index(base) + 1]:
        with demo_clock.at(when.reached(stage)):
            getattr(flow, f"to_{stage}")()
    with demo_clock.at(when.reached(base) + dt.timedelta(hours=3)):
        flow.finish(spec.stage)


class _Moments:
    """When a claim reached each stage: STAGE_DAYS at the claim's pace, squeezed into the days
    since the notification when the claim is younger than its stage takes."""

    def __init__(self, notified: dt.datetime, spec: DemoClaim, *, last: str):
        self.notified = notified
        natural = STAGE_DAYS[last] * spec.pace
        elapsed = max(spec.days_ago - 0.2, 0.1) * 0.9
        self.factor = spec.pace * min(1.0, elapsed / natural) if natural else spec.pace

    def reached(self, stage: str) -> dt.datetime:
        return self.notified + dt.timedelta(days=STAGE_DAYS[stage] * self.factor)


class _Flow:
    """One claim on its way through the lifecycle, with the demo users as actors."""

    def __init__(self, claim: Claim, spec: DemoClaim, users: dict):
        self.claim, self.spec = claim, spec
        self.defect = DEFECTS[spec.defect]
        self.engineer, self.manager = users[ENGINEER], users[MANAGER]
        self.customer = _customer_user(claim.customer, users)
        self.writer = EightDWriter(claim, spec.defect, self.defect, self.engineer, self.manager)

    def to_acknowledged(self):
        services.claim_assign(claim=self.claim, engineer=self.engineer, actor=self.manager)
        services.claim_acknowledge(claim=self.claim, actor=self.engineer)

    def to_under_review(self):
        services.claim_start_review(claim=self.claim, actor=self.engineer)
        self.comment(self.customer, "Please confirm by tomorrow how you will protect our line.")
        self.comment(
            self.engineer,
            "Received, our team is on it. Sorting at your plant is being organised today.",
        )

    def to_containment(self):
        services.claim_accept_responsibility(claim=self.claim, actor=self.engineer)
        source = DEFECT_SOURCES[self.spec.defect]
        services.claim_classify(claim=self.claim, actor=self.engineer, defect_source=source)
        for code in ("D0", "D1", "D2"):
            self.answer(code)
            self.approve(code)

    def to_d3_submitted(self):
        self.answer("D3")

    def to_root_cause(self):
        self.approve("D3")

    def to_corrective_action(self):
        self.answer("D4")
        self.approve("D4")

    def to_prevention(self):
        for code in ("D5", "D6"):
            self.answer(code)
            self.approve(code)

    def to_customer_evaluation(self):
        self.answer("D7")
        self.approve("D7")
        self.writer.check_effectiveness()
        self.answer("D8")

    def to_closed(self):
        self.writer.complete_preventive_actions()
        services.claim_customer_accept(
            claim=self.claim, actor=self.customer, comment="8D accepted, thank you."
        )

    def finish(self, stage: str) -> None:
        """Leave the work in progress a claim in this stage would show."""
        if stage == "cancelled":
            services.claim_cancel(
                claim=self.claim,
                actor=self.customer,
                reason="Filed twice by mistake; the parts belong to an earlier claim.",
            )
        elif stage.startswith("rejected_"):
            self.reject(stage)
        elif stage == "under_review":  # the team is being formed while we decide
            self.draft("D0")
            self.draft("D1")
        elif stage == "containment":
            self.draft("D3")
            self.comment(self.engineer, "Check whether the same lot went to other customers.",
                         internal=True)  # fmt: skip
        elif stage == "root_cause":
            self.draft("D4")
        elif stage == "d4_sent_back":
            self.answer("D4")
            services.step_send_back(
                step=self.step("D4"),
                actor=self.customer,
                comment="Please attach the attribute study behind the escape cause.",
            )
        elif stage == "corrective_action":
            self.answer("D5")
            self.draft("D6")
        elif stage == "prevention":
            self.draft("D7")

    # --- single moves --------------------------------------------------------------------------

    def step(self, code: str) -> EightDStep:
        return self.claim.steps.get(code=code)

    def draft(self, code: str, *, partial: bool = True) -> None:
        """Write the discipline's content (only part of it for a draft left as such)."""
        self.writer.fill(code, partial=partial)
        services.step_save(
            step=self.step(code),
            actor=self.engineer,
            summary=self.summary(code),
            internal_note="Cost estimate to be agreed with purchasing before submission.",
        )

    def answer(self, code: str) -> None:
        self.draft(code, partial=False)
        services.step_submit(step=self.step(code), actor=self.engineer)

    def approve(self, code: str) -> None:
        services.step_approve(step=self.step(code), actor=self.customer, comment="Approved.")

    def comment(self, author: User, body: str, *, internal: bool = False) -> None:
        services.comment_add(claim=self.claim, actor=author, body=body, internal=internal)

    def reject(self, stage: str) -> None:
        if stage == "rejected_nff":
            code = Claim.RejectionCode.NO_FAULT_FOUND
            reason = (
                "All 10 returned parts measured on CMM: every characteristic within tolerance. "
                "Measurement report attached."
            )
        else:
            code = Claim.RejectionCode.NOT_OURS
            reason = (
                "The damage matches the customer's own handling: dents from the transport rack, "
                "parts left our plant in good condition (outgoing audit report attached)."
            )
        services.claim_reject_responsibility(
            claim=self.claim, actor=self.manager, reason_code=code, reason=reason
        )

    def summary(self, code: str) -> str:
        spec, defect, claim = self.spec, self.defect, self.claim
        texts = {
            "D0": "Emergency response started: suspect stock blocked at our plant and in transit.",
            "D1": (
                f"Cross-functional team led by {self.engineer.full_name}, with production, "
                "process engineering and maintenance of the plant that makes the part."
            ),
            "D2": (
                f"{defect.symptom} Is: {claim.part.part_number} lot {claim.lot}, "
                f"{spec.nonconforming} of {spec.suspect} parts affected. "
                "Is not: other lots, other part numbers from the same line."
            ),
            "D3": (
                f"100 % sorting of {spec.suspect} suspect parts at the customer and in our "
                "warehouse; certified parts marked with a green dot. Clean point from next lot."
            ),
            "D4": f"Occurrence: {defect.occurrence} Non-detection: {defect.escape}",
            "D5": f"Chosen actions: {defect.action}",
            "D6": "Actions implemented and verified: 3 consecutive lots without finding.",
            "D7": "Read-across to similar parts and lines done; PFMEA revised.",
            "D8": "Team recognised, lessons learned shared in the plant quality meeting.",
        }
        return texts[code]


# --- generated photos ----------------------------------------------------------------------------


def _photo(spec: DemoClaim, part: Part, defect: Defect, number: int) -> SimpleUploadedFile:
    """A small JPEG: a grey part silhouette with the defect circled in red and a caption."""
    rng = random.Random(f"{spec.reference}-{number}")
    image = Image.new("RGB", (480, 320), (236, 238, 240))
    draw = ImageDraw.Draw(image)
    body = (60 + rng.randint(-10, 10), 50, 420 + rng.randint(-10, 10), 240)
    draw.rounded_rectangle(body, radius=28, fill=(128, 132, 138), outline=(70, 74, 80), width=3)
    for x in (110, 370):
        draw.ellipse((x - 22, 123, x + 22, 167), fill=(236, 238, 240), outline=(70, 74, 80))
    draw.ellipse((205, 110, 275, 180), fill=(96, 100, 106), outline=(50, 54, 60), width=3)
    cx, cy = rng.randint(140, 340), rng.randint(80, 210)
    draw.ellipse((cx - 34, cy - 34, cx + 34, cy + 34), outline=(220, 30, 30), width=5)
    font = _font()
    draw.rectangle((0, 270, 480, 320), fill=(33, 37, 41))
    caption = f"{spec.reference} · {part.part_number} · {defect.label}"
    draw.text((12, 282), caption, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    name = f"{spec.reference.lower()}-photo-{number + 1}.jpg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _font():
    try:
        return ImageFont.load_default(size=16)
    except TypeError:  # Pillow without FreeType: the fixed bitmap font has no sizes
        return ImageFont.load_default()
