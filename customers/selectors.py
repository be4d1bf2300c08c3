"""Reads other apps and the list pages rely on."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from .models import Customer, Holiday, Part


def holidays_for(customer) -> set[dt.date]:
    """The customer's holidays, for working-day deadlines (``core.calendar``)."""
    customer_id = getattr(customer, "pk", customer)
    return set(Holiday.objects.filter(customer_id=customer_id).values_list("date", flat=True))


def customer_list(user, *, search: str = "", status: str = "") -> QuerySet[Customer]:
    customers = Customer.objects.visible_to(user).annotate(part_count=Count("parts", distinct=True))
    if search:
        term = search.strip()
        customers = customers.filter(
            Q(name__icontains=term) | Q(code__icontains=term) | Q(supplier_number__icontains=term)
        )
    if status == "active":
        customers = customers.filter(is_active=True)
    elif status == "inactive":
        customers = customers.filter(is_active=False)
    return customers.order_by("name", "pk")


def holiday_years(customer: Customer) -> list[int]:
    dates = Holiday.objects.filter(customer=customer).dates("date", "year")
    return [day.year for day in dates]


def holidays_in_year(customer: Customer, year: int) -> QuerySet[Holiday]:
    return Holiday.objects.filter(customer=customer, date__year=year).order_by("date")


def part_count(customer: Customer) -> int:
    return Part.objects.filter(customer=customer).count()


def parts_active_on(parts: QuerySet[Part], day: dt.date) -> QuerySet[Part]:
    """Parts whose active range (open at either end) contains ``day``."""
    return parts.filter(
        Q(active_from__isnull=True) | Q(active_from__lte=day),
        Q(active_to__isnull=True) | Q(active_to__gte=day),
    )
