"""Demo data: three customers, two plants, about thirty parts, one user per role and open actions.

``seed_demo()`` is idempotent: records are looked up by their natural keys (customer code, plant
code, part number + revision, user e-mail, holiday date, action title on its part) and only what is
missing is created, always through the services. Nothing here runs from a migration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create, user_update
from core.models import Action
from core.services import action_create

from . import services
from .models import Contact, Customer, Holiday, Part, Plant

DEMO_PASSWORD = "demo-pass-1"

PLANTS = [
    {"code": "HEILBRONN", "name": "Heilbronn stamping and assembly", "city": "Heilbronn",
     "country": "Germany", "time_zone": "Europe/Berlin"},
    {"code": "BRNO", "name": "Brno machining and casting", "city": "Brno",
     "country": "Czech Republic", "time_zone": "Europe/Prague"},
]  # fmt: skip

CUSTOMERS = [
    {
        "fields": {
            "name": "Autowerk AG", "code": "AUTOWERK", "supplier_number": "AW-104729",
            "street": "Porschestraße 40", "postal_code": "70435", "city": "Stuttgart",
            "country": "Germany", "time_zone": "Europe/Berlin",
        },
        "holidays": "DE",
        # The reference defaults: D3 within one working day, D8 within 30 calendar days.
        "requirements": {"report_recipients": "supplier-quality@autowerk.example"},
        "contacts": [
            ("Katrin Vogel", "Supplier quality engineer", "k.vogel@autowerk.example",
             "+49 711 4402 118"),
            ("Dr. Stefan Hoffmann", "Head of purchasing, chassis", "s.hoffmann@autowerk.example",
             "+49 711 4402 230"),
        ],
    },
    {
        "fields": {
            "name": "Brenner Motors", "code": "BRENNER", "supplier_number": "BM-55821",
            "street": "2400 Industrial Parkway", "postal_code": "48326", "city": "Auburn Hills",
            "country": "United States", "time_zone": "America/Detroit",
        },
        "holidays": "US",
        "requirements": {
            "d3_days": 2, "d3_basis": "working", "d8_days": 60, "d8_basis": "calendar",
            "ppm_target_0km": 25, "ppm_target_field": 5,
            "report_recipients": "sqe@brenner.example, warranty@brenner.example",
        },
        "contacts": [
            ("Michael Carter", "Supplier quality engineer", "m.carter@brenner.example",
             "+1 248 555 0142"),
            ("Jennifer Lopez", "Warranty analyst", "j.lopez@brenner.example", "+1 248 555 0178"),
        ],
    },
    {
        "fields": {
            "name": "Caldera Trucks", "code": "CALDERA", "supplier_number": "CT-00931",
            "street": "Polígono Industrial Malpica, Calle E 14", "postal_code": "50016",
            "city": "Zaragoza", "country": "Spain", "time_zone": "Europe/Madrid",
        },
        "holidays": "ES",
        "requirements": {
            "d4_days": 10, "d8_days": 45, "ppm_target_0km": 100, "ppm_target_field": 20,
            "default_ppap_level": 2, "max_attachment_mb": 50,
        },
        "contacts": [
            ("Javier Morales", "Calidad proveedores", "j.morales@caldera.example",
             "+34 976 555 310"),
        ],
    },
]  # fmt: skip

# {(customer, plant): [(our part number, revision, customer part number, description, commodity,
#                        safety-relevant)]}
PARTS = {
    ("AUTOWERK", "BRNO"): [
        ("HN-21-1001", "C", "4G0 615 125 B", "Brake caliper bracket, front left", "Casting", True),
        ("HN-21-1002", "C", "4G0 615 126 B", "Brake caliper bracket, front right", "Casting", True),
        ("HN-21-1010", "B", "4G0 407 253 D", "Steering knuckle, front axle", "Forging", True),
        ("HN-21-1060", "A", "4G0 407 613", "Wheel hub flange", "Machining", True),
        ("HN-21-1080", "B", "4G0 199 307 F", "Engine mount bracket", "Die casting", False),
    ],
    ("AUTOWERK", "HEILBRONN"): [
        ("HN-21-1020", "A", "4G0 857 739", "Seat belt anchor plate", "Stamping", True),
        ("HN-21-1030", "D", "4G0 831 411 A", "Door hinge, upper", "Stamping", False),
        ("HN-21-1040", "A", "4G0 253 143", "Exhaust heat shield, centre", "Stamping", False),
        ("HN-21-1050", "B", "4G0 133 317 C", "Fuel rail bracket", "Stamping", False),
        ("HN-21-1070", "A", "4G0 915 321", "Battery tray cross member", "Extrusion", False),
    ],
    ("BRENNER", "BRNO"): [
        ("HN-32-2001", "A", "68402117AA", "Lower control arm bushing", "Rubber-metal parts", False),
        ("HN-32-2010", "B", "68402230AB", "Outer tie rod end", "Forging", True),
        ("HN-32-2040", "C", "68402561AC", "Airbag inflator housing", "Machining", True),
        ("HN-32-2090", "A", "68403011AA", "Stabilizer bar link", "Forging", True),
    ],
    ("BRENNER", "HEILBRONN"): [
        ("HN-32-2020", "A", "68402318AA", "Transmission oil pan", "Stamping", False),
        ("HN-32-2030", "A", "68402455AA", "Radiator support bracket", "Stamping", False),
        ("HN-32-2050", "A", "68402672AA", "Coolant hose clamp bracket", "Stamping", False),
        ("HN-32-2060", "B", "68402789AB", "Parking brake lever assembly", "Welding", True),
        ("HN-32-2070", "A", "68402814AA", "Instrument panel cross-car beam", "Welding", False),
        ("HN-32-2080", "A", "68402936AA", "Sunroof guide rail, left", "Extrusion", False),
    ],
    ("CALDERA", "HEILBRONN"): [
        ("HN-45-3001", "B", "CT-7701-220", "Fifth wheel mounting plate", "Welding", True),
        ("HN-45-3030", "C", "CT-7704-508", "Cab mount bracket", "Stamping", False),
        ("HN-45-3040", "A", "CT-7705-212", "Fuel tank strap", "Stamping", False),
        ("HN-45-3050", "A", "CT-7706-090", "Exhaust aftertreatment bracket", "Stamping", False),
        ("HN-45-3070", "A", "CT-7708-400", "Battery box lid", "Injection moulding", False),
        ("HN-45-3080", "A", "CT-7709-017", "Mudguard bracket, rear", "Stamping", False),
    ],
    ("CALDERA", "BRNO"): [
        ("HN-45-3010", "A", "CT-7702-114", "Air brake valve housing", "Die casting", True),
        ("HN-45-3020", "A", "CT-7703-031", "Leaf spring hanger, rear", "Forging", True),
        ("HN-45-3060", "B", "CT-7707-133", "Steering column bracket", "Machining", True),
        ("HN-45-3090", "A", "CT-7710-256", "Axle U-bolt M22", "Forging", True),
    ],
}  # fmt: skip

# (e-mail, full name, job title, role, customer code, time zone)
USERS = [
    ("admin@demo.example", "Anna Schmidt", "Quality systems administrator", Role.ADMIN, None,
     "Europe/Berlin"),
    ("manager@demo.example", "Markus Weber", "Head of customer quality", Role.MANAGER, None,
     "Europe/Berlin"),
    ("engineer@demo.example", "Julia Becker", "Customer quality engineer", Role.ENGINEER, None,
     "Europe/Berlin"),
    ("quality@autowerk.example", "Thomas Müller", "Supplier quality engineer", Role.CUSTOMER,
     "AUTOWERK", "Europe/Berlin"),
    ("quality@brenner.example", "Sarah Johnson", "Supplier quality engineer", Role.CUSTOMER,
     "BRENNER", "America/Detroit"),
    ("quality@caldera.example", "Lucía Fernández", "Supplier quality lead", Role.CUSTOMER,
     "CALDERA", "Europe/Madrid"),
]  # fmt: skip

# Each customer's quality contact administers their company's portal users.
COMPANY_ADMINS = ("quality@autowerk.example", "quality@brenner.example", "quality@caldera.example")

# Our staff answering for each customer: told first of its new claims.
RESPONSIBLE_ENGINEERS = {
    "AUTOWERK": ["engineer@demo.example"],
    "BRENNER": ["engineer@demo.example", "manager@demo.example"],
    "CALDERA": ["manager@demo.example"],
}

# (part number, title, kind, owner e-mail, due in days from today: negative = overdue)
ACTIONS = [
    ("HN-21-1001", "Re-run capability study on bore diameter Ø42", Action.Kind.CORRECTIVE,
     "engineer@demo.example", -6),
    ("HN-21-1020", "Replace worn die insert on press line 3", Action.Kind.CORRECTIVE,
     "engineer@demo.example", -2),
    ("HN-32-2040", "100 % inspection of stock at Auburn Hills warehouse",
     Action.Kind.CONTAINMENT, "engineer@demo.example", 1),
    ("HN-32-2060", "Update control plan after weld parameter change", Action.Kind.PREVENTIVE,
     "engineer@demo.example", 9),
    ("HN-45-3010", "Verify porosity X-ray sampling plan with Caldera", Action.Kind.IMPLEMENTATION,
     "manager@demo.example", -1),
    ("HN-45-3090", "Read-across of thread rolling fix to M20 U-bolts", Action.Kind.PREVENTIVE,
     "manager@demo.example", 21),
]  # fmt: skip


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    role: str
    customer_name: str
    password: str = DEMO_PASSWORD


def demo_logins() -> list[DemoLogin]:
    names = {c["fields"]["code"]: c["fields"]["name"] for c in CUSTOMERS}
    return [
        DemoLogin(email, name, role, names.get(code, ""))
        for email, name, _t, role, code, _z in USERS
    ]


def seed(*, today: dt.date | None = None, stdout=None) -> None:
    """The ``seed_demo`` command's hook: customers, plants, parts, users and actions."""
    seed_demo(today=today)


