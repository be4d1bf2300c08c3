"""``Notices``: a module's notifications about one kind of record, declared as a table."""

from __future__ import annotations

import pytest
from django.core import mail

from changes.deviations.tests.factories import draft_deviation
from customers.models import CustomerRequirements
from notifications.services import THE_CUSTOMER, Notices

from .conftest import ANYONE, CUSTOMER

pytestmark = pytest.mark.django_db

_DEVIATION = Notices(says={"upper_title": lambda deviation: deviation.title.upper()})


@pytest.fixture
def deviation(engineer, customer_a):
    return draft_deviation(actor=engineer, customer=customer_a, title="Wider tolerance")


def test_texts_say_what_they_name_of_the_record(deviation, manager):
    notice = _DEVIATION.notice(
        ANYONE, "%(number)s: %(upper_title)s", "%(comment)s", to=lambda record: [manager]
    )

    [row] = notice(deviation, comment="Please look")

    assert row.recipient == manager
    assert row.title == f"{deviation.number}: WIDER TOLERANCE"
    assert row.body == "Please look"
    assert row.url == deviation.get_absolute_url()
    assert row.record_id == deviation.pk


def test_a_name_no_text_uses_is_never_read(deviation, manager):
    says = {"number": lambda record: "D-1", "broken": lambda record: 1 / 0}
    notice = Notices(says=says).notice(ANYONE, "%(number)s", to=lambda record: [manager])

    [row] = notice(deviation)

    assert row.title == "D-1"
    assert row.body == ""


def test_the_actor_is_not_told(deviation, engineer, manager):
    notice = _DEVIATION.notice(ANYONE, "%(number)s", to=lambda record: [engineer, manager])

    assert [row.recipient for row in notice(deviation, engineer)] == [manager]


def test_the_customer_means_their_users_and_their_report_recipients(
    deviation, user_a, user_b, django_capture_on_commit_callbacks
):
    requirements = CustomerRequirements.objects.get(customer=deviation.customer)
    requirements.report_recipients = "reports@autowerk.example"
    requirements.save()
    deviation.customer.refresh_from_db()
    notice = _DEVIATION.notice(CUSTOMER, "%(number)s: your decision", to=THE_CUSTOMER)

    with django_capture_on_commit_callbacks(execute=True):
        rows = notice(deviation)

    assert {row.recipient for row in rows if row.recipient} == {user_a}
    assert {row.email for row in rows if row.email} == {"reports@autowerk.example"}
    assert {tuple(message.to) for message in mail.outbox} >= {("reports@autowerk.example",)}
