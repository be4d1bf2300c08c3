"""The PPAP demo data: every state, idempotent."""

import pytest

from customers.demo import seed_demo
from ppap import demo
from ppap.models import PpapSubmission

pytestmark = pytest.mark.django_db


def test_demo_reaches_every_state_and_is_idempotent():
    seed_demo()
    demo.seed()
    statuses = set(PpapSubmission.objects.values_list("status", flat=True))
    assert statuses == set(PpapSubmission.Status.values)
    count = PpapSubmission.objects.count()
    demo.seed()
    assert PpapSubmission.objects.count() == count
