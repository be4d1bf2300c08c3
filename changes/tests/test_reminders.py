"""Daily reminders about change notices waiting for the customer's decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from changes.models import ChangeEvent, ChangeReminderLog, ChangeRequest
from changes.reminders import decision_reminders_send
from changes.tasks import send_decision_reminders

from .factories import raise_change, to_customer_approval

pytestmark = pytest.mark.django_db


def test_reminds_after_the_customers_days_once_a_day(
    customer_a, engineer, manager, user_a, django_capture_on_commit_callbacks
):
    change = to_customer_approval(
        raise_change(actor=engineer, customer=customer_a), engineer=engineer, manager=manager
    )
    notified = ChangeRequest.objects.get(pk=change.pk).customer_notified_at
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        early = decision_reminders_send(now=notified + dt.timedelta(days=4))
    assert early == {"changes": 0, "mails": 0}
    later = notified + dt.timedelta(days=5, hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert decision_reminders_send(now=later) == {"changes": 1, "mails": 1}
        assert decision_reminders_send(now=later) == {"changes": 0, "mails": 0}
    assert [m.to for m in mail.outbox] == [[user_a.email]]
    assert "Reminder" in mail.outbox[0].subject
    assert ChangeReminderLog.objects.filter(change=change).count() == 1
    assert ChangeEvent.objects.filter(change=change, action="remind").exists()


def test_reminder_days_are_the_customers(customer_a, engineer, manager, user_a):
    requirements = customer_a.requirements
    requirements.change_decision_reminder_days = 10
    requirements.save()
    to_customer_approval(
        raise_change(actor=engineer, customer=customer_a), engineer=engineer, manager=manager
    )
    assert decision_reminders_send(now=timezone.now() + dt.timedelta(days=6))["changes"] == 0
    assert send_decision_reminders.apply().get()["changes"] == 0
    assert decision_reminders_send(now=timezone.now() + dt.timedelta(days=11))["changes"] == 1
