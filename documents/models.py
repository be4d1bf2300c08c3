"""Controlled documents (IATF 16949 7.5): procedures, work instructions, PFMEAs, control plans,
drawings, customer specifications and forms, each in lettered revisions (A, B, C …).

A document is ours (internal) or released to one customer (``customer`` set). Each revision
carries its file, what changed, who reviewed it and who approved it with an e-signature; one
revision at a time is in effect, the one before it is superseded. Links from other records (an
8D's D7, a change request) point at revisions, so that the evidence names the exact version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import limits
from core.records.events import RecordEvent
from core.records.fields import protected_key, user_key
from core.records.models import DetailPage, Record, record_history
from core.records.notices import RecordNotice
from core.tenancy import TenantQuerySet, customer_id_of, is_internal

__all__ = [
    "ChangeDocumentRevision",
    "Document",
    "DocumentEvent",
    "EightDDocumentUpdate",
    "Review",
    "ReviewReminder",
    "Revision",
]


class DocumentKind(models.TextChoices):
    PROCEDURE = "procedure", _("Procedure")
    WORK_INSTRUCTION = "work_instruction", _("Work instruction")
    PFMEA = "pfmea", _("PFMEA")
    CONTROL_PLAN = "control_plan", _("Control plan")
    DRAWING = "drawing", _("Drawing")
    CUSTOMER_SPECIFICATION = "customer_specification", _("Customer specification")
    FORM = "form", _("Form")


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNDER_REVIEW = "under_review", _("In review")
    APPROVED = "approved", _("Approved")
    EFFECTIVE = "effective", _("Effective")
    SUPERSEDED = "superseded", _("Superseded")
    OBSOLETE = "obsolete", _("Obsolete")


# What a customer may read of a document released to them: the approved and effective revisions.
RELEASED_STATUSES = (RevisionStatus.APPROVED, RevisionStatus.EFFECTIVE)
# A revision that is or was in force: evidence of an update made on a date.
IN_FORCE_STATUSES = (RevisionStatus.EFFECTIVE, RevisionStatus.SUPERSEDED)
# Still being worked on: at most one of these per document.
OPEN_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.UNDER_REVIEW, RevisionStatus.APPROVED)
# Withdrawn or replaced: served with a watermark that says so.
OUTDATED_STATUSES = (RevisionStatus.SUPERSEDED, RevisionStatus.OBSOLETE)


def _customer_may_see(user) -> bool:
    return customer_id_of(user) is not None


class DocumentQuerySet(models.QuerySet):
    search_fields = ("number", "title")

    def visible_to(self, user):
        """Staff see every document; a customer's users those released to their customer that
        have a revision they may read; internal documents never."""
        if is_internal(user):
            return self
        if not _customer_may_see(user):
            return self.none()
        released = Revision.objects.filter(document=OuterRef("pk"), status__in=RELEASED_STATUSES)
        return self.filter(customer_id=customer_id_of(user)).filter(Exists(released))

    def with_related(self):
        return self.select_related("customer", "owner", "plant", "current_revision")

    def search(self, term: str):
        term = (term or "").strip()
        if not term:
            return self
        return self.filter(models.Q(number__icontains=term) | models.Q(title__icontains=term))

    def review_due(self, today):
        return self.exclude(status=Document.Status.OBSOLETE).filter(next_review_on__lte=today)


class Document(DetailPage, Record):
    detail_url_name = "documents:document-detail"

    Kind = DocumentKind

    class Status(models.TextChoices):
        IN_PREPARATION = "in_preparation", _("In preparation")
        EFFECTIVE = "effective", _("Effective")
        OBSOLETE = "obsolete", _("Obsolete")

    FINAL_STATUSES = (Status.OBSOLETE,)

    number = models.CharField(_("number"), max_length=40, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PREPARATION
    )
    owner = user_key(verbose_name=_("owner"), related_name="owned_documents")
    # Empty: an internal document. Set: released to this one customer.
    customer = protected_key(
        "customers.Customer",
        verbose_name=_("released to customer"),
        null=True,
        blank=True,
        related_name="documents",
    )
    plant = protected_key(
        "customers.Plant", verbose_name=_("plant"), null=True, blank=True, related_name="+"
    )
    parts = models.ManyToManyField(
        "customers.Part", verbose_name=_("parts"), related_name="documents", blank=True
    )
    process = models.CharField(_("process"), max_length=200, blank=True)
    next_review_on = models.DateField(_("next periodic review"))
    # The revision in effect: kept by the services, read by lists without a join per row.
    current_revision = models.ForeignKey(
        "documents.Revision",
        verbose_name=_("revision in effect"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = user_key(verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = record_history(m2m_fields=[parts])

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("controlled document")
        verbose_name_plural = _("controlled documents")
        indexes = [
            models.Index(fields=["customer", "number"]),
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["title"]),
            models.Index(fields=["next_review_on"]),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES

    @property
    def is_internal_only(self) -> bool:
        return self.customer_id is None


class RevisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every revision; a customer's users the approved and effective revisions of
        the documents released to their customer."""
        if is_internal(user):
            return self
        if not _customer_may_see(user):
            return self.none()
        return self.filter(document__customer_id=customer_id_of(user), status__in=RELEASED_STATUSES)

    def in_force_since(self, day):
        """Revisions that came into effect on or after ``day`` (possibly replaced since)."""
        return self.filter(status__in=IN_FORCE_STATUSES, effective_on__gte=day)


