"""Audit and finding filters shared by the list pages and the API (same query parameters)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, IdFilter, WaitingFilter, YearFilter
from core.forms import StyledForm
from core.tenancy import is_internal
from customers.models import Customer

from .models import Audit, Finding


class AuditFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=Audit.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    type = django_filters.ChoiceFilter(
        choices=Audit.Type.choices, label=_("Type"), empty_label=_("All types")
    )
    customer = django_filters.ModelChoiceFilter(
        queryset=Customer.objects.none(), label=_("Customer"), empty_label=_("All customers")
    )
    year = YearFilter(field_name="planned_date__year", label=_("Year"))
    waiting = WaitingFilter()

    class Meta:
        model = Audit
        fields = ["status", "type", "customer"]

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)
        self.filters["customer"].queryset = Customer.objects.visible_to(self.user).only(
            "pk", "name"
        )

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class FindingFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=Finding.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    classification = django_filters.ChoiceFilter(
        choices=Finding.Classification.choices,
        label=_("Classification"),
        empty_label=_("All classes"),
    )
    audit = IdFilter(field_name="audit_id", label=_("Audit"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("Overdue only"), widget=forms.CheckboxInput
    )
    waiting = WaitingFilter()

    class Meta:
        model = Finding
        fields = ["status", "classification"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset


AUDIT_SORT = {
    "number": "number",
    "title": "title",
    "type": "type",
    "planned": "planned_date",
    "status": "status",
    "grade": "grade",
}
FINDING_SORT = {
    "reference": "audit__number",
    "classification": "classification",
    "status": "status",
    "due": "implementation_due",
    "raised": "raised_at",
}


def _ordering(keys: dict):
    return django_filters.OrderingFilter(
        fields=[(field, key) for key, field in keys.items()],
        widget=forms.HiddenInput,
        label=_("Sort by"),
    )


class AuditListFilter(AuditFilter):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    ordering = _ordering(AUDIT_SORT)
    PAGE_ORDER = ("q", "status", "type", "customer", "year", "waiting", "ordering")

    class Meta(AuditFilter.Meta):
        form = StyledForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        internal = is_internal(self.user)
        self.filters = {
            name: self.filters[name]
            for name in self.PAGE_ORDER
            if internal or name not in ("customer", "type")
        }


class FindingListFilter(FindingFilter):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    ordering = _ordering(FINDING_SORT)
    PAGE_ORDER = ("q", "status", "classification", "waiting", "overdue", "ordering")

    class Meta(FindingFilter.Meta):
        form = StyledForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = {name: self.filters[name] for name in self.PAGE_ORDER}
