"""Every write to controlled documents and their revisions goes through here (DESIGN §4).

Each service locks the document (then the revision), checks the transition table, saves only the
fields it changed, writes a DocumentEvent for the timeline and tells whom it concerns
(``notifications``, through the outbox after the commit). A refused request raises before
anything is written, so it changes nothing.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import limits
from core.attachments import AttachmentPolicy
from core.errors import Conflict, DomainError, PermissionDenied
from core.numbering import next_number
from core.records import services as records
from core.records.transitions import transition
from core.services import attachments_add
from core.signatures import sign
from core.tenancy import is_internal
from customers import defaults

from . import notifications
from .models import (
    OPEN_STATUSES,
    ChangeDocumentRevision,
    Document,
    DocumentEvent,
    EightDDocumentUpdate,
    Review,
    ReviewReminder,
    Revision,
    review_interval_months,
)
from .workflow import REVISION_WORKFLOW, may_approve, may_work

NUMBER_PREFIX = "DOC"
EDITABLE_FIELDS = ("kind", "title", "owner", "customer", "plant", "process", "next_review_on")
# More reviewers than this is a list chosen by mistake, not a review team.
MAX_REVIEWERS = 10
# The owner hears of a periodic review this many days before it is due (and once it is overdue).
REMINDER_LEAD_DAYS = 30
# D7 in these states is with the customer or done: its links stay as they were submitted.
D7_LOCKED = ("submitted", "approved")
# The types an 8D's D7 names as updated (``eightd_link_add``).
EIGHTD_KINDS = (Document.Kind.PFMEA, Document.Kind.CONTROL_PLAN)


def today() -> dt.date:
    return timezone.localdate()


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day where that month is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


# --- locking -------------------------------------------------------------------------------------


def _locked(document: Document, expected_version=None) -> Document:
    related = Document.objects.select_related("customer", "owner", "current_revision")
    return records.locked(related, document.pk, expected_version)


def _locked_revision(revision: Revision, expected_version=None) -> Revision:
    """Lock the document first, then the revision: one lock order for every writer."""
    return records.locked_child(revision, "document", _locked, expected_version)[1]


writes_document = records.writes("document", _locked)
writes_revision = records.writes("revision", _locked_revision)


# --- documents -----------------------------------------------------------------------------------


@transaction.atomic
def document_create(*, actor, number: str = "", parts: Iterable = (), **fields) -> Document:
    """A new document without a revision yet; its number is given or the next ``DOC-…``."""
    _require_work(actor)
    fields = records.known_fields(fields, EDITABLE_FIELDS)
    document = Document(created_by=actor, owner=actor)
    for name, value in fields.items():
        if value is not None or name not in ("owner", "next_review_on"):
            setattr(document, name, value)
    if document.next_review_on is None:
        document.next_review_on = add_months(today(), review_interval_months())
    parts = _checked_parts(document, parts)
    number = (number or "").strip().upper()
    _check(document, number=number)
    document.number = number or next_number(NUMBER_PREFIX)
    records.save_new(document, actor, _("Created"))
    document.parts.set(parts)
    _event(document, actor, "create", comment=document.title)
    return document


@writes_document
def document_update(*, document: Document, actor, parts: Iterable | None = None, **fields):
    """Change what the document is about; an obsolete document is read-only."""
    _require_work(actor)
    _require_not_obsolete(document)
    for name, value in records.known_fields(fields, EDITABLE_FIELDS).items():
        setattr(document, name, value)
    checked = _checked_parts(document, parts) if parts is not None else None
    _check(document)
    records.save(document, actor, _("Edited"))
    if checked is not None:
        document.parts.set(checked)
    _event(document, actor, "edit")
    return document


@writes_document
def document_review_record(*, document: Document, actor, comment: str = "") -> Document:
    """The periodic review is done and the document stays as it is: the next one is due one
    review interval from today."""
    _require_work(actor)
    _require_not_obsolete(document)
    document.next_review_on = add_months(today(), review_interval_months())
    records.save(document, actor, _("Periodic review recorded"), ["next_review_on"])
    _event(document, actor, "review_done", comment=_limited(comment, "comment", limits.COMMENT))
    return document


# --- revisions -----------------------------------------------------------------------------------


@writes_document
def revision_start(
    *,
    document: Document,
    actor,
    change_description: str,
    effective_on: dt.date | None = None,
    reviewers: Iterable = (),
    upload=None,
) -> Revision:
    """The next lettered revision as a draft; one revision at a time is worked on."""
    _require_work(actor)
    _require_not_obsolete(document)
    if document.revisions.filter(status__in=OPEN_STATUSES).exists():
        raise Conflict(_("A revision of this document is already being worked on."))
    letters = list(document.revisions.values_list("letter", flat=True))
    revision = Revision(
        document=document,
        letter=next_letter(letters),
        author=actor,
        change_description=_description(change_description),
        effective_on=_planned_date(effective_on),
    )
    records.save_new(revision, actor, _("Started"))
    _set_reviewers(revision, _checked_reviewers(revision, reviewers))
    if upload is not None:
        _store_file(revision, actor, upload)
    _event(document, actor, "revision_start", revision=revision, comment=str(revision))
    return revision


@writes_revision
def revision_update(
    *,
    revision: Revision,
    actor,
    change_description: str | None = None,
    effective_on: dt.date | None = None,
    reviewers: Iterable | None = None,
    upload=None,
) -> Revision:
    """Change a draft: what changed, the planned date, the reviewers, the file."""
    _require_work(actor)
    _require_draft(revision)
    if change_description is not None:
        revision.change_description = _description(change_description)
    revision.effective_on = _planned_date(effective_on)
    records.save(revision, actor, _("Edited"), ["change_description", "effective_on"])
    if reviewers is not None:
        _set_reviewers(revision, _checked_reviewers(revision, reviewers))
    if upload is not None:
        _store_file(revision, actor, upload)
    return revision


@writes_revision
def revision_submit(*, revision: Revision, actor) -> Revision:
    """Send the draft to its reviewers: it needs its file and at least one reviewer."""
    _require_work(actor)
    REVISION_WORKFLOW.check("submit", state=revision.status, actor=actor)
    if revision.file_id is None:
        raise DomainError(_("Attach the revision's file first."), field="upload")
    reviews = list(revision.reviews.all())
    if not reviews:
        raise DomainError(_("Name at least one reviewer."), field="reviewers")
    for review in reviews:
        review.decision, review.comment, review.decided_at = Review.Decision.PENDING, "", None
        records.save(review, actor, _("Asked again"), ["decision", "comment", "decided_at"])
    revision.submitted_at, revision.reviews_complete = timezone.now(), False
    _transition(revision, actor, "submit", ["submitted_at", "reviews_complete"])
    notifications.review_requested(revision, actor)
    return revision


@writes_revision
def review_record(*, revision: Revision, actor, decision: str, comment: str = "") -> Review:
    """A named reviewer's answer: approved, or comments, which return the revision to its
    author. Once every reviewer approved, the approvers are asked to sign."""
    if revision.status != Revision.Status.UNDER_REVIEW:
        raise Conflict(_("This revision is not in review."))
    review = revision.reviews.select_for_update().filter(reviewer=actor).first()
    if review is None:
        raise PermissionDenied(_("Only the named reviewers answer on this revision."))
    if decision not in (Review.Decision.APPROVED, Review.Decision.COMMENTS):
        raise DomainError(_("Choose approve or comments."), field="decision")
    comment = _limited(comment, "comment", limits.COMMENT)
    if decision == Review.Decision.COMMENTS and not comment:
        raise DomainError(_("Write your comments."), field="comment")
    review.decision, review.comment, review.decided_at = decision, comment, timezone.now()
    records.save(
        review, actor, review.get_decision_display(), ["decision", "comment", "decided_at"]
    )
    document = revision.document
    _event(document, actor, f"review_{decision}", revision=revision, comment=comment)
    if decision == Review.Decision.COMMENTS:
        _transition(revision, actor, "return", comment=comment, check_actor=False)
        notifications.returned(revision, actor, comment=comment)
    elif not revision.reviews.exclude(decision=Review.Decision.APPROVED).exists():
        revision.reviews_complete = True
        records.save(revision, actor, _("Every reviewer approved"), ["reviews_complete"])
        notifications.ready_for_approval(revision, actor)
    return review


@writes_revision
def revision_approve(
    *, revision: Revision, actor, password: str, comment: str = "", on: dt.date | None = None
) -> Revision:
    """Approve the revision with the approver's signature; never the author's own.

    It comes into effect at once when its effective date has come (the approval day when the
    date lies in the past), else on that date through the daily run.
    """
    if not may_approve(actor):
        raise PermissionDenied(_("Only a quality manager approves document revisions."))
    if revision.author_id == actor.pk:
        raise PermissionDenied(
            _("You wrote this revision: another approver must approve it (four-eyes principle).")
        )
    REVISION_WORKFLOW.check("approve", state=revision.status, actor=actor)
    waiting = revision.reviews.exclude(decision=Review.Decision.APPROVED)
    if waiting.exists():
        raise DomainError(_("Every reviewer must approve the revision first."))
    comment = _limited(comment, "comment", limits.COMMENT)
    day = on or today()
    if revision.effective_on is None or revision.effective_on < day:
        revision.effective_on = day
    revision.approved_by, revision.approved_at = actor, timezone.now()
    fields = ["approved_by", "approved_at", "effective_on"]
    _transition(revision, actor, "approve", fields, comment=comment)
    meaning = _("Approved %(revision)s, effective from %(date)s") % {
        "revision": str(revision),
        "date": revision.effective_on.isoformat(),
    }
    sign(owner=revision, actor=actor, password=password, meaning=meaning[:255], comment=comment)
    notifications.approved(revision, actor, effective=revision.effective_on.isoformat())
    if revision.effective_on <= day:
        _make_effective(revision, actor)
    return revision


@writes_revision
def revision_make_effective(*, revision: Revision, on: dt.date | None = None) -> bool:
    """Bring an approved revision into effect once its date has come; False when there is
    nothing to do (already done, or not yet due), so that a second run changes nothing."""
    if revision.status != Revision.Status.APPROVED or revision.effective_on > (on or today()):
        return False
    _make_effective(revision, None)
    return True


def revisions_make_due_effective(*, on: dt.date | None = None) -> int:
    """The daily run: every approved revision whose effective date has come comes into effect."""
    day = on or today()
    due = Revision.objects.filter(status=Revision.Status.APPROVED, effective_on__lte=day)
    made = 0
    for revision in due.select_related("document").order_by("effective_on", "pk"):
        made += revision_make_effective(revision=revision, on=day)
    return made


@writes_revision
def revision_withdraw(*, revision: Revision, actor, reason: str) -> Revision:
    """Withdraw the revision (obsolete), saying why. Withdrawing the revision in effect makes the
    document obsolete: nothing of it is in effect any more."""
    _require_work(actor)
    reason = records.required(reason, "reason", _("Say why the revision is withdrawn."))
    reason = _limited(reason, "reason", limits.COMMENT)
    was_effective = revision.status == Revision.Status.EFFECTIVE
    revision.withdrawn_at, revision.withdrawn_by = timezone.now(), actor
    revision.withdrawal_reason = reason
    fields = ["withdrawn_at", "withdrawn_by", "withdrawal_reason"]
    document = revision.document
    _transition(revision, actor, "withdraw", fields, comment=reason)
    if was_effective:
        document.status, document.current_revision = Document.Status.OBSOLETE, None
        records.save(document, actor, _("Obsolete"), ["status", "current_revision"])
    return revision


# --- the periodic review reminder ----------------------------------------------------------------


def send_review_reminders(*, on: dt.date | None = None) -> int:
    """Remind each owner of a periodic review due within ``REMINDER_LEAD_DAYS`` (or overdue),
    once per due date: a second run the same day, or the next day, tells nobody again."""
    day = on or today()
    horizon = day + dt.timedelta(days=REMINDER_LEAD_DAYS)
    with transaction.atomic():
        due = list(Document.objects.review_due(horizon).select_related("owner").order_by("pk"))
        told = []
        for document in due:
            told += ReviewReminder.objects.record_for([document], due_on=document.next_review_on)
        for document in told:
            notifications.review_due(document)
    return len(told)


# --- links from an 8D and from a change request --------------------------------------------------


@transaction.atomic
def eightd_link_add(*, claim, revision: Revision, actor) -> EightDDocumentUpdate:
    """Name the PFMEA or control plan revision that carries the 8D's D7 update."""
    _require_work(actor)
    _require_d7_open(claim)
    if revision.document.kind not in EIGHTD_KINDS:
        raise DomainError(_("Choose a PFMEA or control plan revision."), field="revision")
    _require_same_customer(revision, claim.customer_id)
    link, created = EightDDocumentUpdate.objects.get_or_create(
        claim=claim,
        revision=revision,
        defaults={"customer_id": claim.customer_id, "linked_by": actor},
    )
    if not created:
        raise Conflict(_("This revision is already linked."))
    return link


