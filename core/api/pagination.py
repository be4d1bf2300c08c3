# Kept apart from base.py: DRF imports the pagination class while its own viewsets load.
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination

from core.pagination import MAX_PAGE, Paginator

# The longest whole number read from ?page= or ?page_size=: a longer one is no number we read.
MAX_DIGITS = 30


class Pagination(pagination.PageNumberPagination):
    """Pages of ``page_size`` rows (at most ``max_page_size``, larger sizes are capped).

    ``?page=`` is a whole number from 1 to ``MAX_PAGE`` (or ``last``) and ``?page_size=`` a whole
    number from 1, else 400 with a message on the parameter; a page past the last one is DRF's 404.
    """

    # The exact count the API promises, counted once per change of the data.
    django_paginator_class = Paginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw in self.last_page_strings:
            return paginator.num_pages
        if not raw:
            return 1
        number = _whole_number(raw)
        if number is None or not 1 <= number <= MAX_PAGE:
            message = _("A page is a whole number from 1 to %(max)s.") % {"max": MAX_PAGE}
            raise exceptions.ValidationError({self.page_query_param: [message]})
        return number

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw:
            size = _whole_number(raw)
            if size is None or size < 1:
                message = _("A page size is a whole number from 1 to %(max)s.") % {
                    "max": self.max_page_size
                }
                raise exceptions.ValidationError({self.page_size_query_param: [message]})
            return min(size, self.max_page_size)
        return self.page_size

    def get_schema_operation_parameters(self, view):
        """DRF's ``page`` and ``page_size``, with the bounds checked above."""
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: (1, MAX_PAGE),
            self.page_size_query_param: (1, 10**MAX_DIGITS - 1),
        }
        for parameter in parameters:
            if parameter["name"] in bounds:
                low, high = bounds[parameter["name"]]
                parameter["schema"].update({"minimum": low, "maximum": high})
            if parameter["name"] == self.page_query_param:
                parameter["description"] = _(
                    "A page number from 1 (or `last`); past the last page: 404."
                )
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = _(
                    "Rows a page (default %(default)s); more than %(max)s give %(max)s."
                ) % {"default": self.page_size, "max": self.max_page_size}
        return parameters


def _whole_number(raw: str) -> int | None:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_DIGITS:
        return None
    return int(raw)
