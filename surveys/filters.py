"""Campaign filters shared by the list page and the API (same query parameters)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core import filters as core_filters
from customers.filters import CustomerFilter

from .models import Campaign, SurveyTemplate


class CampaignFilter(core_filters.ViewerFilterSet):
    search = core_filters.SearchFilter()
    status = core_filters.StatusFilter(Campaign.Status.choices)
    customer = CustomerFilter()
    template = django_filters.ModelChoiceFilter(
        queryset=SurveyTemplate.objects.all(),
        label=_("Questionnaire"),
        empty_label=_("All questionnaires"),
    )
    year = core_filters.YearFilter(field_name="opens_on__year", label=_("Year"))

    class Meta:
        model = Campaign
        fields = ["status", "customer", "template"]

    VISIBLE_CHOICES = {"customer": ("pk", "name")}


CAMPAIGN_SORT = {
    "number": "number",
    "title": "title",
    "customer": "customer__name",
    "opens": "opens_on",
    "closes": "closes_on",
    "status": "status",
}


class CampaignListFilter(core_filters.PageFilterSet, CampaignFilter):
    ordering = django_filters.OrderingFilter(
        fields=[(field, key) for key, field in CAMPAIGN_SORT.items()],
        widget=forms.HiddenInput,
        label=_("Sort by"),
    )
    PAGE_ORDER = ("status", "customer", "template", "year")
    INTERNAL_ONLY = ("customer",)