@transaction.atomic
def eightd_link_remove(*, link: EightDDocumentUpdate, actor) -> None:
    _require_work(actor)
    _require_d7_open(link.claim)
    records.note_history(link, actor, _("Removed"))
    link.delete()


@transaction.atomic
def change_link_add(*, change, revision: Revision, actor) -> ChangeDocumentRevision:
    """Name a revision the change brings into effect (its affected document)."""
    _require_work(actor)
    _require_change_open(change)
    _require_same_customer(revision, change.customer_id)
    link, created = ChangeDocumentRevision.objects.get_or_create(
        change=change,
        revision=revision,
        defaults={"customer_id": change.customer_id, "linked_by": actor},
    )
    if not created:
        raise Conflict(_("This revision is already linked."))
    return link


@transaction.atomic
def change_link_remove(*, link: ChangeDocumentRevision, actor) -> None:
    _require_work(actor)
    _require_change_open(link.change)
    records.note_history(link, actor, _("Removed"))
    link.delete()


# --- internals -----------------------------------------------------------------------------------


def _transition(revision: Revision, actor, action: str, fields=(), **options) -> Revision:
    """Move ``revision`` along the table; the event goes to its document's timeline."""
    return transition(
        revision,
        actor,
        action,
        fields,
        workflow=REVISION_WORKFLOW,
        events=DocumentEvent,
        timeline=revision.document,
        revision=revision,
        **options,
    )


