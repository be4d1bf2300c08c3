"""Demo training register: a training matrix for the demo staff over the demo part's PFMEA and
control plan, training records on their revisions in effect, auditor and 8D moderator
qualifications, and one expired VDA 6.3 qualification.

The expired one belongs to the administrator, who audits nothing in the demo programme: the
planned demo audits' auditors (manager and engineer) hold valid auditor qualifications, so that
re-planning any of them still passes the qualification check.

``seed()`` is idempotent: it does nothing once a demo matrix row exists.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from documents.models import Document

from . import services
from .models import Qualification, Requirement

ADMIN, MANAGER, ENGINEER = "admin@demo.example", "manager@demo.example", "engineer@demo.example"
PART_NUMBER = "HN-21-1002"
SKILL = "Layered process audits"


def seed(*, today: dt.date | None = None, stdout=None) -> None:
    today = today or timezone.localdate()
    users = {user.email: user for user in User.objects.filter(email__in=[ADMIN, MANAGER, ENGINEER])}
    documents = list(
        Document.objects.filter(
            parts__part_number=PART_NUMBER,
            kind__in=(Document.Kind.PFMEA, Document.Kind.CONTROL_PLAN),
            current_revision__isnull=False,
        )
        .select_related("current_revision")
        .order_by("number")
    )
    if len(users) < 3 or not documents:
        return
    if Requirement.objects.filter(document__in=documents).exists():
        return
    with transaction.atomic():
        _matrix(users, documents)
        _records(users, documents, today)
        _qualifications(users, today)
    assigned = services.assign_due()
    if stdout is not None:
        stdout.write(f"Demo training: matrix, records and qualifications; {assigned} assigned.")


def summary(*, stdout) -> None:
    stdout.write(f"{Qualification.objects.count()} qualifications in the training register.")


def _matrix(users, documents) -> None:
    actor = users[MANAGER]
    for document in documents:
        services.requirement_create(actor=actor, role=Role.ENGINEER, document=document, level=2)
        services.requirement_create(actor=actor, role=Role.MANAGER, document=document, level=1)
    skill = services.skill_create(actor=actor, name=SKILL)
    services.requirement_create(actor=actor, person=users[ENGINEER], skill=skill, level=3)


def _records(users, documents, today: dt.date) -> None:
    manager, engineer = users[MANAGER], users[ENGINEER]
    for document in documents:
        revision = document.current_revision
        services.training_record_create(
            actor=manager,
            person=engineer,
            revision=revision,
            trained_on=today,
            trainer=manager,
            level=2,
            evidence=f"Walked through {document.number} rev. {revision.letter} at the line.",
        )


def _qualifications(users, today: dt.date) -> None:
    actor = users[MANAGER]
    since, until = today - dt.timedelta(days=400), today + dt.timedelta(days=700)
    for email in (MANAGER, ENGINEER):
        for kind in (
            Qualification.Kind.VDA63_PROCESS_AUDITOR,
            Qualification.Kind.ISO9001_INTERNAL_AUDITOR,
        ):
            services.qualification_create(
                actor=actor,
                person=users[email],
                kind=kind,
                valid_from=since,
                valid_until=until,
                evidence="Auditor certificate (VDA QMC / internal auditor course).",
            )
    services.qualification_create(
        actor=actor,
        person=users[ENGINEER],
        kind=Qualification.Kind.EIGHTD_MODERATOR,
        valid_from=since,
        valid_until=today + dt.timedelta(days=45),
        evidence="8D moderator course.",
    )
    services.qualification_create(
        actor=actor,
        person=users[ADMIN],
        kind=Qualification.Kind.VDA63_PROCESS_AUDITOR,
        valid_from=today - dt.timedelta(days=1200),
        valid_until=today - dt.timedelta(days=30),
        evidence="VDA 6.3 auditor certificate (not renewed).",
    )
