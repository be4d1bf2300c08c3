"""Who may do what with change requests: the one place the module checks capabilities."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import PermissionDenied
from core.tenancy import customer_id_of, is_internal

from .workflow import APPROVE, REVIEW, WORK


def can(user, capability: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_capability(capability))


def may_work(user) -> bool:
    """Raise, edit and move changes through assessment, validation and implementation."""
    return is_internal(user) and can(user, WORK)


def may_approve(user) -> bool:
    """Release ECNs and record the customer's documented waiver (quality managers)."""
    return is_internal(user) and can(user, APPROVE)


def may_review(user, change) -> bool:
    """Decide as the customer: a user of the change's own customer."""
    return (
        not is_internal(user) and can(user, REVIEW) and customer_id_of(user) == change.customer_id
    )


def require_work(user) -> None:
    if not may_work(user):
        raise PermissionDenied(_("You are not allowed to change this change request."))


def require_approve(user) -> None:
    if not may_approve(user):
        raise PermissionDenied(_("Only a quality manager may do this."))


def require_review(user, change) -> None:
    if not may_review(user, change):
        raise PermissionDenied(_("Only the customer's own users decide on this change notice."))
