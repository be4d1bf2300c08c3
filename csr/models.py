"""Customer-specific requirements (IATF 16949 4.3.2): each customer's CSR documents in their
revisions, split into clauses, each clause mapped to the process or controlled document of ours
that fulfils it, with its owner and whether it is implemented.

A new revision of a CSR document (same reference, next revision) copies the clauses of the one
before; what changed between the two is read by clause number.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import limits
from core.records.fields import customer_key, protected_key, user_key
from core.records.models import DetailPage, Record, record_history
from core.tenancy import TenantQuerySet

__all__ = ["Clause", "CsrDocument"]


class CsrDocumentQuerySet(TenantQuerySet):
    def with_related(self):
        return self.select_related("customer", "owner", "file", "previous", "next")

    def search(self, term: str):
        term = (term or "").strip()
        if not term:
            return self
        return self.filter(
            models.Q(reference__icontains=term)
            | models.Q(title__icontains=term)
            | models.Q(clauses__number__icontains=term)
            | models.Q(clauses__title__icontains=term)
        ).distinct()


class CsrDocument(DetailPage, Record):
    """One revision of one customer's CSR document (e.g. "Ford CSR for IATF 16949", rev. 2024)."""

    detail_url_name = "csr:csr-detail"

    customer = customer_key(verbose_name=_("customer"), related_name="csr_documents")
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("reference"), max_length=80)
    revision = models.CharField(_("revision"), max_length=20)
    issued_on = models.DateField(_("issue date"))
    file = protected_key(
        "core.Attachment", verbose_name=_("file"), null=True, blank=True, related_name="+"
    )
    owner = user_key(verbose_name=_("owner"), related_name="owned_csr_documents")
    # The revision this one replaced: the clauses changed since are read against it.
    previous = models.OneToOneField(
        "self",
        verbose_name=_("previous revision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next",
    )
    created_by = user_key(verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = record_history()

    objects = CsrDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["customer__name", "reference", "-issued_on", "-pk"]
        verbose_name = _("CSR document")
        verbose_name_plural = _("CSR documents")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "reference", "revision"], name="csr_document_unique_revision"
            )
        ]
        indexes = [models.Index(fields=["customer", "reference"])]

    def __str__(self):
        return f"{self.reference} {self.revision}: {self.title}"

    @property
    def is_superseded(self) -> bool:
        """A later revision exists: this one is kept as evidence and no longer mapped."""
        return hasattr(self, "next")


class ClauseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ClauseQuerySet(TenantQuerySet):
    def with_related(self):
        return self.select_related("owner", "fulfilled_by")


class Clause(Record):
    """One requirement of a CSR document and how we fulfil it."""

    Status = ClauseStatus

    document = models.ForeignKey(
        CsrDocument,
        verbose_name=_("CSR document"),
        on_delete=models.PROTECT,
        related_name="clauses",
    )
    # The document's customer, so that ``visible_to`` scopes clauses without a join.
    customer = customer_key(verbose_name=_("customer"))
    number = models.CharField(_("clause"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("requirement"), max_length=limits.LONG_TEXT)
    fulfilled_by = protected_key(
        "documents.Document",
        verbose_name=_("fulfilled by document"),
        null=True,
        blank=True,
        related_name="csr_clauses",
    )
    process = models.CharField(_("process"), max_length=200, blank=True)
    owner = user_key(verbose_name=_("owner"), null=True, blank=True, related_name="csr_clauses")
    status = models.CharField(
        _("status"), max_length=20, choices=ClauseStatus.choices, default=ClauseStatus.OPEN
    )
    not_applicable_reason = models.TextField(
        _("reason not applicable"), blank=True, max_length=limits.NOTE
    )
    # The number padded for ordering ("4.2" before "4.10"), kept by the services.
    sort_key = models.CharField(max_length=120, editable=False, default="")
    history = record_history()

    objects = ClauseQuerySet.as_manager()

    class Meta:
        ordering = ["document", "sort_key", "pk"]
        verbose_name = _("CSR clause")
        verbose_name_plural = _("CSR clauses")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="csr_clause_unique_number")
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


def clause_sort_key(number: str) -> str:
    """Orders "4.2" before "4.10": each numeric part padded, letters kept."""
    parts = number.replace("-", ".").split(".")
    return ".".join(part.zfill(6) if part.isdigit() else part for part in parts)[:120]