def summary(*, stdout) -> None:
    """The demo logins as a table, printed at the end of ``seed_demo``."""
    rows = [("E-mail", "Role", "Password")]
    rows += [(login.email, _role_label(login), login.password) for login in demo_logins()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    stdout.write("Demo logins:")
    for index, row in enumerate(rows):
        stdout.write("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if index == 0:
            stdout.write("  " + "  ".join("-" * w for w in widths))


def _role_label(login: DemoLogin) -> str:
    label = str(Role(login.role).label)
    return f"{label} ({login.customer_name})" if login.customer_name else label


@transaction.atomic
def seed_demo(*, today: dt.date | None = None) -> list[DemoLogin]:
    """Create whatever demo record is missing; returns the demo logins."""
    today = today or timezone.localdate()
    plants = {fields["code"]: _plant(fields) for fields in PLANTS}
    customers = {spec["fields"]["code"]: _customer(spec, today) for spec in CUSTOMERS}
    users = {row[0]: _user(*row, customers=customers) for row in USERS}
    for email in COMPANY_ADMINS:
        _company_admin(users[email], actor=users["admin@demo.example"])
    for code, emails in RESPONSIBLE_ENGINEERS.items():
        _responsible(customers[code], [users[email] for email in emails])
    actor = users["admin@demo.example"]
    parts = {
        row[0]: _part(row, customers[customer], plants[plant], actor)
        for (customer, plant), rows in PARTS.items()
        for row in rows
    }
    for row in ACTIONS:
        _action(row, parts, users, actor=users["manager@demo.example"], today=today)
    return demo_logins()


def _plant(fields: dict) -> Plant:
    existing = Plant.objects.filter(code=fields["code"]).first()
    return existing or services.plant_create(actor=None, **fields)


def _customer(spec: dict, today: dt.date) -> Customer:
    customer = Customer.objects.filter(code=spec["fields"]["code"]).first()
    if customer is None:
        customer = services.customer_create(**spec["fields"])
        services.requirements_update(
            requirements=customer.requirements, actor=None, **spec["requirements"]
        )
    for name, function, email, phone in spec["contacts"]:
        if not Contact.objects.filter(customer=customer, name=name).exists():
            services.contact_create(
                customer=customer, actor=None, name=name, function=function, email=email,
                phone=phone,
            )  # fmt: skip
    _holidays(customer, HOLIDAY_CALENDARS[spec["holidays"]], (today.year, today.year + 1))
    return customer


def _responsible(customer: Customer, engineers: list[User]) -> None:
    if not customer.responsible_engineers.exists():
        services.customer_update(customer=customer, actor=None, responsible_engineers=engineers)


def _holidays(customer: Customer, calendar, years) -> None:
    known = set(Holiday.objects.filter(customer=customer).values_list("date", flat=True))
    for year in years:
        for day, name in sorted(calendar(year).items()):
            if day not in known:
                services.holiday_add(customer=customer, date=day, name=name, actor=None)
                known.add(day)


def _user(email, full_name, job_title, role, customer_code, time_zone, *, customers) -> User:
    existing = User.objects.filter(email__iexact=email).first()
    if existing:
        return existing
    admin = role == Role.ADMIN
    return user_create(
        email=email,
        full_name=full_name,
        role=role,
        password=DEMO_PASSWORD,
        customer=customers[customer_code] if customer_code else None,
        actor=None,
        job_title=job_title,
        time_zone=time_zone,
        is_staff=admin,
        is_superuser=admin,
    )


def _company_admin(user: User, *, actor: User) -> None:
    """Through the service (and into the history), also on a demo seeded before the flag."""
    if not user.is_company_admin:
        user_update(user=user, actor=actor, is_company_admin=True)


def _part(row, customer: Customer, plant: Plant, actor) -> Part:
    number, revision, customer_number, description, commodity, safety = row
    existing = Part.objects.filter(part_number=number, revision=revision).first()
    if existing:
        return existing
    return services.part_create(
        actor=actor,
        part_number=number,
        revision=revision,
        customer_part_number=customer_number,
        description=description,
        commodity=commodity,
        safety_relevant=safety,
        customer=customer,
        plant=plant,
    )


def _action(row, parts, users, *, actor, today) -> None:
    part_number, title, kind, owner, due_in_days = row
    part = parts[part_number]
    exists = Action.objects.filter(
        content_type=ContentType.objects.get_for_model(Part), object_id=part.pk, title=title
    ).exists()
    if not exists:
        action_create(
            record=part,
            title=title,
            kind=kind,
            owner=users[owner],
            due_date=today + dt.timedelta(days=due_in_days),
            actor=actor,
        )


# --- Public holidays ----------------------------------------------------------------------------


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_offset = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_offset) // 451
    month, day = divmod(h + weekday_offset - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def german_holidays(year: int) -> dict[dt.date, str]:
    """Nationwide public holidays in Germany."""
    easter = easter_sunday(year)
    return {
        dt.date(year, 1, 1): "New Year's Day",
        easter - dt.timedelta(days=2): "Good Friday",
        easter + dt.timedelta(days=1): "Easter Monday",
        dt.date(year, 5, 1): "Labour Day",
        easter + dt.timedelta(days=39): "Ascension Day",
        easter + dt.timedelta(days=50): "Whit Monday",
        dt.date(year, 10, 3): "German Unity Day",
        dt.date(year, 12, 25): "Christmas Day",
        dt.date(year, 12, 26): "St Stephen's Day",
    }


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th ``weekday`` (0 = Monday) of a month; n = -1 for the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last = next_month - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: dt.date) -> dt.date:
    """US federal rule: a Saturday holiday is taken on Friday, a Sunday one on Monday."""
    shift = {5: -1, 6: 1}.get(day.weekday(), 0)
    return day + dt.timedelta(days=shift)


def us_holidays(year: int) -> dict[dt.date, str]:
    """US federal holidays, on the days they are observed."""
    monday, thursday = 0, 3
    return {
        _observed(dt.date(year, 1, 1)): "New Year's Day",
        _nth_weekday(year, 1, monday, 3): "Martin Luther King Jr. Day",
        _nth_weekday(year, 2, monday, 3): "Washington's Birthday",
        _nth_weekday(year, 5, monday, -1): "Memorial Day",
        _observed(dt.date(year, 6, 19)): "Juneteenth",
        _observed(dt.date(year, 7, 4)): "Independence Day",
        _nth_weekday(year, 9, monday, 1): "Labor Day",
        _nth_weekday(year, 10, monday, 2): "Columbus Day",
        _observed(dt.date(year, 11, 11)): "Veterans Day",
        _nth_weekday(year, 11, thursday, 4): "Thanksgiving Day",
        _observed(dt.date(year, 12, 25)): "Christmas Day",
    }


def spanish_holidays(year: int) -> dict[dt.date, str]:
    """Nationwide public holidays in Spain (without regional ones)."""
    easter = easter_sunday(year)
    return {
        dt.date(year, 1, 1): "Año Nuevo",
        dt.date(year, 1, 6): "Epifanía del Señor",
        easter - dt.timedelta(days=2): "Viernes Santo",
        dt.date(year, 5, 1): "Fiesta del Trabajo",
        dt.date(year, 8, 15): "Asunción de la Virgen",
        dt.date(year, 10, 12): "Fiesta Nacional de España",
        dt.date(year, 11, 1): "Todos los Santos",
        dt.date(year, 12, 6): "Día de la Constitución",
        dt.date(year, 12, 8): "Inmaculada Concepción",
        dt.date(year, 12, 25): "Natividad del Señor",
    }


HOLIDAY_CALENDARS = {"DE": german_holidays, "US": us_holidays, "ES": spanish_holidays}
