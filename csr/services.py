"""Every write to the CSR register: documents, their revisions, clauses and their mapping.

Only our staff who keep controlled documents write here (``may_work``); customer users read.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.records import services as records
from core.services import action_raise, attachments_add

from .models import Clause, ClauseStatus, CsrDocument, clause_sort_key
from .permissions import may_work

MAPPING_FIELDS = ("status", "fulfilled_by", "process", "owner", "not_applicable_reason")


def _require_work(actor) -> None:
    if not may_work(actor):
        raise PermissionDenied(_("You are not allowed to do this."))


def review_days() -> int:
    return getattr(settings, "CQM_CSR_REVIEW_DAYS", 14)


def _lock_document(document: CsrDocument, expected_version: int | None = None) -> CsrDocument:
    return records.locked(CsrDocument.objects.with_related(), document.pk, expected_version)


writes_document = records.writes("document", _lock_document)


# --- CSR documents -------------------------------------------------------------------------------


@transaction.atomic
def csr_create(
    *,
    actor,
    customer,
    title: str,
    reference: str,
    revision: str,
    issued_on: dt.date,
    owner,
    upload=None,
) -> CsrDocument:
    """A customer's CSR document in its first revision known to us."""
    _require_work(actor)
    document = CsrDocument(
        customer=customer,
        title=records.required(title, "title", _("Give the document's title.")),
        reference=records.required(reference, "reference", _("Give the customer's reference.")),
        revision=records.required(revision, "revision", _("Give the revision.")),
        issued_on=issued_on,
        owner=owner,
        created_by=actor,
    )
    _refuse_taken_revision(document)
    records.save_new(document, actor, _("CSR document created"))
    if upload is not None:
        _store_file(document, actor, upload)
    return document


def _refuse_taken_revision(document: CsrDocument) -> None:
    taken = CsrDocument.objects.filter(
        customer_id=document.customer_id,
        reference=document.reference,
        revision=document.revision,
    ).exists()
    if taken:
        raise DomainError(
            _("This customer already has revision %(revision)s of %(reference)s.")
            % {"revision": document.revision, "reference": document.reference},
            field="revision",
        )


def _store_file(document: CsrDocument, actor, upload) -> None:
    stored = attachments_add(
        owner=document,
        uploads=[upload],
        actor=actor,
        policy=document.customer.requirements.attachment_policy,
        description=str(document),
    )[0]
    document.file = stored
    records.save(document, actor, _("File attached"), ["file"])


@writes_document
def csr_revise(
    *,
    document: CsrDocument,
    actor,
    revision: str,
    issued_on: dt.date,
    title: str = "",
    clauses: list[dict] | None = None,
    upload=None,
) -> CsrDocument:
    """The customer's next revision of ``document``: its clauses copied with their mapping.

    ``clauses`` (number, title, text) are the new revision's clauses when given; else the old
    ones are copied. A clause whose text changed is open again. The document's owner gets a
    follow-up action to review the changes.
    """
    _require_work(actor)
    if document.is_superseded:
        raise DomainError(_("Only the latest revision can be revised."))
    new = CsrDocument(
        customer=document.customer,
        title=(title or document.title).strip(),
        reference=document.reference,
        revision=records.required(revision, "revision", _("Give the revision.")),
        issued_on=issued_on,
        owner=document.owner,
        previous=document,
        created_by=actor,
    )
    _refuse_taken_revision(new)
    records.save_new(new, actor, _("New revision"))
    if clauses is None:
        clauses = list(document.clauses.values("number", "title", "text"))
    earlier = {clause.number: clause for clause in document.clauses.all()}
    for row in _unique_by_number(clauses):
        _copy_clause(new, earlier.get(row["number"]), row, actor)
    if upload is not None:
        _store_file(new, actor, upload)
    _raise_review(new, actor)
    return new


def _unique_by_number(rows: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for row in rows:
        number = (row.get("number") or "").strip()
        if not number:
            raise DomainError(_("Every clause needs its number."), field="clauses")
        if number in seen:
            raise DomainError(
                _("Clause %(number)s is given twice.") % {"number": number}, field="clauses"
            )
        seen[number] = {**row, "number": number}
    return list(seen.values())


def _copy_clause(document: CsrDocument, earlier: Clause | None, row: dict, actor) -> Clause:
    text = (row.get("text") or "").strip()
    clause = Clause(
        document=document,
        customer_id=document.customer_id,
        number=row["number"],
        sort_key=clause_sort_key(row["number"]),
        title=(row.get("title") or "").strip() or (earlier.title if earlier else row["number"]),
        text=records.required(text, "clauses", _("Every clause needs its text.")),
    )
    if earlier is not None:
        clause.fulfilled_by_id = earlier.fulfilled_by_id
        clause.process = earlier.process
        clause.owner_id = earlier.owner_id
        if earlier.text.strip() == text:
            clause.status = earlier.status
            clause.not_applicable_reason = earlier.not_applicable_reason
    records.save_new(clause, actor, _("Clause copied") if earlier else _("Clause added"))
    return clause


def _raise_review(document: CsrDocument, actor):
    title = _("Review revision %(revision)s of %(reference)s (%(customer)s)") % {
        "revision": document.revision,
        "reference": document.reference,
        "customer": document.customer.name,
    }
    return action_raise(
        record=document,
        title=title,
        kind="follow_up",
        owner=document.owner,
        due_date=timezone.localdate() + dt.timedelta(days=review_days()),
        description=_("Check the changed clauses and update their mapping."),
        actor=actor,
        internal_only=True,
    )[0]


# --- clauses -------------------------------------------------------------------------------------


@writes_document
def clause_add(*, document: CsrDocument, actor, number: str, title: str, text: str) -> Clause:
    _require_work(actor)
    if document.is_superseded:
        raise DomainError(_("Only the latest revision can be changed."))
    number = records.required(number, "number", _("Give the clause number."))
    if document.clauses.filter(number=number).exists():
        raise DomainError(
            _("Clause %(number)s is already in this document.") % {"number": number},
            field="number",
        )
    return _copy_clause(document, None, {"number": number, "title": title, "text": text}, actor)


def _lock_clause(clause: Clause, expected_version: int | None = None) -> Clause:
    return records.locked_child(clause, "document", _lock_document, expected_version)[1]


@records.writes("clause", _lock_clause)
def clause_map(
    *,
    clause: Clause,
    actor,
    status: str,
    fulfilled_by=None,
    process: str = "",
    owner=None,
    not_applicable_reason: str = "",
) -> Clause:
    """How ``clause`` is fulfilled: by which document or process, whose it is, and whether it is
    implemented; not applicable only with the reason."""
    _require_work(actor)
    if clause.document.is_superseded:
        raise DomainError(_("Only the latest revision can be changed."))
    if status not in ClauseStatus.values:
        raise DomainError(_("Choose a valid status."), field="status")
    reason = (not_applicable_reason or "").strip()
    if status == ClauseStatus.NOT_APPLICABLE:
        records.required(
            reason, "not_applicable_reason", _("Say why the clause does not apply to us.")
        )
    else:
        reason = ""
    clause.status = status
    clause.fulfilled_by = fulfilled_by
    clause.process = (process or "").strip()
    clause.owner = owner
    clause.not_applicable_reason = reason
    records.save(clause, actor, _("Mapping changed"), MAPPING_FIELDS)
    return clause
