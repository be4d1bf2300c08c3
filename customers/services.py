"""Every write to customers, plants, parts and their requirements goes through here."""

from __future__ import annotations

from django.db import transaction

from .models import Customer, CustomerRequirements


@transaction.atomic
def customer_create(*, actor=None, **fields) -> Customer:
    """Create a customer together with its requirements, seeded with the reference defaults."""
    customer = Customer(**fields)
    customer.full_clean()
    customer.save()
    CustomerRequirements.objects.create(customer=customer)
    return customer
