"""The demo training register: matrix, records, qualifications with one expired, once; and the
demo programme's audits still pass the auditor qualification check when re-planned."""

import pytest

from accounts.roles import Role
from audits import demo as audits_demo
from audits import services as audit_services
from audits.models import Audit
from customers import demo as customers_demo
from documents import demo as documents_demo
from training import demo
from training.models import Assignment, Qualification, Requirement, TrainingRecord

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_register_once_and_the_demo_audits_still_pass_the_check():
    customers_demo.seed()
    audits_demo.seed()
    documents_demo.seed()

    demo.seed()

    assert Requirement.objects.filter(role=Role.ENGINEER).count() == 2
    assert TrainingRecord.objects.filter(person__email=demo.ENGINEER).count() == 2
    expired = Qualification.objects.get(person__email=demo.ADMIN)
    assert expired.valid_until is not None
    assert Assignment.objects.filter(person__email=demo.MANAGER).exists()
    count = Qualification.objects.count()
    demo.seed()
    assert Qualification.objects.count() == count

    manager = expired.recorded_by
    for audit in Audit.objects.filter(status__in=audit_services.EDITABLE_WHILE):
        audit_services.audit_update(audit=audit, actor=manager)
