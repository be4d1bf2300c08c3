"""Submission filters shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, WaitingFilter
from core.forms import StyledForm
from core.tenancy import is_internal
from customers.models import Customer, Part

from .models import PpapSubmission
from .reasons import PpapLevel, SubmissionReason


class SubmissionFilter(FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Number, part number, customer part number or part name."),
    )
    status = django_filters.ChoiceFilter(
        choices=PpapSubmission.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    customer = django_filters.ModelChoiceFilter(
        queryset=Customer.objects.none(), label=_("Customer"), empty_label=_("All customers")
    )
    part = django_filters.ModelChoiceFilter(queryset=Part.objects.none(), label=_("Part"))
    level = django_filters.ChoiceFilter(
        choices=PpapLevel.choices, label=_("Level"), empty_label=_("All levels")
    )
    reason = django_filters.ChoiceFilter(
        choices=SubmissionReason.choices, label=_("Reason"), empty_label=_("All reasons")
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("Overdue only"), widget=forms.CheckboxInput
    )
    waiting = WaitingFilter()

    class Meta:
        model = PpapSubmission
        fields = ["status", "customer", "part", "level", "reason"]

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)
        self.filters["customer"].queryset = Customer.objects.visible_to(self.user).only(
            "pk", "name"
        )
        self.filters["part"].queryset = Part.objects.visible_to(self.user)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset


SORT_KEYS = {
    "number": F("number"),
    "customer": F("customer__name"),
    "part": F("part__part_number"),
    "level": F("level"),
    "status": F("status"),
    "due": F("due_date"),
    "created": F("created_at"),
}


class SubmissionOrderingFilter(django_filters.OrderingFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fields", [(key, key) for key in SORT_KEYS])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        params = [param for param in value or () if param]
        if not params:
            return qs
        ordering = []
        for param in params:
            expression = SORT_KEYS[param.removeprefix("-")]
            desc = param.startswith("-")
            ordering.append(
                expression.desc(nulls_last=True) if desc else expression.asc(nulls_last=True)
            )
        return qs.order_by(*ordering, "-pk" if params[0].startswith("-") else "pk")


class SubmissionListFilter(SubmissionFilter):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    ordering = SubmissionOrderingFilter(label=_("Sort by"), widget=forms.HiddenInput)

    PAGE_ORDER = ("q", "status", "customer", "level", "reason", "waiting", "overdue", "ordering")
    INTERNAL_ONLY = ("customer",)

    class Meta(SubmissionFilter.Meta):
        form = StyledForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        internal = is_internal(self.user)
        self.filters = {
            name: self.filters[name]
            for name in (*self.PAGE_ORDER, "part")
            if internal or name not in self.INTERNAL_ONLY
        }
