"""Deviation filters shared by the register page, the export and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from claims.models import Claim
from core.filters import FilterSet, WaitingFilter
from core.forms import StyledForm
from core.tenancy import is_internal
from customers.models import Customer, Part

from ..models import Deviation
from . import selectors


class DeviationFilter(FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Number, title, part number, lot or customer authorisation number."),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Deviation.Status.choices, label=_("Status")
    )
    kind = django_filters.ChoiceFilter(
        choices=Deviation.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    customer = django_filters.ModelChoiceFilter(
        queryset=Customer.objects.none(), label=_("Customer"), empty_label=_("All customers")
    )
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
        queryset=Claim.objects.none(),
        label=_("Originating claim"),
        field_name="originating_claim",
        widget=forms.HiddenInput,
    )
    expiring = django_filters.BooleanFilter(
        method="filter_expiring", label=_("Expiring soon"), widget=forms.CheckboxInput
    )
    near_cap = django_filters.BooleanFilter(
        method="filter_near_cap", label=_("Near the quantity cap"), widget=forms.CheckboxInput
    )
    waiting = WaitingFilter()

    class Meta:
        model = Deviation
        fields = ["status", "kind", "customer", "part", "claim"]

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)
        self.filters["customer"].queryset = Customer.objects.visible_to(self.user).only(
            "pk", "name"
        )
        self.filters["part"].queryset = Part.objects.visible_to(self.user)
        self.filters["claim"].queryset = Claim.objects.visible_to(self.user)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_expiring(self, queryset, name, value):
        # An unticked box means "all", not "not expiring".
        return selectors.expiring_soon(queryset) if value else queryset

    def filter_near_cap(self, queryset, name, value):
        return selectors.near_cap(queryset) if value else queryset


SORT_KEYS = {
    "number": F("number"),
    "customer": F("customer__name"),
    "kind": F("kind"),
    "status": F("status"),
    "expires": F("expires_on"),
    "shipped": F("quantity_shipped"),
    "created": F("created_at"),
}


class DeviationOrderingFilter(django_filters.OrderingFilter):
    """Column sorting; empty values last either way, the primary key breaks ties."""

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


class DeviationListFilter(DeviationFilter):
    """The register page: a search box ``q``, the filters that fit the viewer, column sorting."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=Deviation.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    ordering = DeviationOrderingFilter(
        label=_("Sort by"),
        widget=forms.HiddenInput,
        field_labels={
            "number": _("Number"),
            "customer": _("Customer"),
            "kind": _("Kind"),
            "status": _("Status"),
            "expires": _("Expiry date"),
            "shipped": _("Shipped"),
            "created": _("Created"),
        },
    )

    PAGE_ORDER = (
        "q",
        "status",
        "kind",
        "customer",
        "waiting",
        "part",
        "expiring",
        "near_cap",
        "claim",
        "ordering",
    )
    INTERNAL_ONLY = ("customer",)

    class Meta(DeviationFilter.Meta):
        form = StyledForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        internal = is_internal(self.user)
        self.filters = {
            name: self.filters[name]
            for name in self.PAGE_ORDER
            if internal or name not in self.INTERNAL_ONLY
        }
