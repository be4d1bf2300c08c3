"""Filters every list and list endpoint shares (django-filter)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from .waiting import FILTER_CHOICES, waiting_filter


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
