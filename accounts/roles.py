"""Roles and the capabilities they grant: the one place that says who may do what."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CUSTOMER = "customer", _("Customer user")
    ENGINEER = "engineer", _("Quality engineer")
    MANAGER = "manager", _("Quality manager")
    ADMIN = "admin", _("Administrator")


INTERNAL_ROLES = frozenset({Role.ENGINEER, Role.MANAGER, Role.ADMIN})

# Capabilities are named "<app>.<verb>"; each app checks its own through user.has_capability().
_STAFF = {
    "core.view_internal",
    "actions.manage",
    "customers.view",
    "claims.file",
    "claims.work",
    "changes.work",
    "ppap.work",
    "audits.work",
    "deliveries.import",
    "metrics.view",
    "surveys.view",
    "special_status.work",
}
_MASTER_DATA = {
    "customers.manage",
    "parts.manage",
    "parts.import",
}
CAPABILITIES: dict[str, frozenset[str]] = {
    # Customer users decide on change notices, concessions and PPAP submissions of their company
    # and confirm the closure of findings from their own audits of us.
    Role.CUSTOMER: frozenset(
        {
            "portal.use",
            "claims.file",
            "claims.review",
            "changes.review",
            "ppap.review",
            "audits.review",
            "surveys.answer",
            "special_status.review",
        }
    ),
    Role.ENGINEER: frozenset(_STAFF | {"parts.manage", "parts.import"}),
    # A quality manager may approve 8D steps on a customer's behalf (e.g. approval by e-mail).
    Role.MANAGER: frozenset(
        _STAFF
        | _MASTER_DATA
        | {
            "reports.view",
            "reports.generate",
            "scorecard.manage",
            "claims.review",
            "changes.approve",
            "ppap.sign",
            "audits.plan",
            "surveys.manage",
            "special_status.decide_for_customer",
        }
    ),
    Role.ADMIN: frozenset(
        _STAFF
        | _MASTER_DATA
        | {
            "reports.view",
            "reports.generate",
            "scorecard.manage",
            "accounts.manage",
            "changes.approve",
            "ppap.sign",
            "audits.plan",
            "surveys.manage",
            "special_status.decide_for_customer",
        }
    ),
}


# A customer administrator is a customer user with ``User.is_company_admin``, not a role of its
# own: every tenancy check on ``Role.CUSTOMER`` holds for them exactly as for their colleagues.
COMPANY_ADMIN_CAPABILITIES = frozenset({"accounts.manage_company"})


def capabilities_for(role: str, *, company_admin: bool = False) -> frozenset[str]:
    granted = CAPABILITIES.get(role, frozenset())
    if company_admin and role == Role.CUSTOMER:
        return granted | COMPANY_ADMIN_CAPABILITIES
    return granted


# A role named as a group, where whose turn it is falls to a role rather than to one person
# (core.waiting): "waiting for our team (quality managers)".
ENGINEERS_LABEL = _("quality engineers")
MANAGERS_LABEL = _("quality managers")
