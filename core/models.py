"""Cross-cutting records: attachments, actions and number sequences. No domain words here."""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import limits

from .attachments import KNOWN_TYPES
from .choices import ChoiceLabels
from .records.fields import user_key
from .records.querysets import LimitedForCustomers
from .tenancy import OwnedByRecordQuerySet


class Sequence(models.Model):
    """The last number handed out per kind of record and year (``CL-2026-00042``)."""

    prefix = models.CharField(max_length=12)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year"], name="core_sequence_unique_prefix_year"
            )
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_value}"


def attachment_path(instance, filename):
    # The stored name never comes from the uploader: no path tricks, no double extensions.
    now = timezone.now()
    extension = instance.extension or "bin"
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}.{extension}"


class OwnedByRecord(models.Model):
    """A row hanging off another record (a claim, a change, a finding) through a generic relation:
    visible exactly when that record is, read by it through the index."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()

    objects = OwnedByRecordQuerySet.as_manager()

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["content_type", "object_id"])]


class AttachmentQuerySet(LimitedForCustomers, OwnedByRecordQuerySet):
    customers_see = models.Q(internal_only=False)


class Attachment(OwnedByRecord):
    owner = GenericForeignKey("content_type", "object_id")

    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("type"), max_length=100)
    extension = models.CharField(max_length=12)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=255, blank=True)
    internal_only = models.BooleanField(
        _("internal only"), default=False, help_text=_("Hidden from customer users.")
    )
    uploaded_by = user_key(null=True)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    history = HistoricalRecords()

    objects = AttachmentQuerySet.as_manager()

    class Meta(OwnedByRecord.Meta):
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    @property
    def type_label(self) -> str:
        label = KNOWN_TYPES.get(self.mime_type, (None,))[0]
        return str(label) if label else self.mime_type

    @property
    def short_sha256(self) -> str:
        return self.sha256[:12]


class ActionQuerySet(LimitedForCustomers, OwnedByRecordQuerySet):
    customers_see = models.Q(internal_only=False)

    def open(self):
        return self.filter(status__in=Action.OPEN_STATUSES)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)


class Action(ChoiceLabels, OwnedByRecord):
    """A task with an owner and a due date, hanging off a claim, change, finding or other record."""

    class Kind(models.TextChoices):
        CONTAINMENT = "containment", _("Containment")
        CORRECTIVE = "corrective", _("Corrective")
        PREVENTIVE = "preventive", _("Preventive")
        IMPLEMENTATION = "implementation", _("Implementation")
        FINDING_RESPONSE = "finding_response", _("Finding response")
        FOLLOW_UP = "follow_up", _("Follow-up")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done, effectiveness to check")
        CLOSED = "closed", _("Closed, effective")
        CANCELLED = "cancelled", _("Cancelled")

    class Effectiveness(models.TextChoices):
        EFFECTIVE = "effective", _("Effective")
        NOT_EFFECTIVE = "not_effective", _("Not effective")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=limits.LONG_TEXT)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    owner = user_key(verbose_name=_("owner"), related_name="actions")
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completion_note = models.TextField(
        _("completion note"), blank=True, max_length=limits.LONG_TEXT
    )
    effectiveness_result = models.CharField(
        _("effectiveness"), max_length=20, choices=Effectiveness.choices, blank=True
    )
    effectiveness_evidence = models.TextField(
        _("effectiveness evidence"), blank=True, max_length=limits.LONG_TEXT
    )
    effectiveness_checked_at = models.DateTimeField(
        _("effectiveness checked"), null=True, blank=True
    )
    effectiveness_checked_by = user_key(null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, max_length=limits.NOTE)
    internal_only = models.BooleanField(
        _("internal only"), default=False, help_text=_("Hidden from customer users.")
    )

    record = GenericForeignKey("content_type", "object_id")

    created_by = user_key(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta(OwnedByRecord.Meta):
        ordering = ["due_date", "pk"]
        indexes = [
            *OwnedByRecord.Meta.indexes,
            models.Index(fields=["owner", "status"]),
            # The overdue count on the dashboard and the home page (open actions past due).
            models.Index(fields=["status", "due_date"], name="core_action_status_due"),
        ]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_finished(self) -> bool:
        """Done, closed or cancelled: the due date no longer counts."""
        return not self.is_open

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())

    @property
    def record_type(self) -> str:
        """The owning record's kind as "app_label.model" (stable across languages)."""
        content_type = ContentType.objects.get_for_id(self.content_type_id)
        return f"{content_type.app_label}.{content_type.model}"


class OutboxMessageQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)


class OutboxMessage(models.Model):
    """A background task, written in the transaction of the change that causes it.

    Published right after the commit (or later by the relay, ``core.outbox``); ``sent_at`` tells
    when. Sent rows are pruned after a week.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    error = models.TextField(_("last error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # The relay reads only the waiting messages, oldest first.
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="core_outbox_unsent",
            )
        ]
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class Signature(OwnedByRecord):
    """An electronic signature on a record: who signed, in which role, when, and what it means.

    The signer re-entered their password to sign (``core.signatures.sign``). Name, role and
    company are copied at signing time, so the record still says who signed after the account is
    renamed or its role changes.
    """

    owner = GenericForeignKey("content_type", "object_id")

    signer = user_key(related_name="signatures")
    signer_name = models.CharField(_("name"), max_length=150)
    signer_role = models.CharField(_("role"), max_length=150)
    signer_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    meaning = models.CharField(_("meaning"), max_length=255)
    comment = models.TextField(_("comment"), blank=True, max_length=limits.COMMENT)
    # The owner's version when signed: what exactly was signed, for records using core.locking.
    record_version = models.PositiveIntegerField(null=True, blank=True)
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)

    class Meta(OwnedByRecord.Meta):
        ordering = ["signed_at", "pk"]
        verbose_name = _("electronic signature")
        verbose_name_plural = _("electronic signatures")

    def __str__(self):
        return f"{self.signer_name}: {self.meaning}"


class DataChange(models.Model):
    """Writes to the product's tables: the clock of ``core.data_version``.

    Database triggers add a row for every statement that writes to a tracked table, with a random
    ``token``; ``core.data_version`` explains why rows are added rather than a counter
    incremented, and folds old rows into one with the same totals.
    """

    # The table written; a default in the database, so that a trigger installed before this
    # column existed keeps working until ``migrate`` installs the new ones.
    table_name = models.CharField(max_length=63, db_default="", blank=True)
    changes = models.BigIntegerField(default=1)
    token = models.DecimalField(max_digits=38, decimal_places=0)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.changes} change(s) up to #{self.pk}"


class Heartbeat(models.Model):
    """The last sign of life of one background process (a Celery worker or the beat scheduler).

    One row per process (component, host and pid); ``core.heartbeat`` writes it every
    ``CQM_HEARTBEAT_SECONDS`` and reads the newest per component for ``/healthz`` and the banner.
    """

    class Component(models.TextChoices):
        WORKER = "worker", _("Background worker")
        BEAT = "beat", _("Scheduler (beat)")

    component = models.CharField(_("component"), max_length=10, choices=Component.choices)
    instance = models.CharField(_("process"), max_length=200)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["component", "instance"], name="core_heartbeat_unique_process"
            )
        ]
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.component} {self.instance}: {self.last_seen_at:%Y-%m-%d %H:%M:%S}"
