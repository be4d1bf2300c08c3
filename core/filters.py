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

from .forms import StyledForm
from .tenancy import is_internal
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


# What a yes/no filter reads: the API's true/false, and what the pages' selects and checkboxes
# send ("unknown" for either, "on" for a ticked box). Anything else is refused.
_BOOLEAN_VALUES = {"": None, "unknown": None, "true": True, "false": False}
_CHECKBOX_VALUES = {"": False, "on": True, "true": True, "false": False}


class StrictBooleanWidget(forms.NullBooleanSelect):
    """Django's yes/no select, except that a value it does not know is passed on as sent."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        return _BOOLEAN_VALUES.get(value, value) if isinstance(value, str) else value


class StrictCheckboxInput(forms.CheckboxInput):
    """A checkbox whose unknown values are passed on as sent (Django reads any text as ticked)."""

    def value_from_datadict(self, data, files, name):
        value = data.get(name, "")
        return _CHECKBOX_VALUES.get(value, value) if isinstance(value, str) else value


class StrictBooleanField(forms.NullBooleanField):
    """Yes, no or left out; ``?open=maybe`` is a message, not a filter silently skipped."""

    widget = StrictBooleanWidget
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return value
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        pass


def _make_strict(boolean_filter: django_filters.BooleanFilter) -> None:
    """Read ``boolean_filter`` with ``StrictBooleanField``, keeping a checkbox a checkbox."""
    widget = boolean_filter.extra.get("widget")
    widget_class = widget if isinstance(widget, type) else type(widget)
    if widget is not None and issubclass(widget_class, forms.CheckboxInput):
        boolean_filter.extra["widget"] = StrictCheckboxInput(attrs=getattr(widget, "attrs", None))
    elif widget is None or issubclass(widget_class, forms.Select):
        boolean_filter.extra["widget"] = StrictBooleanWidget
    else:
        return  # a widget of its own reads its own values
    boolean_filter.field_class = StrictBooleanField


class FilterSet(django_filters.FilterSet):
    """The base of every list's FilterSet: filters generated from model fields are bounded too.

    Yes/no filters refuse what is neither (``StrictBooleanField``).
    """

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for declared in self.filters.values():
            if (
                isinstance(declared, django_filters.BooleanFilter)
                and declared.field_class is forms.NullBooleanField
            ):
                _make_strict(declared)


class ViewerFilterSet(FilterSet):
    """A FilterSet that knows its viewer (``user=``, else the request's user) as ``self.user``.

    ``VISIBLE_CHOICES`` names the choice filters whose records are narrowed to what the viewer
    may see (their model's ``visible_to``), each with the fields a choice reads (none: all).
    """

    VISIBLE_CHOICES: dict[str, tuple[str, ...]] = {}

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)
        for name, fields in self.VISIBLE_CHOICES.items():
            choice = self.filters[name]
            visible = choice.queryset.model._default_manager.visible_to(self.user)
            choice.queryset = visible.only(*fields) if fields else visible


class SearchFilter(django_filters.CharFilter):
    """The search box: the records whose model's ``QuerySet.search`` finds the text."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Search"))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return qs if value in EMPTY_VALUES else qs.search(value)


class TickFilter(django_filters.BooleanFilter):
    """A tick box that narrows the list to ``narrow(records)``.

    Left unticked it narrows nothing: "overdue only" unticked means every record, not the
    records on time.
    """

    def __init__(self, narrow, **kwargs):
        self.narrow = narrow
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return self.narrow(qs) if value else qs


class StatusesFilter(django_filters.MultipleChoiceFilter):
    """Any of several statuses of the records (``?status=a&status=b``)."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("label", _("Status"))
        super().__init__(choices=choices, **kwargs)


class OneChoiceFilter(django_filters.ChoiceFilter):
    """One of ``choices``, or all of them; ``label`` and ``empty_label`` default to the class's."""

    default_label = ""
    default_empty_label = ""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("label", self.default_label)
        kwargs.setdefault("empty_label", self.default_empty_label)
        super().__init__(choices=choices, **kwargs)


class StatusFilter(OneChoiceFilter):
    """One status of the list's records, or all of them."""

    default_label = _("Status")
    default_empty_label = _("All statuses")


class KindFilter(OneChoiceFilter):
    """One kind of the list's records (claim kind, deviation or concession), or all of them."""

    default_label = _("Kind")
    default_empty_label = _("All kinds")


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


def choice_rank(field: str, choices) -> models.Case:
    """Sort by the order ``choices`` are declared in, not alphabetically.

    Safety before minor; a workflow's statuses in lifecycle order.
    """
    values = choices.values
    ranks = [models.When(**{field: value}, then=models.Value(n)) for n, value in enumerate(values)]
    return models.Case(
        *ranks, default=models.Value(len(values)), output_field=models.IntegerField()
    )


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Column sorting by a list's sort keys; records without a value come last either way.

    ``sort_keys`` maps each query value to what the records are ordered by (a field, or an
    expression such as a rank of choices). The primary key breaks ties in the same direction, so
    that pages never overlap and reversing the order reverses the list.
    """

    def __init__(self, sort_keys: dict, *args, **kwargs):
        self.sort_keys = sort_keys
        kwargs.setdefault("fields", [(key, key) for key in sort_keys])
        kwargs.setdefault("label", _("Sort by"))
        # Chosen with the column headers, carried along by the list's form.
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        params = [param for param in value or () if param]
        if not params:
            return qs
        ordering = [self._expression(param) for param in params]
        return qs.order_by(*ordering, self._expression("-pk" if params[0][0] == "-" else "pk"))

    def _expression(self, param: str):
        key = param.removeprefix("-")
        expression = models.F("pk") if key == "pk" else self.sort_keys[key]
        if param.startswith("-"):
            return expression.desc(nulls_last=True)
        return expression.asc(nulls_last=True)


class PageFilterSet(FilterSet):
    """The filters of a list page: a search box ``q``, the page's own filters, the sorting.

    Derive with the FilterSet of the records (``class ClaimListFilter(PageFilterSet,
    ClaimFilter)``) and declare ``ordering``. ``PAGE_ORDER`` names the filters the page shows
    between the search box and the sorting, in order; ``INTERNAL_ONLY`` those that a customer
    user does not get. The page's form has the look of every form (``StyledForm``).
    """

    q = SearchFilter()

    PAGE_ORDER: tuple[str, ...] = ()
    INTERNAL_ONLY: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        viewer = getattr(self, "user", None) or getattr(self.request, "user", None)
        internal = is_internal(viewer)
        self.filters = {
            name: self.filters[name]
            for name in ("q", *self.PAGE_ORDER, "ordering")
            if internal or name not in self.INTERNAL_ONLY
        }

    def get_form_class(self):
        fields = {name: declared.field for name, declared in self.filters.items()}
        return type(f"{type(self).__name__}Form", (StyledForm,), fields)
