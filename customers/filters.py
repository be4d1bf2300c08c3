"""Part filters shared by the parts page and the API, so both understand the same parameters."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import DateFilter, FilterSet
from core.forms import StyledForm
from core.tenancy import is_internal

from .models import Customer, Part, Plant
from .selectors import parts_active_on


def _visible_customers(request):
    user = request.user if request else None
    return Customer.objects.visible_to(user).only("pk", "name")


def _visible_plants(request):
    user = request.user if request else None
    return Plant.objects.visible_to(user).only("pk", "code", "name")


class PartFilter(FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Part number, customer part number, description or commodity."),
    )
    customer = django_filters.ModelChoiceFilter(
        queryset=_visible_customers, label=_("Customer"), empty_label=_("All customers")
    )
    plant = django_filters.ModelChoiceFilter(
        queryset=_visible_plants, label=_("Plant"), empty_label=_("All plants")
    )
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

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

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


class PartListFilter(PartFilter):
    """The parts page: a search box ``q``, an "active today" switch and a sort order."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    safety = django_filters.ChoiceFilter(
        method="filter_safety",
        label=_("Safety-relevant"),
        choices=[("yes", _("Safety-relevant only")), ("no", _("Not safety-relevant"))],
        empty_label=_("All parts"),
    )
    active_today = django_filters.BooleanFilter(
        method="filter_active_today", label=_("Active today"), widget=forms.CheckboxInput
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

    PAGE_ORDER = ("q", "customer", "plant", "commodity", "safety", "active_today", "ordering")

    class Meta(PartFilter.Meta):
        form = StyledForm

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        for name in ("search", "safety_relevant", "active_on"):
            del self.filters[name]
        self.filters = {
            name: self.filters[name] for name in self.PAGE_ORDER if name in self.filters
        }
        if not is_internal(request.user if request else None):
            # A customer user sees only their own parts; a customer choice would only confuse.
            del self.filters["customer"]

    def filter_safety(self, queryset, name, value):
        return queryset.filter(safety_relevant=value == "yes")

    def filter_active_today(self, queryset, name, value):
        # An unticked box means "all parts", not "inactive parts".
        return parts_active_on(queryset, timezone.localdate()) if value else queryset