_event = partial(records.record_event, DocumentEvent)


def next_letter(used: Iterable[str]) -> str:
    """The letter after the last one used: A, B … Z, then AA, AB …; I and O are skipped, as on
    drawings, because they read as 1 and 0."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    numbers = [_letter_number(letter, alphabet) for letter in used]
    number = max(numbers, default=0) + 1
    letters = ""
    while number:
        number, rest = divmod(number - 1, len(alphabet))
        letters = alphabet[rest] + letters
    return letters


def _letter_number(letter: str, alphabet: str) -> int:
    number = 0
    for char in letter:
        if char not in alphabet:
            return 0
        number = number * len(alphabet) + alphabet.index(char) + 1
    return number


def _make_effective(revision: Revision, actor) -> None:
    """Supersede the revision in effect, then bring ``revision`` into effect (one per document)."""
    document = revision.document
    previous = document.revisions.filter(status=Revision.Status.EFFECTIVE).first()
    now = timezone.now()
    if previous is not None:
        previous.superseded_at = now
        _transition(
            previous,
            actor,
            "supersede",
            ["superseded_at"],
            check_actor=False,
            comment=str(revision),
        )
    revision.became_effective_at = now
    _transition(
        revision, actor, "make_effective", ["became_effective_at"], check_actor=False,
    )  # fmt: skip
    document.current_revision, document.status = revision, Document.Status.EFFECTIVE
    records.save(document, actor, _("In effect"), ["current_revision", "status"])


def attachment_policy(document: Document) -> AttachmentPolicy:
    """A document released to a customer follows their file rules; ours follow the defaults."""
    if document.customer_id:
        return document.customer.requirements.attachment_policy
    return AttachmentPolicy(
        allowed_types=tuple(defaults.ALLOWED_ATTACHMENT_TYPES),
        max_bytes=defaults.MAX_ATTACHMENT_MB * 1024 * 1024,
    )


def _store_file(revision: Revision, actor, upload) -> None:
    """The revision's one file (checked for type, size and viruses); a new upload replaces it."""
    stored = attachments_add(
        owner=revision,
        uploads=[upload],
        actor=actor,
        policy=attachment_policy(revision.document),
        description=str(revision),
    )[0]
    revision.file = stored
    records.save(revision, actor, _("File attached"), ["file"])


