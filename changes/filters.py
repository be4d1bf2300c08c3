"""Change filters shared by the list page, the CSV export and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, WaitingFilter
from core.forms import StyledForm
from core.tenancy import is_internal
from customers.models import Customer

from .models import ChangeRequest


class ChangeFilter(FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Change number, title or part number."),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ChangeRequest.Status.choices, label=_("Status")
    )
    change_type = django_filters.ChoiceFilter(
        choices=ChangeRequest.Type.choices, label=_("Type"), empty_label=_("All types")
    )
    customer = django_filters.ModelChoiceFilter(
        queryset=Customer.objects.none(), label=_("Customer"), empty_label=_("All customers")
    )
    awaiting_customer = django_filters.BooleanFilter(
        method="filter_awaiting_customer",
        label=_("Customer approval pending"),
        widget=forms.CheckboxInput,
    )
    ppap_required = django_filters.BooleanFilter(
        method="filter_ppap_required", label=_("PPAP required"), widget=forms.CheckboxInput
    )
    open = django_filters.BooleanFilter(
        method="filter_open", label=_("Open only"), widget=forms.CheckboxInput
    )
    waiting = WaitingFilter()

    class Meta:
        model = ChangeRequest
        fields = ["status", "change_type", "customer"]

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)
        self.filters["customer"].queryset = Customer.objects.visible_to(self.user).only(
            "pk", "name"
        )

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_awaiting_customer(self, queryset, name, value):
        # An unticked box means "all changes", not "changes not waiting".
        if value:
            return queryset.filter(status=ChangeRequest.Status.CUSTOMER_APPROVAL)
        return queryset

    def filter_ppap_required(self, queryset, name, value):
        return queryset.filter(ppap_required=True) if value else queryset

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset


def _status_rank() -> Case:
    """Sort statuses in lifecycle order, not alphabetically."""
    values = ChangeRequest.Status.values
    return Case(
        *(When(status=value, then=Value(rank)) for rank, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


SORT_KEYS = {
    "number": F("number"),
    "title": F("title"),
    "customer": F("customer__name"),
    "type": F("change_type"),
    "status": _status_rank(),
    "effectivity": F("effectivity_date"),
    "created": F("created_at"),
}


class ChangeOrderingFilter(django_filters.OrderingFilter):
    """Column sorting; empty values last, the primary key breaks ties in the same direction."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fields", [(key, key) for key in SORT_KEYS])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        params = [param for param in value or () if param]
        if not params:
            return qs
        ordering = [self._expression(param) for param in params]
        return qs.order_by(*ordering, self._expression("-pk" if params[0][0] == "-" else "pk"))

    @staticmethod
    def _expression(param: str):
        key = param.removeprefix("-")
        expression = F("pk") if key == "pk" else SORT_KEYS[key]
        if param.startswith("-"):
            return expression.desc(nulls_last=True)
        return expression.asc(nulls_last=True)


class ChangeListFilter(ChangeFilter):
    """The list page: a search box ``q``, the filters that fit the viewer and column sorting."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=ChangeRequest.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    ordering = ChangeOrderingFilter(label=_("Sort by"), widget=forms.HiddenInput)

    PAGE_ORDER = (
        "q",
        "status",
        "change_type",
        "customer",
        "waiting",
        "awaiting_customer",
        "ppap_required",
        "open",
        "ordering",
    )
    INTERNAL_ONLY = ("customer",)

    class Meta(ChangeFilter.Meta):
        form = StyledForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        internal = is_internal(self.user)
        self.filters = {
            name: self.filters[name]
            for name in self.PAGE_ORDER
            if internal or name not in self.INTERNAL_ONLY
        }
