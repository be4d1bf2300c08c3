"""Every write to the training register goes through here (DESIGN §4).

The register is ours: only our staff write it. A training record on a revision completes that
person's open assignment for it; the daily run assigns the training a new revision needs.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.attachments import AttachmentPolicy
from core.errors import DomainError, PermissionDenied
from core.records import services as records
from core.services import attachments_add
from core.tenancy import is_internal
from customers import defaults
from documents.models import Revision

from . import notifications, selectors
from .models import Assignment, Level, Qualification, Requirement, Skill, TrainingRecord

# Revisions that came into effect within this many days are scanned by the daily run: a run
# missed for a few days still assigns their training.
RECENTLY_EFFECTIVE_DAYS = 14


def due_days() -> int:
    """Days from a revision's coming into effect to its training's due date
    (``CQM_TRAINING_DUE_DAYS``, default 30)."""
    return settings.CQM_TRAINING_DUE_DAYS


def _require_staff(actor) -> None:
    if not is_internal(actor):
        raise PermissionDenied(_("You are not allowed to do this."))


def _require_staff_member(person, field: str) -> None:
    if person is None or not is_internal(person):
        raise DomainError(_("Choose an active member of our staff."), field=field)


def _evidence_policy() -> AttachmentPolicy:
    return AttachmentPolicy(
        allowed_types=tuple(defaults.ALLOWED_ATTACHMENT_TYPES),
        max_bytes=defaults.MAX_ATTACHMENT_MB * 1024 * 1024,
    )


def _store_evidence(record, actor, upload) -> None:
    if upload is None:
        return
    stored = attachments_add(
        owner=record, uploads=[upload], actor=actor, policy=_evidence_policy(), description=""
    )[0]
    record.evidence_file = stored
    records.save(record, actor, _("Evidence attached"), ["evidence_file"])


def _level(value) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if level not in Level.values:
        raise DomainError(_("Choose level 1, 2 or 3."), field="level")
    return level


# --- matrix ------------------------------------------------------------------------------------


@transaction.atomic
def skill_create(*, actor, name: str) -> Skill:
    _require_staff(actor)
    name = records.required(name, "name", _("Name the skill."))
    if Skill.objects.filter(name__iexact=name).exists():
        raise DomainError(_("This skill exists already."), field="name")
    skill = Skill(name=name)
    records.save_new(skill, actor, _("Skill created"))
    return skill


@transaction.atomic
def requirement_create(
    *, actor, person=None, role: str = "", document=None, skill=None, level=Level.TRAINED
) -> Requirement:
    """A matrix row: a person or a role needs a document or a skill to ``level``."""
    _require_staff(actor)
    role = role or ""
    if (person is None) == (not role):
        raise DomainError(_("Name either a person or a role."), field="person")
    if person is not None:
        _require_staff_member(person, "person")
    elif role == "customer":
        raise DomainError(_("Choose one of our staff's roles."), field="role")
    if (document is None) == (skill is None):
        raise DomainError(_("Name either a document or a skill."), field="document")
    requirement = Requirement(
        person=person,
        role=role,
        document=document,
        skill=skill,
        level=_level(level),
        created_by=actor,
    )
    duplicate = Requirement.objects.filter(person=person, role=role, document=document, skill=skill)
    if duplicate.exists():
        raise DomainError(_("The matrix has this row already."), field="person")
    records.save_new(requirement, actor, _("Matrix row added"))
    return requirement


# --- training records --------------------------------------------------------------------------


@transaction.atomic
def training_record_create(
    *,
    actor,
    person,
    trained_on: dt.date,
    revision: Revision | None = None,
    skill: Skill | None = None,
    trainer=None,
    level=Level.TRAINED,
    evidence: str = "",
    upload=None,
    expires_on: dt.date | None = None,
) -> TrainingRecord:
    """Record a training; on a revision it completes the person's open assignment for it."""
    _require_staff(actor)
    _require_staff_member(person, "person")
    if (revision is None) == (skill is None):
        raise DomainError(_("Name either a document revision or a skill."), field="revision")
    if trained_on is None:
        raise DomainError(_("When was the training?"), field="trained_on")
    if trained_on > timezone.localdate():
        raise DomainError(_("A training cannot be recorded ahead of its day."), field="trained_on")
    if expires_on is not None and expires_on <= trained_on:
        raise DomainError(_("It expires after the day of the training."), field="expires_on")
    if trainer is not None and trainer.pk == person.pk:
        raise DomainError(_("Nobody trains themselves."), field="trainer")
    evidence = (evidence or "").strip()
    if not evidence and upload is None:
        raise DomainError(_("Give the evidence: a text, a file or both."), field="evidence")
    record = TrainingRecord(
        person=person,
        revision=revision,
        skill=skill,
        trained_on=trained_on,
        trainer=trainer,
        level=_level(level),
        evidence=evidence,
        expires_on=expires_on,
        recorded_by=actor,
    )
    records.save_new(record, actor, _("Training recorded"))
    _store_evidence(record, actor, upload)
    if revision is not None:
        _complete_assignment(record, actor)
    return record