def _set_reviewers(revision: Revision, reviewers: list) -> None:
    chosen = {user.pk for user in reviewers}
    revision.reviews.exclude(reviewer_id__in=chosen).delete()
    present = set(revision.reviews.values_list("reviewer_id", flat=True))
    for user in reviewers:
        if user.pk not in present:
            Review.objects.create(revision=revision, reviewer=user)


def _checked_reviewers(revision: Revision, reviewers: Iterable) -> list:
    reviewers = list(dict.fromkeys(reviewers or ()))
    if len(reviewers) > MAX_REVIEWERS:
        raise DomainError(
            _("A revision has at most %(count)s reviewers.") % {"count": MAX_REVIEWERS},
            field="reviewers",
        )
    if any(not is_internal(user) for user in reviewers):
        raise DomainError(_("Reviewers are members of our staff."), field="reviewers")
    if any(user.pk == revision.author_id for user in reviewers):
        raise DomainError(_("The author does not review their own revision."), field="reviewers")
    return reviewers


def _planned_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, dt.date):
        raise DomainError(_("Enter a valid date."), field="effective_on")
    return value


def _description(text) -> str:
    text = records.required(text, "change_description", _("Describe what changed."))
    return _limited(text, "change_description", limits.NOTE)


def _limited(text, field: str, length: int) -> str:
    text = (text or "").strip()
    if len(text) > length:
        raise DomainError(_("At most %(count)s characters.") % {"count": length}, field=field)
    return text


