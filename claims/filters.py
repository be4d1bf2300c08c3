"""Claim filters shared by the list pages and the API, so both understand the same parameters."""

from __future__ import annotations

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core import filters as core_filters
from customers.filters import CustomerFilter
from customers.models import Part

from .models import Claim
from .selectors import with_steps_to_approve


class ClaimFilter(core_filters.ViewerFilterSet):
    search = core_filters.SearchFilter(
        help_text=_("Claim number, customer reference, part number or symptom.")
    )
    status = core_filters.StatusesFilter(Claim.Status.choices)
    kind = core_filters.KindFilter(Claim.Kind.choices)
    severity = django_filters.ChoiceFilter(
        choices=Claim.Severity.choices, label=_("Severity"), empty_label=_("All severities")
    )
    customer = CustomerFilter()
    part = django_filters.ModelChoiceFilter(queryset=Part.objects.none(), label=_("Part"))
    assigned = django_filters.ChoiceFilter(
        method="filter_assigned",
        label=_("Assigned"),
        choices=[("me", _("Assigned to me")), ("none", _("Unassigned"))],
        empty_label=_("Anyone"),
    )
    overdue = core_filters.TickFilter(lambda claims: claims.overdue(), label=_("Overdue only"))
    open = core_filters.TickFilter(lambda claims: claims.open_filed(), label=_("Open only"))
    waiting = core_filters.WaitingFilter()
    steps_to_approve = core_filters.TickFilter(
        with_steps_to_approve, label=_("8D steps awaiting the customer's approval")
    )

    class Meta:
        model = Claim
        fields = ["status", "kind", "severity", "customer", "part"]

    VISIBLE_CHOICES = {"customer": ("pk", "name"), "part": ()}

    def filter_assigned(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assigned_engineer=self.user)
        if value == "none":
            return queryset.filter(assigned_engineer__isnull=True)
        return queryset


# The list columns people can sort by: query value -> what the claims are ordered by.
SORT_KEYS = {
    "number": F("number"),
    "customer": F("customer__name"),
    "part": F("part__part_number"),
    "kind": F("kind"),
    "severity": core_filters.choice_rank("severity", Claim.Severity),
    "status": core_filters.choice_rank("status", Claim.Status),
    "next_due": F("next_due_at"),  # annotated by selectors.with_next_due
    "created": F("created_at"),
}


class ClaimListFilter(core_filters.PageFilterSet, ClaimFilter):
    """The list pages: a search box ``q``, the filters that fit the viewer and column sorting."""

    status = core_filters.StatusFilter(Claim.Status.choices)
    # Without a choice the page keeps its own order (the inbox: most urgent first).
    ordering = core_filters.NullsLastOrderingFilter(SORT_KEYS)

    PAGE_ORDER = (
        "status",
        "kind",
        "severity",
        "customer",
        "assigned",
        "waiting",
        "overdue",
        "open",
        "steps_to_approve",
    )
    INTERNAL_ONLY = ("customer", "assigned")
