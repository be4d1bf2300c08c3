"""One side's rows of the training register: the isolation sweep keeps them in ``side.extra``."""

from __future__ import annotations

from django.utils import timezone

from accounts.tests.factories import UserFactory
from training import services
from training.models import Assignment


def build(side, *, engineer, manager) -> None:
    """A skill, a matrix row on the side's document, a training record, a qualification and an
    assignment on the side's revision in effect, named with the side's marker."""
    marker = side.secret
    trainee = UserFactory(full_name=f"{marker} Trainee")
    skill = services.skill_create(actor=engineer, name=f"{marker} crimping")
    document = side.extra["document"]
    revision = side.extra["document_revision"]
    requirement = services.requirement_create(actor=engineer, person=trainee, document=document)
    record = services.training_record_create(
        actor=engineer,
        person=trainee,
        skill=skill,
        trained_on=timezone.localdate(),
        trainer=manager,
        evidence=f"{marker} course",
    )
    qualification = services.qualification_create(
        actor=manager,
        person=trainee,
        kind="8d_moderator",
        valid_from=timezone.localdate(),
        evidence=f"{marker} certificate",
    )
    services.revision_assign(revision=revision)
    side.extra.update(
        training_skill=skill,
        training_requirement=requirement,
        training_record=record,
        training_qualification=qualification,
        training_assignment=Assignment.objects.get(person=trainee, revision=revision),
    )
