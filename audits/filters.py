"""Audit and finding filters shared by the list pages and the API (same query parameters)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core import filters as core_filters
from customers.filters import CustomerFilter

from .models import Audit, Finding


class AuditFilter(core_filters.ViewerFilterSet):
    search = core_filters.SearchFilter()
    status = core_filters.StatusFilter(Audit.Status.choices)
    type = django_filters.ChoiceFilter(
        choices=Audit.Type.choices, label=_("Type"), empty_label=_("All types")
    )
    customer = CustomerFilter()
    year = core_filters.YearFilter(field_name="planned_date__year", label=_("Year"))
    waiting = core_filters.WaitingFilter()

    class Meta:
        model = Audit
        fields = ["status", "type", "customer"]

    VISIBLE_CHOICES = {"customer": ("pk", "name")}


class FindingFilter(core_filters.FilterSet):
    search = core_filters.SearchFilter()
    status = core_filters.StatusFilter(Finding.Status.choices)
    classification = django_filters.ChoiceFilter(
        choices=Finding.Classification.choices,
        label=_("Classification"),
        empty_label=_("All classes"),
    )
    audit = core_filters.IdFilter(field_name="audit_id", label=_("Audit"))
    overdue = core_filters.TickFilter(lambda findings: findings.overdue(), label=_("Overdue only"))
    waiting = core_filters.WaitingFilter()

    class Meta:
        model = Finding
        fields = ["status", "classification"]


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


class AuditListFilter(core_filters.PageFilterSet, AuditFilter):
    ordering = _ordering(AUDIT_SORT)
    PAGE_ORDER = ("status", "type", "customer", "year", "waiting")
    INTERNAL_ONLY = ("customer", "type")


class FindingListFilter(core_filters.PageFilterSet, FindingFilter):
    ordering = _ordering(FINDING_SORT)
    PAGE_ORDER = ("status", "classification", "waiting", "overdue")