def _complete_assignment(record: TrainingRecord, actor) -> None:
    assignment = (
        Assignment.objects.select_for_update()
        .filter(person=record.person, revision=record.revision, status=Assignment.Status.OPEN)
        .first()
    )
    if assignment is None:
        return
    assignment.status = Assignment.Status.COMPLETED
    assignment.completed_by_record = record
    assignment.completed_at = timezone.now()
    records.save(
        assignment, actor, _("Completed"), ["status", "completed_by_record", "completed_at"]
    )


# --- qualifications ----------------------------------------------------------------------------


@transaction.atomic
def qualification_create(
    *,
    actor,
    person,
    kind: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    evidence: str = "",
    upload=None,
) -> Qualification:
    _require_staff(actor)
    _require_staff_member(person, "person")
    if kind not in Qualification.Kind.values:
        raise DomainError(_("Choose the qualification."), field="kind")
    if valid_from is None:
        raise DomainError(_("Since when is it valid?"), field="valid_from")
    if valid_until is not None and valid_until < valid_from:
        raise DomainError(_("It ends on or after the day it starts."), field="valid_until")
    evidence = (evidence or "").strip()
    if not evidence and upload is None:
        raise DomainError(_("Give the evidence: a text, a file or both."), field="evidence")
    qualification = Qualification(
        person=person,
        kind=kind,
        valid_from=valid_from,
        valid_until=valid_until,
        evidence=evidence,
        recorded_by=actor,
    )
    records.save_new(qualification, actor, _("Qualification recorded"))
    _store_evidence(qualification, actor, upload)
    return qualification


# --- assignments (daily run) -------------------------------------------------------------------


def recently_effective_revisions(now=None):
    since = (now or timezone.now()) - dt.timedelta(days=RECENTLY_EFFECTIVE_DAYS)
    return Revision.objects.filter(
        status=Revision.Status.EFFECTIVE, became_effective_at__gte=since
    ).select_related("document")


def assign_due(*, now=None) -> int:
    """The daily run: everyone the matrix asks to know a recently effective revision gets one
    assignment for it, due ``due_days()`` after it came into effect, and is told. Safe to run
    any number of times: the unique (person, revision) leaves a second run nothing to create."""
    created = 0
    for revision in recently_effective_revisions(now).order_by("became_effective_at", "pk"):
        created += revision_assign(revision=revision)
    return created


def revision_assign(*, revision: Revision) -> int:
    """The assignments ``revision`` needs that do not exist yet; how many were created."""
    due_on = timezone.localdate(revision.became_effective_at) + dt.timedelta(days=due_days())
    trained = set(
        TrainingRecord.objects.filter(revision=revision).values_list("person_id", flat=True)
    )
    assigned = set(Assignment.objects.filter(revision=revision).values_list("person_id", flat=True))
    created = 0
    for person in selectors.people_needing(revision.document):
        if person.pk in trained or person.pk in assigned:
            continue
        created += _assign(person, revision, due_on)
    return created


def _assign(person, revision: Revision, due_on: dt.date) -> int:
    try:
        with transaction.atomic():
            assignment = Assignment(person=person, revision=revision, due_on=due_on)
            records.save_new(assignment, None, _("Assigned"))
            notifications.assigned(assignment)
    except IntegrityError:
        return 0  # another run assigned it in the meantime
    return 1
