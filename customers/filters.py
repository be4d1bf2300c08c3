"""Part filters shared by the parts page and the API, so both understand the same parameters."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import DateFilter, FilterSet, PageFilterSet, SearchFilter, TickFilter

from .models import Customer, Part, Plant
from .selectors import parts_active_on


def viewer(request):
    """Who is asking, for the choices of a filter (None without a request)."""
    return request.user if request else None


def visible_customers(request):
    return Customer.objects.visible_to(viewer(request)).only("pk", "name")


def visible_plants(request):
    return Plant.objects.visible_to(viewer(request)).only("pk", "code", "name")


class CustomerFilter(django_filters.ModelChoiceFilter):
    """One customer of the list's records.

    The choices are the viewer's customers: ``queryset=visible_customers``, or a
    ``ViewerFilterSet``'s ``VISIBLE_CHOICES``.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Customer.objects.none())
        kwargs.setdefault("label", _("Customer"))
        kwargs.setdefault("empty_label", _("All customers"))
        super().__init__(**kwargs)


class PlantFilter(django_filters.ModelChoiceFilter):
    """One plant of the viewer's."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", visible_plants)
        kwargs.setdefault("label", _("Plant"))
        kwargs.setdefault("empty_label", _("All plants"))
        super().__init__(**kwargs)


class PartFilter(FilterSet):
    search = SearchFilter(
        help_text=_("Part number, customer part number, description or commodity.")
    )
    customer = CustomerFilter(queryset=visible_customers)
    plant = PlantFilter()
    commodity = django_filters.CharFilter(lookup_expr="iexact", label=_("Commodity"))
    safety_relevant = django_filters.BooleanFilter(label=_("Safety-relevant"))
    active_on = DateFilter(
        method="filter_active_on",
        label=_("Active on"),
        help_text=_("Only parts active on this date (YYYY-MM-DD)."),
    )

    class Meta:
        model = Part
        fields = ["customer", "plant", "commodity", "safety_relevant"]

    def filter_active_on(self, queryset, name, value):
        return parts_active_on(queryset, value)


SORT_FIELDS = (
    ("part_number", "part_number"),
    ("customer_part_number", "customer_part_number"),
    ("description", "description"),
    ("customer__name", "customer"),
    ("plant__code", "plant"),
    ("commodity", "commodity"),
    ("active_from", "active_from"),
)


class PartListFilter(PageFilterSet, PartFilter):
    """The parts page: a search box ``q``, an "active today" switch and a sort order.

    A customer user sees only their own parts: a customer choice would only confuse.
    """

    safety = django_filters.ChoiceFilter(
        method="filter_safety",
        label=_("Safety-relevant"),
        choices=[("yes", _("Safety-relevant only")), ("no", _("Not safety-relevant"))],
        empty_label=_("All parts"),
    )
    # Unticked: every part, not only the inactive ones.
    active_today = TickFilter(
        lambda parts: parts_active_on(parts, timezone.localdate()), label=_("Active today")
    )
    ordering = django_filters.OrderingFilter(
        fields=SORT_FIELDS,
        label=_("Sort by"),
        widget=forms.HiddenInput,  # chosen with the column headers, carried along by the form
        field_labels={
            "part_number": _("Our part number"),
            "customer_part_number": _("Customer part number"),
            "description": _("Description"),
            "customer__name": _("Customer"),
            "plant__code": _("Plant"),
            "commodity": _("Commodity"),
            "active_from": _("Active from"),
        },
    )

    PAGE_ORDER = ("customer", "plant", "commodity", "safety", "active_today")
    INTERNAL_ONLY = ("customer",)

    def filter_safety(self, queryset, name, value):
        return queryset.filter(safety_relevant=value == "yes")
