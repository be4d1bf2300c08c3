"""Delivery filters shared by the deliveries page and the API, so both take the same parameters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import DateFilter, FilterSet
from core.forms import DateInput, StyledForm
from customers.models import Customer, Part, Plant

from .models import Delivery


def _user(request):
    return request.user if request else None


def _visible_customers(request):
    return Customer.objects.visible_to(_user(request)).only("pk", "name")


def _visible_parts(request):
    return Part.objects.visible_to(_user(request)).only(
        "pk", "part_number", "revision", "description"
    )


def _plants(request):
    return Plant.objects.visible_to(_user(request)).only("pk", "code", "name")


class DeliveryFilter(FilterSet):
    delivery_note = django_filters.CharFilter(
        lookup_expr="icontains",
        label=_("Delivery note"),
        help_text=_("Part of a delivery note number."),
    )
    customer = django_filters.ModelChoiceFilter(
        queryset=_visible_customers, label=_("Customer"), empty_label=_("All customers")
    )
    part = django_filters.ModelChoiceFilter(
        queryset=_visible_parts, label=_("Part"), empty_label=_("All parts")
    )
    plant = django_filters.ModelChoiceFilter(
        queryset=_plants, label=_("Plant"), empty_label=_("All plants")
    )
    shipped_from = DateFilter(
        field_name="ship_date",
        lookup_expr="gte",
        label=_("Shipped from"),
        help_text=_("First ship date included (YYYY-MM-DD)."),
        widget=DateInput,
    )
    shipped_to = DateFilter(
        field_name="ship_date",
        lookup_expr="lte",
        label=_("Shipped to"),
        help_text=_("Last ship date included (YYYY-MM-DD)."),
        widget=DateInput,
    )

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
