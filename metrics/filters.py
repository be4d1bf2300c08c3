"""Delivery filters shared by the deliveries page and the API, so both take the same parameters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import DateFilter, FilterSet
from core.forms import DateInput, StyledForm
from customers.filters import CustomerFilter, PlantFilter, viewer, visible_customers
from customers.models import Part

from .models import Delivery


def _visible_parts(request):
    return Part.objects.visible_to(viewer(request)).only(
        "pk", "part_number", "revision", "description"
    )


def _ship_date(lookup: str, label, help_text) -> DateFilter:
    """One end of the ship dates, by ``lookup``: ``gte`` from a day, ``lte`` up to one."""
    return DateFilter(
        field_name="ship_date",
        lookup_expr=lookup,
        label=label,
        help_text=help_text,
        widget=DateInput,
    )


class DeliveryFilter(FilterSet):
    delivery_note = django_filters.CharFilter(
        lookup_expr="icontains",
        label=_("Delivery note"),
        help_text=_("Part of a delivery note number."),
    )
    customer = CustomerFilter(queryset=visible_customers)
    part = django_filters.ModelChoiceFilter(
        queryset=_visible_parts, label=_("Part"), empty_label=_("All parts")
    )
    plant = PlantFilter()
    shipped_from = _ship_date("gte", _("Shipped from"), _("First ship date included (YYYY-MM-DD)."))
    shipped_to = _ship_date("lte", _("Shipped to"), _("Last ship date included (YYYY-MM-DD)."))

    class Meta:
        model = Delivery
        fields = ["delivery_note", "customer", "part", "plant", "shipped_from", "shipped_to"]
        form = StyledForm


class DeliveryListFilter(DeliveryFilter):
    """The deliveries page: the same filters, shown by their labels alone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.help_text = ""
