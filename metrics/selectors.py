"""Reads behind the delivery pages and the API."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum

from .models import Delivery


def deliveries_for(user) -> QuerySet[Delivery]:
    """The deliveries ``user`` may see, with what a list shows of their customer, part and plant."""
    return Delivery.objects.visible_to(user).select_related("customer", "part", "plant")


def delivery_totals(deliveries: QuerySet[Delivery]) -> dict:
    """How many deliveries and parts a (filtered) set holds, in one query."""
    totals = deliveries.order_by().aggregate(count=Count("pk"), quantity=Sum("quantity"))
    return {"count": totals["count"], "quantity": totals["quantity"] or 0}
