"""The API's filter backends: a query parameter the list does not understand is a 400.

``OrderingFilter`` refuses a sort key the endpoint does not offer (DRF would drop it silently and
sort otherwise); ``DjangoFilterBackend`` is django-filter's, whose FilterSets (``core.filters``)
bound every number and date. ``TenantScopedMixin`` uses these backends; the settings may name
them too.

The OpenAPI schema states those bounds (``BoundedFilterExtension``): a number's ``minimum`` and
``maximum``, a record id's range, for a date the years it may have, as a ``pattern`` (JSON Schema
has no bounds for dates), and the sort keys as the pattern of ``ordering``. A value of the form
the schema gives is never refused for its form (an id may still name no record you can see).
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django_filters import rest_framework as django_filters_api
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from rest_framework import exceptions, filters

from core.filters import BIGINT_MAX, MAX_DATE, MIN_DATE, BoundedDateField, FilterSet

__all__ = ["BACKENDS", "DjangoFilterBackend", "OrderingFilter", "SearchFilter"]

# The dates ``BoundedDateField`` accepts, MIN_DATE to MAX_DATE: whole years 1900–2200.
DATE_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-[0-9]{2}-[0-9]{2}$"

SearchFilter = filters.SearchFilter


class DjangoFilterBackend(django_filters_api.DjangoFilterBackend):
    """django-filter's backend; a list that names only ``filterset_fields`` gets our FilterSet."""

    filterset_base = FilterSet


class OrderingFilter(filters.OrderingFilter):
    def remove_invalid_fields(self, queryset, fields, view, request):
        terms = [term for term in fields if term]
        valid = super().remove_invalid_fields(queryset, terms, view, request)
        unknown = [term for term in terms if term not in valid]
        if unknown:
            offered = sorted(
                name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
            )
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("Unknown sort key %(key)s; this list sorts by %(offered)s.")
                        % {"key": unknown[0][:50], "offered": ", ".join(offered) or "-"}
                    ]
                }
            )
        return valid

    def get_schema_operation_parameters(self, view):
        """``ordering`` with the sort keys the list offers, as a pattern of the accepted values."""
        parameters = super().get_schema_operation_parameters(view)
        keys = getattr(view, "ordering_fields", None)
        if not isinstance(keys, list | tuple) or not keys:
            return parameters
        names = [key if isinstance(key, str) else key[0] for key in keys]
        for parameter in parameters:
            parameter["schema"]["pattern"] = ordering_pattern(names)
            parameter["description"] = _(
                "Sort keys, separated by commas; a leading - sorts descending. Offered: %(keys)s."
            ) % {"keys": ", ".join(f"`{name}`" for name in sorted(names))}
        return parameters


def ordering_pattern(keys: list[str]) -> str:
    """The values of ``?ordering=`` the list accepts: known keys, each maybe with a leading -.

    Terms are stripped and empty ones skipped, as ``get_ordering`` reads them.
    """
    alternatives = "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))
    term = rf"\s*(-?({alternatives}))?\s*"
    return rf"^{term}(,{term})*$"


BACKENDS = [DjangoFilterBackend, SearchFilter, OrderingFilter]


class BoundedFilterExtension(DjangoFilterExtension):
    """django-filter's parameters as drf-spectacular documents them, with their bounds.

    Whole-number filters are ``integer`` with the ``minimum`` and ``maximum`` their form field
    checks; a record chosen by id (``ModelChoiceFilter``) is an id from 1 to the bigint maximum;
    a bounded date has the pattern of its years.
    """

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            bound_filter_parameter(parameter, filter_field)
        return parameters


def bound_filter_parameter(parameter: dict, filter_field) -> None:
    """Add the bounds ``filter_field`` checks to the schema of its query ``parameter``."""
    schema = parameter["schema"]
    schema = schema.get("items", schema)  # a filter taking several values bounds each
    field_class = filter_field.field_class
    if isinstance(filter_field, django_filters.NumberFilter) and issubclass(
        field_class, forms.IntegerField
    ):
        schema["type"] = "integer"
        schema.pop("format", None)
        for keyword, argument in (("minimum", "min_value"), ("maximum", "max_value")):
            if filter_field.extra.get(argument) is not None:
                schema[keyword] = filter_field.extra[argument]
    elif (
        isinstance(
            filter_field,
            django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter,
        )
        and schema.get("type") == "integer"
    ):
        schema.setdefault("minimum", 1)
        schema.setdefault("maximum", BIGINT_MAX)
    elif issubclass(field_class, BoundedDateField):
        schema["pattern"] = DATE_PATTERN
        bounds = _("From %(first)s to %(last)s.") % {
            "first": MIN_DATE.isoformat(),
            "last": MAX_DATE.isoformat(),
        }
        described = str(parameter.get("description") or "")
        parameter["description"] = f"{described} {bounds}".strip()
