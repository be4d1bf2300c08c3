"""Document filters shared by the register page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import INTERNAL_ROLES
from core import filters as core_filters
from core.waiting import waiting_filter
from customers.filters import CustomerFilter
from customers.models import Part

from .models import Document, Revision


class RevisionWaitingFilter(core_filters.WaitingFilter):
    """``?waiting=us``: the documents with a revision whose turn it is of that party."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "")
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        waiting = waiting_filter(Revision.objects.all(), value).values("document_id")
        return qs.filter(pk__in=waiting)


def _review_due(documents):
    return documents.review_due(timezone.localdate())


def _owners(request):
    users = get_user_model().objects.filter(role__in=sorted(INTERNAL_ROLES), is_active=True)
    return users.order_by("full_name", "pk")


class DocumentFilter(core_filters.ViewerFilterSet):
    search = core_filters.SearchFilter(help_text=_("Number or title."))
    kind = core_filters.KindFilter(
        Document.Kind.choices, label=_("Type"), empty_label=_("All types")
    )
    status = core_filters.StatusesFilter(Document.Status.choices)
    owner = django_filters.ModelChoiceFilter(
        queryset=_owners, label=_("Owner"), empty_label=_("All owners")
    )
    customer = CustomerFilter()
    internal = core_filters.TickFilter(
        lambda documents: documents.filter(customer__isnull=True), label=_("Internal only")
    )
    waiting = RevisionWaitingFilter()
    review_due = core_filters.TickFilter(_review_due, label=_("Periodic review due"))
    # A link's filter (?part=<id>), not a drop-down: the part's page links here.
    part = django_filters.ModelChoiceFilter(
        queryset=Part.objects.none(),
        label=_("Part"),
        field_name="parts",
        distinct=True,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Document
        fields = ["kind", "status", "owner", "customer", "part"]

    VISIBLE_CHOICES = {"customer": ("pk", "name"), "part": ()}


SORT_KEYS = {
    "number": F("number"),
    "title": F("title"),
    "kind": core_filters.choice_rank("kind", Document.Kind),
    "status": core_filters.choice_rank("status", Document.Status),
    "review": F("next_review_on"),
}


class DocumentListFilter(core_filters.PageFilterSet, DocumentFilter):
    """The register page: a search box ``q``, the filters that fit the viewer, column sorting."""

    status = core_filters.StatusFilter(Document.Status.choices)
    ordering = core_filters.NullsLastOrderingFilter(SORT_KEYS)

    PAGE_ORDER = (
        "kind",
        "status",
        "owner",
        "customer",
        "waiting",
        "internal",
        "review_due",
        "part",
    )
    INTERNAL_ONLY = ("owner", "customer", "waiting", "internal", "review_due")
