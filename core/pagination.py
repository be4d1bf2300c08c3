"""Pagination that counts once per change of the data, and only as far as anyone pages.

``Paginator`` counts a list's rows once per data version (``core.data_version``): the count is
exact, but the list's readers do not each repeat it while nothing changes.


Counting every row of a list of 200,000 claims costs more than reading the page itself, and
nobody pages that far: ``HorizonPaginator`` counts rows only up to a horizon — at least
``MIN_COUNTED`` rows, and always a few pages beyond the requested one — so the cost of a page
does not grow with the table. Below the horizon the count is exact; beyond it the list says "of
more than 10,000" and the pages go on as far as the reader walks.

A page number past ``MAX_PAGE`` (``?page=9999999999999999999``) is read as ``MAX_PAGE``, and a
page past the last is the last page, as Django's ``get_page`` does: no number a reader sends
becomes an offset the database cannot hold.
"""

from __future__ import annotations

from django.core import paginator
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils.functional import cached_property

from . import data_version

MIN_COUNTED = 10_000
PAGES_AHEAD = 10
# The highest page number anyone may ask for; with 500 rows a page, 500 million rows.
MAX_PAGE = 1_000_000


def page_number(number) -> int | None:
    """``number`` as a page number from 1 to ``MAX_PAGE``, or None when it is no whole number."""
    text = str(number).strip() if number is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 30:
        return None
    return min(max(int(text), 1), MAX_PAGE)


def cached_count(rows: QuerySet) -> int:
    """``rows.count()``, counted once per data version; the SQL itself is the key."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # nothing can match (``.none()``, an empty ``__in``)
        return 0
    return data_version.cached("count", (sql, *map(repr, params)), rows.count)


class Paginator(paginator.Paginator):
    def get_page(self, number):
        """The page ``number`` (clamped to ``MAX_PAGE`` and the last page); page 1 for no number."""
        return super().get_page(page_number(number) or 1)

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return cached_count(self.object_list)
        return super().count


class HorizonPaginator(Paginator):
    def __init__(self, object_list, per_page, *, min_counted: int = MIN_COUNTED, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.min_counted = min_counted
        self.horizon = max(min_counted, PAGES_AHEAD * self.per_page)

    def get_page(self, number):
        requested = page_number(number) or 1
        self.horizon = max(self.min_counted, (requested + PAGES_AHEAD) * self.per_page)
        return super().get_page(number)

    @cached_property
    def count(self) -> int:
        """Rows up to the horizon, plus one when there are more (the last page is then open)."""
        return cached_count(self.object_list.order_by().values("pk")[: self.horizon + 1])

    @property
    def is_capped(self) -> bool:
        """More rows than were counted: the total shown is "more than ``horizon``"."""
        return self.count > self.horizon
