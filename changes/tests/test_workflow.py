"""The transition table and the demo data that walks it."""

from __future__ import annotations

import pytest

from changes.models import ChangeRequest
from changes.workflow import CHANGE_WORKFLOW


def test_every_transition_leads_to_a_status():
    statuses = set(ChangeRequest.Status.values)
    for transition in CHANGE_WORKFLOW.transitions.values():
        assert transition.target in statuses
        assert transition.sources <= statuses


def test_validation_precedes_implementation():
    assert CHANGE_WORKFLOW["validate"].sources == {"released"}
    assert CHANGE_WORKFLOW["implement"].sources == {"validated"}


@pytest.mark.django_db
def test_demo_reaches_every_status_and_its_pages_render(client):
    from accounts.models import User
    from changes import demo
    from customers import demo as customers_demo

    customers_demo.seed()
    demo.seed()
    statuses = set(ChangeRequest.objects.values_list("status", flat=True))
    assert statuses == set(ChangeRequest.Status.values)
    count = ChangeRequest.objects.count()
    demo.seed()
    assert ChangeRequest.objects.count() == count
    # Every status renders for our staff; what the customer was notified of, for them too.
    client.force_login(User.objects.get(email=demo.MANAGER))
    for change in ChangeRequest.objects.all():
        assert client.get(change.get_absolute_url()).status_code == 200, change.status
    closed = ChangeRequest.objects.get(status="closed")
    assert client.get(f"{closed.get_absolute_url()}notice.pdf").status_code == 200
    client.force_login(User.objects.get(email=f"quality@{closed.customer.code.lower()}.example"))
    for change in ChangeRequest.objects.filter(customer=closed.customer):
        expected = 404 if change.customer_notified_at is None else 200
        assert client.get(change.get_absolute_url()).status_code == expected
