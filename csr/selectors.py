"""Reads of the CSR register: lists, a document's clauses, what changed since the previous
revision and the customer's requirements already configured in the portal."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from customers.models import CustomerRequirements

from .models import Clause, ClauseStatus, CsrDocument, clause_sort_key

# Configured per customer but not a requirement to show beside the register: who gets reports.
NOT_SHOWN_REQUIREMENTS = ("id", "customer", "report_recipients")


def csr_documents_for_list(user) -> QuerySet[CsrDocument]:
    """The CSR documents ``user`` may see with their clause counts (no query per row)."""
    return (
        CsrDocument.objects.visible_to(user)
        .with_related()
        .annotate(
            clause_count=_clause_count(Q()),
            open_count=_clause_count(Q(status=ClauseStatus.OPEN)),
        )
    )


def _clause_count(condition: Q):
    """A sub-query per count: no GROUP BY over the joined rows of the list."""
    clauses = (
        Clause.objects.filter(condition, document=OuterRef("pk"))
        .order_by()
        .values("document")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(clauses, output_field=IntegerField()), 0)


def clauses_of(document: CsrDocument, user) -> list[Clause]:
    rows = list(
        Clause.objects.visible_to(user)
        .filter(document=document)
        .with_related()
        .order_by("sort_key", "pk")
    )
    for clause in rows:
        clause.document = document
    return rows


def revisions_of(document: CsrDocument, user) -> QuerySet[CsrDocument]:
    """Every revision of the same customer's reference, newest first."""
    return (
        CsrDocument.objects.visible_to(user)
        .filter(customer_id=document.customer_id, reference=document.reference)
        .order_by("-issued_on", "-pk")
    )


@dataclass
class ClauseChanges:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def changes_since_previous(document: CsrDocument) -> ClauseChanges | None:
    """The clause numbers added, changed (title or text) and removed since the previous
    revision; None for a first revision."""
    if document.previous_id is None:
        return None
    before = _texts(document.previous_id)
    after = _texts(document.pk)
    return ClauseChanges(
        added=_ordered(number for number in after if number not in before),
        changed=_ordered(
            number for number in after if number in before and before[number] != after[number]
        ),
        removed=_ordered(number for number in before if number not in after),
    )


def _texts(document_id: int) -> dict[str, tuple[str, str]]:
    rows = Clause.objects.filter(document_id=document_id).values_list("number", "title", "text")
    return {number: (title.strip(), text.strip()) for number, title, text in rows}


def _ordered(numbers) -> list[str]:
    return sorted(numbers, key=clause_sort_key)


def configured_requirements(customer) -> list[tuple[str, str]]:
    """The customer's parameters the portal applies (deadlines, PPAP level, file types …) as
    (label, value) pairs."""
    requirements = CustomerRequirements.objects.filter(customer=customer).first()
    if requirements is None:
        return []
    pairs = []
    for model_field in CustomerRequirements._meta.concrete_fields:
        if model_field.name in NOT_SHOWN_REQUIREMENTS:
            continue
        pairs.append((str(model_field.verbose_name), _shown(requirements, model_field)))
    return pairs


def _shown(requirements, model_field) -> str:
    if model_field.choices:
        return str(getattr(requirements, f"get_{model_field.name}_display")())
    value = getattr(requirements, model_field.name)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "–"
    return "–" if value in (None, "") else str(value)
