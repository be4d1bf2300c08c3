"""Querysets of quality records: per customer, searched by text, the open ones (DESIGN §5)."""

from __future__ import annotations

import functools
import operator

from django.db import models

from core.tenancy import TenantQuerySet, is_internal


class LimitedForCustomers:
    """Mixed into a queryset with ``visible_to``: a customer's users see only ``customers_see``.

    Internal staff see every row; a customer's users see those of their rows that meet the
    condition (a draft is ours until it is sent, an internal comment stays ours).
    """

    customers_see = models.Q()

    def visible_to(self, user):
        visible = super().visible_to(user)
        return visible if is_internal(user) else visible.filter(self.customers_see)


class RecordQuerySet(TenantQuerySet):
    """Records of one model: per customer, searched by text, the open ones."""

    # The fields a search term is looked for in (any of them contains it).
    search_fields: tuple[str, ...] = ()

    def search(self, term: str):
        term = (term or "").strip()
        return self.filter(self.matching(term)) if term else self

    def matching(self, term: str):
        """The condition a record found by ``term`` meets."""
        return functools.reduce(
            operator.or_, (models.Q(**{f"{name}__icontains": term}) for name in self.search_fields)
        )

    def open(self):
        return self.exclude(status__in=self.model.FINAL_STATUSES)
