"""The demo seeds audits in every state through the services, once."""

import io

import pytest

from audits import demo
from audits.models import Audit, Finding
from customers import demo as customers_demo

pytestmark = pytest.mark.django_db


def test_demo_seeds_every_state_once():
    customers_demo.seed()
    demo.seed()
    statuses = set(Audit.objects.values_list("status", flat=True))
    assert set(Audit.Status.values) <= statuses
    graded = Audit.objects.get(status="closed", type="process")
    assert graded.grade == "B" and graded.downgrade_reasons
    customer_audit = Audit.objects.get(type="customer")
    assert customer_audit.findings.count() == 3
    assert Finding.objects.filter(status="submitted", customer=customer_audit.customer).exists()
    count = Audit.objects.count()
    demo.seed()
    assert Audit.objects.count() == count
    out = io.StringIO()
    demo.summary(stdout=out)
    assert f"{count} audits" in out.getvalue()
