"""Who hears of what in a deviation's life (notify: in-app rows plus mails after commit)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from accounts.tests.factories import DEFAULT_PASSWORD
from changes import notification_kinds as kinds
from changes.deviations import services, tasks
from notifications.models import Notification

from .factories import approved_deviation, draft_deviation, requested_deviation

pytestmark = pytest.mark.django_db

REPORTS = "qm-reports@autowerk.example"


def told(kind: str) -> set[str]:
    rows = Notification.objects.filter(kind=kind).select_related("recipient")
    return {row.recipient.email if row.recipient_id else row.email for row in rows}


def test_request_asks_the_customers_users_and_report_recipients(
    engineer, customer_a, customer_b, user_a, user_b, django_capture_on_commit_callbacks
):
    requirements = customer_a.requirements
    requirements.report_recipients = REPORTS
    requirements.save()
    deviation = draft_deviation(actor=engineer, customer=customer_a, internal_note="Scrap cost 9k")
    with django_capture_on_commit_callbacks(execute=True):
        services.deviation_request(deviation=deviation, actor=engineer)
    assert told(kinds.DEVIATION_DECISION_NEEDED) == {user_a.email, REPORTS}
    assert sorted(to for m in mail.outbox for to in m.to) == sorted([user_a.email, REPORTS])
    for message in mail.outbox:
        assert deviation.number in message.subject
        assert "Scrap cost" not in message.body
    assert not Notification.objects.filter(recipient=user_b).exists()


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_customer_decision_goes_to_the_owner(
    decision, engineer, manager, customer_a, user_a, user_b, django_capture_on_commit_callbacks
):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if decision == "approve":
            services.deviation_approve(
                deviation=deviation, actor=user_a, password=DEFAULT_PASSWORD, comment="OK"
            )
        else:
            services.deviation_reject(
                deviation=deviation, actor=user_a, password=DEFAULT_PASSWORD, reason="No"
            )
    assert told(kinds.DEVIATION_DECIDED) == {engineer.email}
    assert [m.to for m in mail.outbox] == [[engineer.email]]
    assert deviation.number in mail.outbox[0].subject
    assert (
        not Notification.objects.filter(recipient__in=[user_a, user_b])
        .exclude(kind=kinds.DEVIATION_DECISION_NEEDED)
        .exists()
    )


def test_decision_goes_to_the_managers_when_the_owner_left(engineer, manager, customer_a, user_a):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    engineer.is_active = False
    engineer.save(update_fields=["is_active"])
    services.deviation_approve(deviation=deviation, actor=user_a, password=DEFAULT_PASSWORD)
    assert told(kinds.DEVIATION_DECIDED) == {manager.email}


def test_manager_recording_the_approval_tells_the_owner(engineer, manager, customer_a):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    services.deviation_approve(
        deviation=deviation, actor=manager, password=DEFAULT_PASSWORD, authorisation="MAIL-7"
    )
    assert told(kinds.DEVIATION_DECIDED) == {engineer.email}


def test_daily_warning_is_one_notification_per_owner_and_day(
    engineer, manager, customer_a, user_a, user_b, django_capture_on_commit_callbacks
):
    requirements = customer_a.requirements
    requirements.deviation_expiry_warning_days = 5
    requirements.save()
    soon = dt.date.today() + dt.timedelta(days=4)
    near = approved_deviation(actor=engineer, approver=user_a, customer=customer_a, expires_on=soon)
    other = approved_deviation(
        actor=manager, approver=user_a, customer=customer_a, expires_on=soon, owner=manager
    )
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_deviation_warnings() == {"mails": 2, "deviations": 2}
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_deviation_warnings() == {"mails": 0, "deviations": 0}
    assert told(kinds.DEVIATION_WARNING) == {engineer.email, manager.email}
    mine = Notification.objects.get(kind=kinds.DEVIATION_WARNING, recipient=engineer)
    assert mine.record_id == near.pk and mine.url == near.get_absolute_url()
    assert near.number in mine.body and other.number not in mine.body
    assert sorted(to for m in mail.outbox for to in m.to) == sorted([engineer.email, manager.email])
    assert not Notification.objects.filter(recipient__in=[user_a, user_b]).exists()
