"""Special status filters shared by the register page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core import filters as core_filters
from customers.filters import CustomerFilter
from customers.models import Part

from . import selectors
from .models import SpecialStatus


class SpecialStatusFilter(core_filters.ViewerFilterSet):
    search = core_filters.SearchFilter(
        help_text=_("Number, the customer's reference, reason or part number.")
    )
    status = core_filters.StatusesFilter(SpecialStatus.Status.choices)
    kind = core_filters.KindFilter(SpecialStatus.Kind.choices)
    customer = CustomerFilter()
    # A link's filter (?part=<id>), not a drop-down: the search box finds a part by its number.
    part = django_filters.ModelChoiceFilter(
        queryset=Part.objects.none(),
        label=_("Part"),
        field_name="parts",
        distinct=True,
        widget=forms.HiddenInput,
    )
    in_force = core_filters.TickFilter(selectors.only_in_force, label=_("In force only"))
    waiting = core_filters.WaitingFilter()

    class Meta:
        model = SpecialStatus
        fields = ["status", "kind", "customer", "part"]

    VISIBLE_CHOICES = {"customer": ("pk", "name"), "part": ()}


SORT_KEYS = {
    "number": F("number"),
    "customer": F("customer__name"),
    "kind": core_filters.choice_rank("kind", SpecialStatus.Kind),
    "status": core_filters.choice_rank("status", SpecialStatus.Status),
    "started": F("started_on"),
}


class SpecialStatusListFilter(core_filters.PageFilterSet, SpecialStatusFilter):
    """The register page: a search box ``q``, the filters that fit the viewer, column sorting."""

    status = core_filters.StatusFilter(SpecialStatus.Status.choices)
    ordering = core_filters.NullsLastOrderingFilter(SORT_KEYS)

    PAGE_ORDER = ("customer", "kind", "status", "waiting", "in_force", "part")
    INTERNAL_ONLY = ("customer",)
