"""Deviation filters shared by the register page, the export and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from claims.selectors import visible_claims
from core import filters as core_filters
from customers.filters import CustomerFilter
from customers.models import Part

from ..models import Deviation
from . import selectors


class DeviationFilter(core_filters.ViewerFilterSet):
    search = core_filters.SearchFilter(
        help_text=_("Number, title, part number, lot or customer authorisation number.")
    )
    status = core_filters.StatusesFilter(Deviation.Status.choices)
    kind = core_filters.KindFilter(Deviation.Kind.choices)
    customer = CustomerFilter()
    # A link's filter (?part=<id>), not a drop-down: a supplier has thousands of parts, and the
    # search box finds a deviation by part number.
    part = django_filters.ModelChoiceFilter(
        queryset=Part.objects.none(),
        label=_("Part"),
        field_name="parts",
        distinct=True,
        widget=forms.HiddenInput,
    )
    claim = django_filters.ModelChoiceFilter(
        queryset=visible_claims(None),  # the viewer's claims: VISIBLE_CHOICES
        label=_("Originating claim"),
        field_name="originating_claim",
        widget=forms.HiddenInput,
    )
    expiring = core_filters.TickFilter(selectors.expiring_soon, label=_("Expiring soon"))
    near_cap = core_filters.TickFilter(selectors.near_cap, label=_("Near the quantity cap"))
    waiting = core_filters.WaitingFilter()

    class Meta:
        model = Deviation
        fields = ["status", "kind", "customer", "part", "claim"]

    VISIBLE_CHOICES = {"customer": ("pk", "name"), "part": (), "claim": ()}


SORT_KEYS = {
    "number": F("number"),
    "customer": F("customer__name"),
    "kind": F("kind"),
    "status": F("status"),
    "expires": F("expires_on"),
    "shipped": F("quantity_shipped"),
    "created": F("created_at"),
}


class DeviationListFilter(core_filters.PageFilterSet, DeviationFilter):
    """The register page: a search box ``q``, the filters that fit the viewer, column sorting."""

    status = core_filters.StatusFilter(Deviation.Status.choices)
    ordering = core_filters.NullsLastOrderingFilter(SORT_KEYS)

    PAGE_ORDER = ("status", "kind", "customer", "waiting", "part", "expiring", "near_cap", "claim")
    INTERNAL_ONLY = ("customer",)
