"""Training (IATF 16949 7.2, 7.3): who must know which document or skill to which level, the
evidence that they were trained, the training due on a new revision, and auditor and moderator
qualifications with their expiry.

The register is internal: our staff read and keep it, customer users never see any of it.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core import limits
from core.records.fields import protected_key, user_key
from core.records.models import Record, record_history
from core.tenancy import is_internal

__all__ = ["Assignment", "Level", "Qualification", "Requirement", "Skill", "TrainingRecord"]


class Level(models.IntegerChoices):
    AWARE = 1, _("1 – aware")
    TRAINED = 2, _("2 – trained")
    TRAINER = 3, _("3 – can train others")


class InternalQuerySet(models.QuerySet):
    """Rows of the internal training register: all of them for our staff, none for others."""

    def visible_to(self, user):
        return self if is_internal(user) else self.none()


class Skill(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    history = record_history()

    objects = InternalQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.name


class RequirementQuerySet(InternalQuerySet):
    def with_related(self):
        return self.select_related("person", "document", "skill")


class Requirement(Record):
    """One row of the training matrix: a person or everyone of a role needs a document or a
    skill to a level."""

    person = user_key(
        verbose_name=_("person"), null=True, blank=True, related_name="training_requirements"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    document = protected_key(
        "documents.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        related_name="training_requirements",
    )
    skill = protected_key(
        Skill, verbose_name=_("skill"), null=True, blank=True, related_name="requirements"
    )
    level = models.PositiveSmallIntegerField(
        _("required level"), choices=Level.choices, default=Level.TRAINED
    )
    created_by = user_key(verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = record_history()

    objects = RequirementQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("training requirement")
        verbose_name_plural = _("training matrix")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(role=""))
                | (Q(person__isnull=True) & ~Q(role="")),
                name="training_requirement_person_or_role",
            ),
            models.CheckConstraint(
                condition=(Q(document__isnull=False) & Q(skill__isnull=True))
                | (Q(document__isnull=True) & Q(skill__isnull=False)),
                name="training_requirement_document_or_skill",
            ),
        ]
        indexes = [models.Index(fields=["document", "role"])]

    def __str__(self):
        who = self.person if self.person_id else self.get_role_display()
        return f"{who} × {self.document or self.skill}"

    def get_absolute_url(self):
        return reverse("training:requirement-list")


class TrainingRecordQuerySet(InternalQuerySet):
    def with_related(self):
        return self.select_related(
            "person", "trainer", "skill", "revision", "revision__document", "evidence_file"
        )


class TrainingRecord(Record):
    """Evidence that a person was trained on a document revision or a skill."""

    person = user_key(verbose_name=_("person"), related_name="training_records")
    revision = protected_key(
        "documents.Revision",
        verbose_name=_("document revision"),
        null=True,
        blank=True,
        related_name="training_records",
    )
    skill = protected_key(
        Skill, verbose_name=_("skill"), null=True, blank=True, related_name="training_records"
    )
    trained_on = models.DateField(_("trained on"))
    trainer = user_key(verbose_name=_("trainer"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, max_length=limits.NOTE)
    evidence_file = protected_key(
        "core.Attachment", verbose_name=_("evidence file"), null=True, blank=True
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(
        _("level reached"), choices=Level.choices, default=Level.TRAINED
    )
    recorded_by = user_key(verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = record_history()

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-trained_on", "-pk"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        constraints = [
            models.CheckConstraint(
                condition=(Q(revision__isnull=False) & Q(skill__isnull=True))
                | (Q(revision__isnull=True) & Q(skill__isnull=False)),
                name="training_record_revision_or_skill",
            )
        ]
        indexes = [models.Index(fields=["person", "trained_on"])]

    def __str__(self):
        return f"{self.person} – {self.revision or self.skill} ({self.trained_on.isoformat()})"

    def get_absolute_url(self):
        return reverse("training:record-detail", args=[self.pk])


class AssignmentQuerySet(InternalQuerySet):
    def with_related(self):
        return self.select_related("person", "revision", "revision__document")

    def open(self):
        return self.filter(status=Assignment.Status.OPEN)


class Assignment(Record):
    """Training due on a revision that came into effect: one per person and revision."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        COMPLETED = "completed", _("Completed")

    person = user_key(verbose_name=_("person"), related_name="training_assignments")
    revision = protected_key(
        "documents.Revision", verbose_name=_("document revision"), related_name="assignments"
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    completed_by_record = protected_key(
        TrainingRecord, verbose_name=_("training record"), null=True, blank=True
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    history = record_history()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("training assignment")
        verbose_name_plural = _("training assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "revision"], name="training_one_assignment_per_revision"
            )
        ]
        indexes = [models.Index(fields=["person", "status", "due_on"])]

    def __str__(self):
        return f"{self.person} – {self.revision}"

    def get_absolute_url(self):
        return reverse("training:assignment-list")

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


class QualificationKind(models.TextChoices):
    VDA63_PROCESS_AUDITOR = "vda63_process_auditor", _("VDA 6.3 process auditor")
    ISO9001_INTERNAL_AUDITOR = "iso9001_internal_auditor", _("ISO 9001 internal auditor")
    EIGHTD_MODERATOR = "8d_moderator", _("8D moderator")


class QualificationQuerySet(InternalQuerySet):
    def with_related(self):
        return self.select_related("person", "evidence_file")

    def valid_on(self, day: dt.date):
        return self.filter(valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class Qualification(Record):
    """A person's qualification of a kind, valid from a day until a day (open: no expiry)."""

    Kind = QualificationKind

    person = user_key(verbose_name=_("person"), related_name="qualifications")
    kind = models.CharField(_("qualification"), max_length=40, choices=QualificationKind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, max_length=limits.NOTE)
    evidence_file = protected_key(
        "core.Attachment", verbose_name=_("evidence file"), null=True, blank=True
    )
    recorded_by = user_key(verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = record_history()

    objects = QualificationQuerySet.as_manager()

    class Meta:
        ordering = ["person", "kind", "-valid_from"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="training_qualification_period",
            )
        ]
        indexes = [models.Index(fields=["kind", "person", "valid_until"])]

    def __str__(self):
        return f"{self.person} – {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("training:qualification-list")
