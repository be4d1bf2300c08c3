"""CSR register filters shared by the register pages and the API."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core import filters as core_filters
from customers.filters import CustomerFilter

from .models import ClauseStatus, CsrDocument


def _latest(documents):
    return documents.filter(next__isnull=True)


def _with_open_clauses(documents):
    return documents.filter(clauses__status=ClauseStatus.OPEN).distinct()


class CsrDocumentFilter(core_filters.ViewerFilterSet):
    search = core_filters.SearchFilter(help_text=_("Reference, title or clause."))
    customer = CustomerFilter()
    latest = core_filters.TickFilter(_latest, label=_("Latest revisions only"))
    open_clauses = core_filters.TickFilter(_with_open_clauses, label=_("With open clauses"))

    class Meta:
        model = CsrDocument
        fields = ["customer"]

    VISIBLE_CHOICES = {"customer": ("pk", "name")}


SORT_KEYS = {
    "reference": F("reference"),
    "title": F("title"),
    "issued": F("issued_on"),
    "customer": F("customer__name"),
}


class CsrDocumentListFilter(core_filters.PageFilterSet, CsrDocumentFilter):
    """The register page: a search box ``q``, the filters that fit the viewer, column sorting."""

    ordering = core_filters.NullsLastOrderingFilter(SORT_KEYS)

    PAGE_ORDER = ("customer", "latest", "open_clauses")
    INTERNAL_ONLY = ("customer",)