class Revision(Record):
    """One lettered version of a document, with its file and its way through review."""

    Status = RevisionStatus
    FINAL_STATUSES = (RevisionStatus.SUPERSEDED, RevisionStatus.OBSOLETE)
    # Nobody has to act on these any more (whose turn it is).
    SETTLED_STATUSES = (RevisionStatus.EFFECTIVE, *FINAL_STATUSES)

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="revisions")
    letter = models.CharField(_("revision"), max_length=4)
    status = models.CharField(
        _("status"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT
    )
    change_description = models.TextField(_("what changed"), max_length=limits.NOTE)
    file = protected_key(
        "core.Attachment", verbose_name=_("file"), null=True, blank=True, related_name="+"
    )
    author = user_key(verbose_name=_("author"), related_name="authored_revisions")
    # Planned by the author; set to the approval day when that day is later.
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("sent for review"), null=True, blank=True)
    # Every named reviewer approved: kept by the services, read by whose turn it is.
    reviews_complete = models.BooleanField(_("every reviewer approved"), default=False)
    approved_by = user_key(verbose_name=_("approved by"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    became_effective_at = models.DateTimeField(_("in effect since"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = user_key(verbose_name=_("withdrawn by"), null=True, blank=True)
    withdrawal_reason = models.TextField(
        _("reason for withdrawal"), blank=True, max_length=limits.COMMENT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = record_history()

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-created_at", "-pk"]
        verbose_name = _("document revision")
        verbose_name_plural = _("document revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "letter"], name="documents_revision_letter"
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(status="effective"),
                name="documents_one_effective_revision",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "effective_on"]),
            models.Index(fields=["document", "status"]),
        ]

    def __str__(self):
        return f"{self.document.number} {_('rev.')} {self.letter}"

    def get_absolute_url(self):
        url = reverse("documents:document-detail", args=[self.document_id])
        return f"{url}#revision-{self.pk}"

    @property
    def customer_id(self):
        return self.document.customer_id

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES

    @property
    def is_outdated(self) -> bool:
        return self.status in OUTDATED_STATUSES


class Review(Record):
    """One named reviewer's answer on a revision: approved, or comments to work in."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not answered yet")
        APPROVED = "approved", _("Approved")
        COMMENTS = "comments", _("Comments")

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="reviews")
    reviewer = user_key(verbose_name=_("reviewer"), related_name="document_reviews")
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    comment = models.TextField(_("comment"), blank=True, max_length=limits.COMMENT)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    history = record_history()

    class Meta:
        ordering = ["revision", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "reviewer"], name="documents_one_review_per_reviewer"
            )
        ]

    def __str__(self):
        return f"{self.revision_id} {self.reviewer_id} {self.decision}"


EVENT_LABELS = {
    "create": _("Document created"),
    "edit": _("Document edited"),
    "revision_start": _("Revision started"),
    "submit": _("Sent for review"),
    "review_approved": _("Reviewer approved"),
    "review_comments": _("Reviewer commented"),
    "return": _("Returned to the author"),
    "approve": _("Approved and signed"),
    "make_effective": _("In effect"),
    "supersede": _("Superseded"),
    "withdraw": _("Withdrawn (obsolete)"),
    "review_done": _("Periodic review recorded"),
}


class DocumentEventQuerySet(TenantQuerySet):
    def visible_to(self, user):
        # Only our staff read a document's timeline: it names reviewers and drafts.
        return self if is_internal(user) else self.none()


class DocumentEvent(RecordEvent, record_field="document", labels=EVENT_LABELS):
    """One line of a document's timeline; ``revision`` names the revision it concerns."""

    customer = protected_key("customers.Customer", null=True, blank=True)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    objects = DocumentEventQuerySet.as_manager()

    class Meta(RecordEvent.Meta):
        verbose_name = _("document event")
        verbose_name_plural = _("document events")
        indexes = [models.Index(fields=["document", "created_at"])]

    def state_label(self, state: str) -> str:
        if not state:
            return ""
        return str(dict(RevisionStatus.choices).get(state, state))


class ReviewReminder(RecordNotice):
    """The owner was reminded of the periodic review due on ``due_on``: once per due date."""

    record_field = "document"

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="review_reminders"
    )
    due_on = models.DateField(_("review due"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "due_on"], name="documents_review_reminder_once"
            )
        ]


class LinkQuerySet(TenantQuerySet):
    """Links from a customer's record to revisions: seen with the record."""


class EightDDocumentUpdate(models.Model):
    """An 8D's D7: the PFMEA or control plan revision that carries the update."""

    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="document_updates"
    )
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="eightd_links")
    customer = protected_key("customers.Customer")
    linked_by = user_key(verbose_name=_("linked by"))
    linked_at = models.DateTimeField(_("linked"), auto_now_add=True)
    history = record_history()

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "pk"]
        verbose_name = _("8D document update")
        verbose_name_plural = _("8D document updates")
        constraints = [
            models.UniqueConstraint(fields=["claim", "revision"], name="documents_eightd_link_once")
        ]

    def __str__(self):
        return f"{self.claim_id} → {self.revision_id}"


class ChangeDocumentRevision(models.Model):
    """A change request's affected document: the revision the change brings into effect."""

    change = models.ForeignKey(
        "changes.ChangeRequest", on_delete=models.CASCADE, related_name="document_revisions"
    )
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="change_links")
    customer = protected_key("customers.Customer")
    linked_by = user_key(verbose_name=_("linked by"))
    linked_at = models.DateTimeField(_("linked"), auto_now_add=True)
    history = record_history()

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["change", "pk"]
        verbose_name = _("change's document revision")
        verbose_name_plural = _("change's document revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["change", "revision"], name="documents_change_link_once"
            )
        ]

    def __str__(self):
        return f"{self.change_id} → {self.revision_id}"


def review_interval_months() -> int:
    """How often a document is reviewed, in months (setting ``DOCUMENTS_REVIEW_MONTHS``)."""
    return settings.DOCUMENTS_REVIEW_MONTHS
