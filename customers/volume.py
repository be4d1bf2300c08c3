"""Volume customers, plants, parts and the two users the bench signs in as (see core.volumes)."""

from __future__ import annotations

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from core.volumes import PREFIX, VolumeContext

from . import services
from .models import Customer, CustomerRequirements, Part, Plant

# The bench signs in as these; the customer user belongs to the first volume customer.
ENGINEER_EMAIL = "engineer@volume.example"
CUSTOMER_USER_EMAIL = "quality@vol01.volume.example"
PASSWORD = "volume-pass-1"
COMMODITIES = ["Stamping", "Machining", "Casting", "Plastics", "Electronics", "Assembly"]
PLANTS = [("VOLNORTH", "North plant"), ("VOLSOUTH", "South plant")]


TABLES = ["customers_customer", "customers_part"]


def exists() -> bool:
    return Customer.objects.filter(code__startswith=PREFIX).exists()


def seed(ctx: VolumeContext) -> dict[str, int]:
    plants = [
        Plant.objects.filter(code=code).first() or services.plant_create(code=code, name=name)
        for code, name in PLANTS
    ]
    customers = [_customer(number) for number in range(1, ctx.count("customers") + 1)]
    _users(customers[0])
    parts = ctx.count("parts")
    Part.objects.bulk_create(
        [
            Part(
                part_number=f"{PREFIX}-{n:06d}",
                customer_part_number=f"C{n % 97:02d}-{n:06d}",
                revision="A",
                description=f"Bracket {n}",
                customer=customers[n % len(customers)],
                plant=plants[n % len(plants)],
                commodity=COMMODITIES[n % len(COMMODITIES)],
                safety_relevant=n % 11 == 0,
            )
            for n in range(1, parts + 1)
        ],
        batch_size=1000,
    )
    ctx.say(f"  {len(customers)} customers, {parts:,} parts")
    return {"customers": len(customers), "parts": parts}


def reset(ctx: VolumeContext) -> None:
    """Parts, customers and their users; the volume engineer stays (claims are gone by now)."""
    volume_customers = Customer.objects.filter(code__startswith=PREFIX)
    Part.objects.filter(part_number__startswith=f"{PREFIX}-").delete()
    CustomerRequirements.objects.filter(customer__in=volume_customers).delete()
    User.objects.filter(customer__in=volume_customers).delete()
    volume_customers.delete()


def _customer(number: int) -> Customer:
    code = f"{PREFIX}{number:02d}"
    return Customer.objects.filter(code=code).first() or services.customer_create(
        name=f"Volume customer {number:02d}",
        code=code,
        supplier_number=f"V-{number:05d}",
        city="Sample City",
        country="Germany",
        time_zone="Europe/Berlin",
    )


def _users(first_customer: Customer) -> None:
    if not User.objects.filter(email=ENGINEER_EMAIL).exists():
        user_create(
            email=ENGINEER_EMAIL, full_name="Volume Engineer", role=Role.ENGINEER, password=PASSWORD
        )
    if not User.objects.filter(email=CUSTOMER_USER_EMAIL).exists():
        user_create(
            email=CUSTOMER_USER_EMAIL,
            full_name="Volume Customer Quality",
            role=Role.CUSTOMER,
            customer=first_customer,
            password=PASSWORD,
        )


def volume_engineer() -> User:
    return User.objects.get(email=ENGINEER_EMAIL)


def volume_parts() -> dict:
    """The parameters of statements over the volume parts: their number pattern and count."""
    return {
        "part_prefix": f"{PREFIX}-%",
        "parts": Part.objects.filter(part_number__startswith=f"{PREFIX}-").count(),
    }