def _check(document: Document, number: str = "") -> None:
    document.title = (document.title or "").strip()
    document.process = (document.process or "").strip()
    owner = document.owner
    if owner is None or not is_internal(owner):
        raise ValidationError({"owner": _("The owner must be one of our staff.")})
    if number and Document.objects.filter(number__iexact=number).exists():
        raise ValidationError({"number": _("A document with this number exists already.")})
    exclude = ["parts", "created_by", "current_revision"]
    if not document.number:
        exclude.append("number")
    document.full_clean(exclude=exclude)
    if number and len(number) > Document._meta.get_field("number").max_length:
        raise ValidationError({"number": _("The number is too long.")})


def _checked_parts(document: Document, parts) -> list:
    parts = list(parts or [])
    if document.customer_id and any(part.customer_id != document.customer_id for part in parts):
        raise ValidationError({"parts": _("Choose the customer's own parts.")})
    return parts


def _require_same_customer(revision: Revision, customer_id) -> None:
    document_customer = revision.document.customer_id
    if document_customer is not None and document_customer != customer_id:
        raise DomainError(_("This document is released to another customer."), field="revision")


def _require_d7_open(claim) -> None:
    """The links are part of D7: they change while D7 is worked on, like its answers."""
    if claim.is_final:
        raise Conflict(_("A closed claim is read-only."))
    step = claim.steps.filter(code="D7").only("status").first()
    if step is not None and step.status in D7_LOCKED:
        raise Conflict(_("D7 is submitted: its document links change once it is sent back."))


def _require_change_open(change) -> None:
    if change.is_final:
        raise Conflict(_("A closed change request is read-only."))


def _require_not_obsolete(document: Document) -> None:
    if document.is_final:
        raise Conflict(_("An obsolete document is read-only."))


def _require_draft(revision: Revision) -> None:
    if revision.status != Revision.Status.DRAFT:
        raise Conflict(_("Only a draft revision can be changed."))


def _require_work(actor) -> None:
    if not may_work(actor):
        raise PermissionDenied(_("You are not allowed to do this."))


# The page and API transitions that take nothing but the version (and a reason).
TRANSITION_SERVICES = {"submit": revision_submit, "withdraw": revision_withdraw}
