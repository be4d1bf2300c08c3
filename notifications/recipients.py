"""Who a notification goes to, asked the same way by every module.

A notification goes to a person (a user) or, for a customer's report recipients who have no
portal account, to an address. These are the groups the notification matrix names.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from accounts.roles import Role, capabilities_for


def customer_users(customer_id) -> list:
    """The customer's active portal users."""
    if customer_id is None:
        return []
    users = get_user_model().objects.filter(
        customer_id=customer_id, role=Role.CUSTOMER, is_active=True
    )
    return list(users)


def report_addresses(customer) -> list[str]:
    """The customer's report recipients (mail only, no portal account needed)."""
    requirements = getattr(customer, "requirements", None)
    return requirements.recipients if requirements is not None else []


def internal_users_with(capability: str) -> list:
    """Every active member of our staff whose role grants ``capability`` (who may sign)."""
    roles = [
        role
        for role in Role.values
        if role != Role.CUSTOMER and capability in capabilities_for(role)
    ]
    return list(get_user_model().objects.filter(role__in=roles, is_active=True))


def quality_managers() -> list:
    users = get_user_model().objects.filter(role=Role.MANAGER, is_active=True)
    return list(users.order_by("pk"))


def owner_or_managers(owner) -> list:
    """The record's engineer while they are active staff, else the quality managers."""
    if owner is not None and owner.is_active and owner.is_internal:
        return [owner]
    return quality_managers()
