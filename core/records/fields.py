"""Foreign keys as quality records declare them (DESIGN §5, §6).

A record refers to what it is about (a part, a claim, the person who decided) with a protected
foreign key: the evidence keeps what it names, so that can only be deactivated, never deleted. It
has no reverse accessor unless it names one::

    customer = customer_key(verbose_name=_("customer"))
    decided_by = user_key(verbose_name=_("decided by"), null=True, blank=True)
    part = protected_key("customers.Part", verbose_name=_("part"), related_name="claims")
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


def protected_key(to, **options) -> models.ForeignKey:
    """A foreign key to ``to`` that keeps the row it names (``PROTECT``)."""
    return models.ForeignKey(to, **{"on_delete": models.PROTECT, "related_name": "+", **options})


def customer_key(**options) -> models.ForeignKey:
    """The foreign key to the customer a row belongs to: every customer-owned row has one."""
    return protected_key("customers.Customer", **options)


def user_key(**options) -> models.ForeignKey:
    """A foreign key to the person who did something to a row: filed, decided, signed it."""
    return protected_key(settings.AUTH_USER_MODEL, **options)
