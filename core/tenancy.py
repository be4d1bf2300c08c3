"""Tenant scoping: every customer-owned read goes through ``visible_to(user)``.

Internal staff see every customer's records; a customer user sees only their own customer's; an
anonymous or inactive user sees nothing. Another customer's record is therefore simply *not found*,
which is why views answer 404 for it, exactly as for a missing record.

The user object is duck-typed (``is_internal``, ``customer_id``) so that core imports no app.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models


def is_internal(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and getattr(user, "is_internal", False)
    )


def customer_id_of(user):
    if not (user and user.is_authenticated and user.is_active):
        return None
    return getattr(user, "customer_id", None)


class TenantQuerySet(models.QuerySet):
    """A queryset of records that belong to one customer through ``tenant_field``."""

    tenant_field = "customer"

    def visible_to(self, user):
        if is_internal(user):
            return self
        customer_id = customer_id_of(user)
        if customer_id is None:
            return self.none()
        return self.filter(**{f"{self.tenant_field}_id": customer_id})


class OwnedByRecordQuerySet(models.QuerySet):
    """Records hanging off another record (attachments, actions) through a generic relation.

    Visible exactly when the owning record is visible: for each kind of owner in use, the owner
    model's own ``visible_to`` decides (one sub-query per owner kind, none per row).
    """

    def visible_to(self, user):
        if is_internal(user):
            return self
        if customer_id_of(user) is None:
            return self.none()
        condition = models.Q(pk__in=[])
        owner_type_ids = self.order_by().values_list("content_type_id", flat=True).distinct()
        for content_type in ContentType.objects.filter(pk__in=list(owner_type_ids)):
            model = content_type.model_class()
            manager = getattr(model, "_default_manager", None)
            if model is None or not hasattr(manager, "visible_to"):
                continue  # owner kinds without tenancy are internal-only
            visible_ids = manager.visible_to(user).values("pk")
            condition |= models.Q(content_type=content_type, object_id__in=visible_ids)
        return self.filter(condition)

    def for_owner(self, owner):
        content_type = ContentType.objects.get_for_model(owner)
        return self.filter(content_type=content_type, object_id=owner.pk)


def owner_visible_to(owner, user) -> bool:
    """Whether ``user`` may see the record ``owner`` (used before serving its files)."""
    if owner is None:
        return False
    if is_internal(user):
        return True
    manager = type(owner)._default_manager
    if not hasattr(manager, "visible_to"):
        return False
    return manager.visible_to(user).filter(pk=owner.pk).exists()
