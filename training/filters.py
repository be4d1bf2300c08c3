"""Filters of the training register, shared by the pages and the API."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import INTERNAL_ROLES
from core import filters as core_filters

from . import selectors
from .models import Assignment, Level, Qualification, QualificationKind, Requirement, TrainingRecord


def _staff():
    return get_user_model().objects.filter(role__in=INTERNAL_ROLES)


def _mine(request):
    return getattr(request, "user", None)


class _PersonFilters(core_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(queryset=_staff(), label=_("Person"))
    mine = django_filters.BooleanFilter(
        method="only_mine", label=_("Mine only"), widget=forms.CheckboxInput
    )

    def only_mine(self, queryset, name, value):
        user = _mine(self.request)
        return queryset.filter(person=user) if value and user is not None else queryset


class RequirementFilter(core_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(queryset=_staff(), label=_("Person"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Required level"))
    search = django_filters.CharFilter(method="by_text", label=_("Search"))

    class Meta:
        model = Requirement
        fields = ["person", "role", "document", "skill", "level"]

    def by_text(self, queryset, name, value):
        return queryset.filter(
            Q(document__number__icontains=value)
            | Q(document__title__icontains=value)
            | Q(skill__name__icontains=value)
            | Q(person__full_name__icontains=value)
        )


class TrainingRecordFilter(_PersonFilters):
    search = django_filters.CharFilter(method="by_text", label=_("Search"))
    trained_from = core_filters.DateFilter(field_name="trained_on", lookup_expr="gte")
    trained_until = core_filters.DateFilter(field_name="trained_on", lookup_expr="lte")

    class Meta:
        model = TrainingRecord
        fields = ["person", "skill", "level"]

    def by_text(self, queryset, name, value):
        return queryset.filter(
            Q(revision__document__number__icontains=value)
            | Q(revision__document__title__icontains=value)
            | Q(skill__name__icontains=value)
            | Q(person__full_name__icontains=value)
            | Q(evidence__icontains=value)
        )


class QualificationFilter(_PersonFilters):
    kind = django_filters.ChoiceFilter(choices=QualificationKind.choices, label=_("Qualification"))
    valid = django_filters.BooleanFilter(
        method="valid_today",
        label=_("Valid today"),
        widget=forms.CheckboxInput,
    )
    expiring = django_filters.BooleanFilter(
        method="expiring_soon",
        label=_("Expiring within 60 days"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Qualification
        fields = ["person", "kind"]

    def valid_today(self, queryset, name, value):
        return queryset.valid_on(timezone.localdate()) if value else queryset

    def expiring_soon(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        horizon = today + dt.timedelta(days=selectors.EXPIRING_WITHIN_DAYS)
        return queryset.filter(valid_until__gte=today, valid_until__lte=horizon)


class AssignmentFilter(_PersonFilters):
    status = django_filters.ChoiceFilter(choices=Assignment.Status.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(
        method="only_overdue",
        label=_("Overdue only"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Assignment
        fields = ["person", "status"]

    def only_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.open().filter(due_on__lt=timezone.localdate())
