"""Change filters shared by the list page, the CSV export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core import filters as core_filters
from customers.filters import CustomerFilter

from .models import ChangeRequest


class ChangeFilter(core_filters.ViewerFilterSet):
    search = core_filters.SearchFilter(help_text=_("Change number, title or part number."))
    status = core_filters.StatusesFilter(ChangeRequest.Status.choices)
    change_type = django_filters.ChoiceFilter(
        choices=ChangeRequest.Type.choices, label=_("Type"), empty_label=_("All types")
    )
    customer = CustomerFilter()
    awaiting_customer = core_filters.TickFilter(
        lambda changes: changes.filter(status=ChangeRequest.Status.CUSTOMER_APPROVAL),
        label=_("Customer approval pending"),
    )
    ppap_required = core_filters.TickFilter(
        lambda changes: changes.filter(ppap_required=True), label=_("PPAP required")
    )
    open = core_filters.TickFilter(lambda changes: changes.open(), label=_("Open only"))
    waiting = core_filters.WaitingFilter()

    class Meta:
        model = ChangeRequest
        fields = ["status", "change_type", "customer"]

    VISIBLE_CHOICES = {"customer": ("pk", "name")}


SORT_KEYS = {
    "number": F("number"),
    "title": F("title"),
    "customer": F("customer__name"),
    "type": F("change_type"),
    "status": core_filters.choice_rank("status", ChangeRequest.Status),
    "effectivity": F("effectivity_date"),
    "created": F("created_at"),
}


class ChangeListFilter(core_filters.PageFilterSet, ChangeFilter):
    """The list page: a search box ``q``, the filters that fit the viewer and column sorting."""

    status = core_filters.StatusFilter(ChangeRequest.Status.choices)
    ordering = core_filters.NullsLastOrderingFilter(SORT_KEYS)

    PAGE_ORDER = (
        "status",
        "change_type",
        "customer",
        "waiting",
        "awaiting_customer",
        "ppap_required",
        "open",
    )
    INTERNAL_ONLY = ("customer",)
