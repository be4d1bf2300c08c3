"""PPAP key figures for the dashboard and the monthly report (REFERENCE §5)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.tests.factories import PartFactory
from ppap import selectors, services
from ppap.tests.factories import PASSWORD, interim, sent

pytestmark = pytest.mark.django_db


def _month():
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime(today.year, today.month, 1))
    return start, start + dt.timedelta(days=32)


def _figures(**scope) -> dict:
    start, end = _month()
    return {figure.key: figure.value for figure in selectors.kpi_figures(start, end, **scope)}


def test_no_decisions_give_no_rate_and_zero_counts():
    figures = _figures()
    assert figures["first_time_approval_rate"] is None
    assert figures["first_submissions_decided"] == figures["waiting_for_decision"] == 0


def test_first_time_approval_rate_counts_interim_against_it(engineer, manager, customer_a, user_a):
    approved = sent(engineer, manager, part=PartFactory(customer=customer_a))
    services.submission_dispose(
        submission=approved, actor=user_a, disposition="approve", password=PASSWORD
    )
    interim(engineer, manager, user_a, part=PartFactory(customer=customer_a))
    sent(engineer, manager, part=PartFactory(customer=customer_a))  # still waiting

    figures = _figures(customer_id=customer_a.pk)

    assert figures["first_time_approval_rate"] == Decimal("50.0")
    assert figures["first_submissions_decided"] == 2
    assert figures["waiting_for_decision"] == 1
    assert figures["interim_approvals"] == 1
    assert _figures(customer_id=customer_a.pk + 1000)["first_submissions_decided"] == 0
