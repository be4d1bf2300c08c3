"""Assignments on a revision that takes effect, training records completing them, and the
auditor qualification guard of the audit programme."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from audits.models import Audit
from audits.tests.factories import plan
from core.errors import DomainError, PermissionDenied
from documents.tests.factories import effective, new_document
from notifications.models import Notification

from .. import services, tasks
from ..models import Assignment, Level
from .factories import qualification

pytestmark = pytest.mark.django_db


@pytest.fixture
def pfmea(engineer, manager):
    document = new_document(actor=engineer)
    effective(document, author=engineer, approver=manager, change="First issue")
    return document


def test_when_revision_b_takes_effect_exactly_the_people_in_the_matrix_get_one_assignment(
    engineer, manager, pfmea, settings
):
    settings.CQM_TRAINING_DUE_DAYS = 10
    named = UserFactory(role=Role.ENGINEER)
    managers = [manager, UserFactory(role=Role.MANAGER)]
    UserFactory(role=Role.ENGINEER)  # not in the matrix
    other_document = new_document(actor=engineer, title="Control plan")
    services.requirement_create(actor=engineer, person=named, document=pfmea, level=2)
    services.requirement_create(actor=engineer, role=Role.MANAGER, document=pfmea, level=1)
    services.requirement_create(actor=engineer, role=Role.ENGINEER, document=other_document)
    Assignment.objects.all().delete()  # revision A's: this test is about B

    revision_b = effective(pfmea, author=engineer, approver=manager, change="New gauge")
    first = tasks.assign_due()
    second = tasks.assign_due()

    assigned = Assignment.objects.filter(revision=revision_b)
    assert sorted(assigned.values_list("person_id", flat=True)) == sorted(
        [named.pk, *(user.pk for user in managers)]
    )
    assert (first, second) == (3, 0)
    due = timezone.localdate(revision_b.became_effective_at) + dt.timedelta(days=10)
    assert set(assigned.values_list("due_on", flat=True)) == {due}
    told = Notification.objects.filter(kind="training.assigned")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        assigned.values_list("person_id", flat=True)
    )


def test_a_training_record_on_the_revision_completes_the_assignment(engineer, manager, pfmea):
    trainee = UserFactory(role=Role.ENGINEER)
    services.requirement_create(actor=engineer, person=trainee, document=pfmea)
    revision = effective(pfmea, author=engineer, approver=manager, change="B")
    services.assign_due()
    record = services.training_record_create(
        actor=engineer,
        person=trainee,
        revision=revision,
        trained_on=timezone.localdate(),
        trainer=manager,
        level=Level.TRAINED,
        evidence="Instructed at the press line",
    )
    assignment = Assignment.objects.get(person=trainee, revision=revision)
    assert assignment.status == Assignment.Status.COMPLETED
    assert assignment.completed_by_record == record
    assert services.assign_due() == 0


def test_a_training_record_needs_evidence(engineer, pfmea):
    pfmea.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.training_record_create(
            actor=engineer,
            person=UserFactory(),
            revision=pfmea.current_revision,
            trained_on=timezone.localdate(),
        )
    assert refused.value.field == "evidence"


def test_planning_a_vda_audit_with_an_auditor_whose_qualification_expired_is_refused(
    engineer, manager
):
    auditor = UserFactory(full_name="Erika Prüfer")
    qualification(
        actor=engineer,
        person=auditor,
        valid_from=dt.date(2024, 2, 1),
        valid_until=dt.date(2027, 2, 1),
    )
    with pytest.raises(DomainError) as refused:
        plan(actor=manager, lead_auditor=auditor, planned_date=dt.date(2027, 3, 12))
    assert refused.value.message == (
        "Erika Prüfer has no valid VDA 6.3 process auditor qualification on 12 Mar 2027 "
        "(expired 1 Feb 2027)."
    )
    assert not Audit.objects.exists()
    planned = plan(actor=manager, lead_auditor=auditor, planned_date=dt.date(2027, 1, 12))
    assert planned.lead_auditor == auditor


def test_the_rule_applies_only_once_the_register_holds_that_kind(engineer, manager):
    auditor = UserFactory()
    qualification(actor=engineer, person=UserFactory(), kind="iso9001_internal_auditor")
    assert plan(actor=manager, lead_auditor=auditor).pk  # no VDA 6.3 qualification on record
    with pytest.raises(DomainError):
        plan(
            actor=engineer,
            type=Audit.Type.SYSTEM,
            lead_auditor=auditor,
            title="ISO 9001 system audit",
        )


def test_a_team_member_without_qualification_is_refused_too(engineer, manager):
    lead, member = UserFactory(), UserFactory(full_name="Max Neu")
    qualification(actor=engineer, person=lead)
    with pytest.raises(DomainError) as refused:
        plan(actor=manager, lead_auditor=lead, team=[member])
    assert refused.value.field == "team"
    assert "Max Neu has no valid VDA 6.3 process auditor qualification" in refused.value.message


def test_customer_users_cannot_write_the_register(user_a):
    with pytest.raises(PermissionDenied):
        services.skill_create(actor=user_a, name="Crimping")
