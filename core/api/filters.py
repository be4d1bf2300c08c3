"""The API's filter backends: a query parameter the list does not understand is a 400.

``OrderingFilter`` refuses a sort key the endpoint does not offer (DRF would drop it silently and
sort otherwise); ``DjangoFilterBackend`` is django-filter's, whose FilterSets (``core.filters``)
bound every number and date. ``TenantScopedMixin`` uses these backends; the settings may name
them too.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters

__all__ = ["BACKENDS", "DjangoFilterBackend", "OrderingFilter", "SearchFilter"]

SearchFilter = filters.SearchFilter


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


BACKENDS = [DjangoFilterBackend, SearchFilter, OrderingFilter]
