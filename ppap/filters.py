"""Submission filters shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core import filters as core_filters
from customers.filters import CustomerFilter
from customers.models import Part

from .models import PpapSubmission
from .reasons import PpapLevel, SubmissionReason


class SubmissionFilter(core_filters.ViewerFilterSet):
    search = core_filters.SearchFilter(
        help_text=_("Number, part number, customer part number or part name.")
    )
    status = core_filters.StatusFilter(PpapSubmission.Status.choices)
    customer = CustomerFilter()
    part = django_filters.ModelChoiceFilter(queryset=Part.objects.none(), label=_("Part"))
    level = django_filters.ChoiceFilter(
        choices=PpapLevel.choices, label=_("Level"), empty_label=_("All levels")
    )
    reason = django_filters.ChoiceFilter(
        choices=SubmissionReason.choices, label=_("Reason"), empty_label=_("All reasons")
    )
    overdue = core_filters.TickFilter(
        lambda submissions: submissions.overdue(), label=_("Overdue only")
    )
    waiting = core_filters.WaitingFilter()

    class Meta:
        model = PpapSubmission
        fields = ["status", "customer", "part", "level", "reason"]

    VISIBLE_CHOICES = {"customer": ("pk", "name"), "part": ()}


SORT_KEYS = {
    "number": F("number"),
    "customer": F("customer__name"),
    "part": F("part__part_number"),
    "level": F("level"),
    "status": F("status"),
    "due": F("due_date"),
    "created": F("created_at"),
}


class SubmissionListFilter(core_filters.PageFilterSet, SubmissionFilter):
    ordering = core_filters.NullsLastOrderingFilter(SORT_KEYS)

    PAGE_ORDER = ("status", "customer", "level", "reason", "waiting", "overdue", "part")
    INTERNAL_ONLY = ("customer",)
