"""The columns and behaviour that quality records and their rows share (DESIGN §5, §6).

A quality record (a claim, a change, a deviation, a PPAP submission, an audit) subclasses
``QualityRecord``: it has a number, belongs to one customer, counts its writes (``version``) and
knows who created it and when. A row of a record (an 8D step, an affected part, a PPAP element)
subclasses ``RecordRow``: it carries its record's customer, so that ``visible_to`` scopes it
without a join. A model keeps what is its own: its fields and ``Status``, its ``FINAL_STATUSES``,
its ``Meta`` and its history (on the concrete model, so that each says what is evidence)::

    class Deviation(QualityRecord):
        detail_url_name = "changes:deviation-detail"
        FINAL_STATUSES = (Status.REJECTED, Status.EXPIRED, …)
        …
        history = record_history(m2m_fields=[parts])

        class Meta(QualityRecord.Meta):
            indexes = [*record_list_indexes("deviation"), …]

Their foreign keys are declared with ``core.records.fields``, their querysets subclass those of
``core.records.querysets``.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabels
from core.locking import Versioned
from core.tenancy import TenantQuerySet

from .fields import customer_key, user_key

# Columns every write of a ``Record`` touches: bookkeeping of the write, not evidence.
BOOKKEEPING_FIELDS = ("updated_at", "version")


def record_history(**options) -> HistoricalRecords:
    """The history of a ``Record`` model: every field but the bookkeeping of its writes."""
    return HistoricalRecords(excluded_fields=list(BOOKKEEPING_FIELDS), **options)


def record_list_indexes(name_prefix: str) -> list[models.Index]:
    """The indexes a record list reads: by customer and status, and in its default order.

    The default order is newest first, for all records and for one customer's: the first page is
    read from the index instead of joining and sorting every row.
    """
    return [
        models.Index(fields=["customer", "status"]),
        models.Index(fields=["created_at", "id"], name=f"{name_prefix}_newest"),
        models.Index(fields=["customer", "created_at", "id"], name=f"{name_prefix}_cust_newest"),
    ]


class DetailPage:
    """A model whose page is the URL named ``detail_url_name``, with the row's primary key."""

    detail_url_name = ""

    def get_absolute_url(self):
        return reverse(self.detail_url_name, args=[self.pk])


class Record(ChoiceLabels, Versioned):
    """A row people edit through the write kernel (``core.records.services``).

    Every write counts its ``version`` up (optimistic locking) and stamps ``updated_at``; neither
    is evidence, so ``record_history`` leaves both out of the row's history.
    """

    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class QualityRecord(DetailPage, Record):
    """A customer's quality record: numbered, owned by the customer, made by someone, listed
    newest first. A subclass may rename ``created_by`` in its own words ("filed by")."""

    # Nothing changes any more once the record is in one of these.
    FINAL_STATUSES: tuple[str, ...] = ()

    number = models.CharField(_("number"), max_length=20, unique=True)
    customer = customer_key(verbose_name=_("customer"))
    created_by = user_key()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.number

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES


class RecordRow(models.Model):
    """A row of a customer's record: it carries the record's customer (DESIGN §5)."""

    customer = customer_key()

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
