"""Filters every list and list endpoint shares (django-filter).

Every query parameter a list understands is checked before it reaches the database: a number
outside its range, a date before 1900 or after 2200, a year a date cannot have or a sort key the
list does not know is a message on that parameter (a 400 from the API, an inline error on a
page), never a 500. The FilterSets of every app derive from ``FilterSet`` here and take their
numbers and dates from ``IdFilter``, ``YearFilter``, ``NumberFilter`` and ``DateFilter``.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from .waiting import FILTER_CHOICES, waiting_filter

# The largest value of a PostgreSQL bigint (every primary key and counter here fits).
BIGINT_MAX = 2**63 - 1
# A date outside these years is a typo or an attack, never a quality record.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2200, 12, 31)
MIN_YEAR, MAX_YEAR = MIN_DATE.year, MAX_DATE.year


class BoundedDateField(forms.DateField):
    """A date between ``MIN_DATE`` and ``MAX_DATE``."""

    default_validators = [MinValueValidator(MIN_DATE), MaxValueValidator(MAX_DATE)]


class NumberFilter(django_filters.NumberFilter):
    """A whole number within ``min_value``–``max_value`` (by default 0 to the bigint maximum).

    ``1e5``, ``1.5`` or ``NaN`` are "Enter a whole number.", not a decimal reaching the query.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int = 0, max_value: int = BIGINT_MAX, **kwargs):
        kwargs.setdefault("min_value", min_value)
        kwargs.setdefault("max_value", max_value)
        super().__init__(*args, **kwargs)


class IdFilter(NumberFilter):
    """A record's id: a whole number from 1 to the bigint maximum."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)


class YearFilter(NumberFilter):
    """A year a date can have here (``MIN_YEAR``–``MAX_YEAR``); ``?year=0`` was a 500."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


class DateFilter(django_filters.DateFilter):
    """A date (YYYY-MM-DD) between ``MIN_DATE`` and ``MAX_DATE``."""

    field_class = BoundedDateField


class FilterSet(django_filters.FilterSet):
    """The base of every list's FilterSet: filters generated from model fields are bounded too."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.DateField: {"filter_class": DateFilter},
        models.AutoField: {"filter_class": IdFilter},
        models.BigAutoField: {"filter_class": IdFilter},
        models.IntegerField: {
            "filter_class": NumberFilter,
            "extra": lambda field: {"min_value": -BIGINT_MAX},
        },
        models.BigIntegerField: {"filter_class": NumberFilter},
        models.SmallIntegerField: {"filter_class": NumberFilter},
        models.PositiveIntegerField: {"filter_class": NumberFilter},
        models.PositiveSmallIntegerField: {"filter_class": NumberFilter},
        models.PositiveBigIntegerField: {"filter_class": NumberFilter},
    }


class WaitingFilter(django_filters.ChoiceFilter):
    """``?waiting=us|customer``: the records whose turn it is of that party (``core.waiting``).

    The list's rows are chosen by the same table that their pages' banners are computed from.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", FILTER_CHOICES)
        kwargs.setdefault("label", _("Waiting for"))
        kwargs.setdefault("empty_label", _("Anyone"))
        kwargs.setdefault("help_text", _("Whose turn it is: our team's or the customer's."))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return waiting_filter(qs, value)
