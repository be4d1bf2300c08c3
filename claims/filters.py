"""Claim filters shared by the list pages and the API, so both understand the same parameters."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, WaitingFilter
from core.forms import StyledForm
from core.tenancy import is_internal
from customers.models import Customer, Part

from .models import Claim
from .selectors import with_steps_to_approve


class ClaimFilter(FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Claim number, customer reference, part number or symptom."),
    )
    status = django_filters.MultipleChoiceFilter(choices=Claim.Status.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(
        choices=Claim.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    severity = django_filters.ChoiceFilter(
        choices=Claim.Severity.choices, label=_("Severity"), empty_label=_("All severities")
    )
    customer = django_filters.ModelChoiceFilter(
        queryset=Customer.objects.none(), label=_("Customer"), empty_label=_("All customers")
    )
    part = django_filters.ModelChoiceFilter(queryset=Part.objects.none(), label=_("Part"))
    assigned = django_filters.ChoiceFilter(
        method="filter_assigned",
        label=_("Assigned"),
        choices=[("me", _("Assigned to me")), ("none", _("Unassigned"))],
        empty_label=_("Anyone"),
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("Overdue only"), widget=forms.CheckboxInput
    )
    open = django_filters.BooleanFilter(
        method="filter_open", label=_("Open only"), widget=forms.CheckboxInput
    )
    waiting = WaitingFilter()
    steps_to_approve = django_filters.BooleanFilter(
        method="filter_steps_to_approve",
        label=_("8D steps awaiting the customer's approval"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Claim
        fields = ["status", "kind", "severity", "customer", "part"]

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)
        self.filters["customer"].queryset = Customer.objects.visible_to(self.user).only(
            "pk", "name"
        )
        self.filters["part"].queryset = Part.objects.visible_to(self.user)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_assigned(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assigned_engineer=self.user)
        if value == "none":
            return queryset.filter(assigned_engineer__isnull=True)
        return queryset

    def filter_overdue(self, queryset, name, value):
        # An unticked box means "all claims", not "claims on time".
        return queryset.overdue() if value else queryset

    def filter_open(self, queryset, name, value):
        return queryset.open_filed() if value else queryset

    def filter_steps_to_approve(self, queryset, name, value):
        return with_steps_to_approve(queryset) if value else queryset


def _choice_rank(field: str, choices) -> Case:
    """Sort by the order the choices are declared in (safety before minor), not alphabetically."""
    return Case(
        *(When(**{field: value}, then=Value(rank)) for rank, value in enumerate(choices.values)),
        default=Value(len(choices.values)),
        output_field=IntegerField(),
    )


# The list columns people can sort by: query value -> what the claims are ordered by.
SORT_KEYS = {
    "number": F("number"),
    "customer": F("customer__name"),
    "part": F("part__part_number"),
    "kind": F("kind"),
    "severity": _choice_rank("severity", Claim.Severity),
    "status": _choice_rank("status", Claim.Status),
    "next_due": F("next_due_at"),  # annotated by selectors.with_next_due
    "created": F("created_at"),
}


class ClaimOrderingFilter(django_filters.OrderingFilter):
    """Column sorting; claims without a value (no next deadline) come last either way.

    The primary key breaks ties in the same direction, so that pages never overlap and reversing
    the order reverses the list.
    """

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
        descending = param.startswith("-")
        key = param.removeprefix("-")
        expression = F("pk") if key == "pk" else SORT_KEYS[key]
        if descending:
            return expression.desc(nulls_last=True)
        return expression.asc(nulls_last=True)


class ClaimListFilter(ClaimFilter):
    """The list pages: a search box ``q``, the filters that fit the viewer and column sorting."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=Claim.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    # Without a choice the page keeps its own order (the inbox: most urgent first).
    ordering = ClaimOrderingFilter(
        label=_("Sort by"),
        widget=forms.HiddenInput,  # chosen with the column headers, carried along by the form
        field_labels={
            "number": _("Number"),
            "customer": _("Customer"),
            "part": _("Part"),
            "kind": _("Kind"),
            "severity": _("Severity"),
            "status": _("Status"),
            "next_due": _("Next 8D step due"),
            "created": _("Created"),
        },
    )

    PAGE_ORDER = (
        "q",
        "status",
        "kind",
        "severity",
        "customer",
        "assigned",
        "waiting",
        "overdue",
        "open",
        "steps_to_approve",
        "ordering",
    )
    INTERNAL_ONLY = ("customer", "assigned")

    class Meta(ClaimFilter.Meta):
        form = StyledForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        internal = is_internal(self.user)
        self.filters = {
            name: self.filters[name]
            for name in self.PAGE_ORDER
            if internal or name not in self.INTERNAL_ONLY
        }
