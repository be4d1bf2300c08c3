"""The demo records a CS1 in force with part of its criteria met and a past escalation, once."""

import io

import pytest

from core.models import Signature
from customers import demo as customers_demo
from special_status import demo
from special_status.models import SpecialStatus, SpecialStatusEvent

pytestmark = pytest.mark.django_db


def test_demo_seeds_a_cs1_in_force_and_a_closed_escalation_once():
    customers_demo.seed()
    demo.seed()
    cs1 = SpecialStatus.objects.get(kind="cs1")
    assert cs1.status == "open" and cs1.customer.code == "AUTOWERK"
    met = list(cs1.criteria.order_by("position").values_list("met", flat=True))
    assert met == [True, True, False]
    escalation = SpecialStatus.objects.get(kind="escalation_1")
    assert escalation.status == "closed"
    assert escalation.decided_by.email == "quality@caldera.example"
    assert Signature.objects.for_owner(escalation).count() == 1
    # Written at the moments they happened: opened months before the customer signed the exit.
    opened = SpecialStatusEvent.objects.get(special_status=escalation, action="open")
    signed = SpecialStatusEvent.objects.get(special_status=escalation, action="sign_exit")
    assert (signed.created_at - opened.created_at).days >= 90
    assert escalation.started_on < cs1.started_on
    count = SpecialStatus.objects.count()
    demo.seed()
    assert SpecialStatus.objects.count() == count == 2
    out = io.StringIO()
    demo.summary(stdout=out)
    assert "2 demo special statuses, 1 in force" in out.getvalue()
