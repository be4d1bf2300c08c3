"""A PPAP-requiring change opens one submission per affected part and waits for their approval."""

from __future__ import annotations

import pytest

from changes import ppap_link, services
from changes.models import ChangeRequest
from core.errors import Conflict
from customers.tests.factories import PartFactory
from ppap.models import PpapSubmission

from .factories import PASSWORD, raise_change, to_approved

pytestmark = pytest.mark.django_db


def _released(customer, engineer, manager, user):
    change = raise_change(
        actor=engineer, customer=customer, ppap_required=True, change_type="supplier"
    )
    services.affected_part_add(
        change=change, actor=engineer, part=PartFactory(customer=customer), new_revision="C"
    )
    change = to_approved(change, engineer=engineer, manager=manager, customer_user=user)
    services.change_release(change=change, actor=manager, password=PASSWORD)
    return ChangeRequest.objects.get(pk=change.pk)


def test_release_opens_one_submission_per_part(customer_a, engineer, manager, user_a):
    change = _released(customer_a, engineer, manager, user_a)
    submissions = list(ppap_link.submissions_for(change))
    assert sorted(s.part_id for s in submissions) == sorted(
        change.parts.values_list("part_id", flat=True)
    )
    assert {s.reason for s in submissions} == {"sub_supplier"}
    assert {s.level for s in submissions} == {3}
    # Linking again opens nothing new.
    assert ppap_link.open_submissions(change, manager) == []


def test_validation_waits_for_approved_ppap(customer_a, engineer, manager, user_a):
    change = _released(customer_a, engineer, manager, user_a)
    with pytest.raises(Conflict, match="PPAP"):
        services.change_validate(change=change, actor=engineer, results="OK")
    assert ChangeRequest.objects.get(pk=change.pk).status == "released"
    # The customer's PPAP decisions are the PPAP module's business; here only their outcome.
    PpapSubmission.objects.filter(change=change).update(status=PpapSubmission.Status.APPROVED)
    services.change_validate(change=change, actor=engineer, results="OK")
    assert ChangeRequest.objects.get(pk=change.pk).status == "validated"
