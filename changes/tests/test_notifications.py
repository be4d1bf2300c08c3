"""Who hears of what in a change request's life (notify: in-app rows plus mails after commit)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from changes import notification_kinds as kinds
from changes import services
from changes.models import ChangeRequest
from changes.reminders import decision_reminders_send
from notifications.models import Notification

from .factories import (
    PASSWORD,
    raise_change,
    to_approved,
    to_customer_approval,
    to_review_board,
)

pytestmark = pytest.mark.django_db

REPORTS = "qm-reports@autowerk.example"


def told(kind: str) -> set[str]:
    """Who got a notification of ``kind``: users' and mail-only addresses."""
    rows = Notification.objects.filter(kind=kind).select_related("recipient")
    return {row.recipient.email if row.recipient_id else row.email for row in rows}


def mailed(kind_title_part: str) -> set[str]:
    return {to for m in mail.outbox if kind_title_part in m.subject for to in m.to}


@pytest.fixture
def reports_a(customer_a):
    requirements = customer_a.requirements
    requirements.report_recipients = REPORTS
    requirements.save()
    return REPORTS


@pytest.fixture
def assessor(db):
    return UserFactory(email="assessor@example.com", role=Role.ENGINEER)


def test_impact_assessment_asks_the_named_assessors(
    customer_a, engineer, manager, assessor, user_a, user_b, django_capture_on_commit_callbacks
):
    change = raise_change(actor=engineer, customer=customer_a)
    services.assessor_add(change=change, actor=engineer, function="quality", user=assessor)
    services.approver_add(change=change, actor=engineer, function="quality", user=manager)
    services.change_submit(change=change, actor=engineer)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_start_assessment(change=change, actor=engineer)
    assert told(kinds.ASSESSMENT_NEEDED) == {assessor.email}
    assert [m.to for m in mail.outbox] == [[assessor.email]]
    assert change.number in mail.outbox[0].subject


def test_review_board_members_are_asked_to_sign(
    customer_a, engineer, manager, user_a, user_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = to_review_board(
            raise_change(actor=engineer, customer=customer_a), engineer=engineer, manager=manager
        )
    assert change.status == ChangeRequest.Status.REVIEW_BOARD
    assert told(kinds.BOARD_SIGNATURE_NEEDED) == {manager.email}
    assert mailed("review board signature") == {manager.email}


def test_deferred_change_back_at_the_board_asks_the_members_again(
    customer_a, engineer, manager, django_capture_on_commit_callbacks
):
    change = to_review_board(
        raise_change(actor=engineer, customer=customer_a), engineer=engineer, manager=manager
    )
    services.board_defer(
        change=change, actor=manager, reason="Wait for the tool", until=dt.date.today()
    )
    Notification.objects.all().delete()
    services.change_resume(change=change, actor=engineer)
    assert told(kinds.BOARD_SIGNATURE_NEEDED) == {manager.email}


def test_change_notice_waiting_for_the_customer_tells_only_that_customer(
    customer_a, customer_b, engineer, manager, user_a, user_b, reports_a,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    change = raise_change(actor=engineer, customer=customer_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        to_customer_approval(change, engineer=engineer, manager=manager)
    assert told(kinds.CUSTOMER_DECISION_NEEDED) == {user_a.email, REPORTS}
    notice = [m for m in mail.outbox if "for your approval" in m.subject]
    assert sorted(to for m in notice for to in m.to) == sorted([user_a.email, REPORTS])
    assert all(change.number in m.subject for m in notice)
    for message in notice:  # nothing internal reaches the customer
        assert "Supplier quote 4711" not in message.body and "1200" not in message.body
        assert "Tool life of the punch too short" in message.body
    assert not Notification.objects.filter(recipient=user_b).exists()
    assert all(user_b.email not in m.to for m in mail.outbox)
    row = Notification.objects.get(kind=kinds.CUSTOMER_DECISION_NEEDED, recipient=user_a)
    assert row.customer_id == customer_a.pk and row.url == change.get_absolute_url()


def test_board_completing_without_the_customer_asks_the_managers_to_release(
    customer_a, engineer, manager, admin_user, user_a, django_capture_on_commit_callbacks
):
    change = raise_change(actor=engineer, customer=customer_a, customer_approval_required=False)
    with django_capture_on_commit_callbacks(execute=True):
        change = to_customer_approval(change, engineer=engineer, manager=manager)
    assert change.status == ChangeRequest.Status.APPROVED
    # Everybody holding changes.approve except the manager who just signed.
    assert told(kinds.RELEASE_NEEDED) == {admin_user.email}
    assert told(kinds.CUSTOMER_DECISION_NEEDED) == set()
    assert mailed("waits for release") == {admin_user.email}


def test_customer_approval_tells_the_engineer_and_asks_for_the_release(
    customer_a, engineer, manager, admin_user, user_a, user_b, django_capture_on_commit_callbacks
):
    change = to_customer_approval(
        raise_change(actor=engineer, customer=customer_a), engineer=engineer, manager=manager
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_approve(change=change, actor=user_a, password=PASSWORD, comment="Go")
    assert told(kinds.CUSTOMER_DECIDED) == {engineer.email}
    assert told(kinds.RELEASE_NEEDED) == {manager.email, admin_user.email}
    decided = Notification.objects.get(kind=kinds.CUSTOMER_DECIDED)
    assert "Approved" in decided.title and decided.body == "Go"
    assert mailed("by the customer") == {engineer.email}
    assert (
        not Notification.objects.filter(recipient__in=[user_a, user_b])
        .exclude(kind=kinds.CUSTOMER_DECISION_NEEDED)
        .exists()
    )


def test_customer_rejection_goes_to_the_managers_when_the_engineer_left(
    customer_a, engineer, manager, user_a, django_capture_on_commit_callbacks
):
    change = to_customer_approval(
        raise_change(actor=engineer, customer=customer_a), engineer=engineer, manager=manager
    )
    engineer.is_active = False
    engineer.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_reject(
            change=change, actor=user_a, password=PASSWORD, reason="Not without PPAP"
        )
    assert told(kinds.CUSTOMER_DECIDED) == {manager.email}
    assert told(kinds.RELEASE_NEEDED) == set()
    assert mailed("by the customer") == {manager.email}


def test_release_tells_the_engineer_who_raised_the_change(
    customer_a, engineer, manager, user_a, django_capture_on_commit_callbacks
):
    change = to_approved(
        raise_change(actor=engineer, customer=customer_a),
        engineer=engineer,
        manager=manager,
        customer_user=user_a,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.change_release(change=change, actor=manager, password=PASSWORD)
    assert told(kinds.RELEASED) == {engineer.email}
    assert mailed("ECN released") == {engineer.email}


def test_decision_reminder_reaches_users_and_recipients_once_a_day(
    customer_a, customer_b, engineer, manager, user_a, user_b, reports_a,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    change = to_customer_approval(
        raise_change(actor=engineer, customer=customer_a), engineer=engineer, manager=manager
    )
    notified = ChangeRequest.objects.get(pk=change.pk).customer_notified_at
    mail.outbox.clear()
    later = notified + dt.timedelta(days=5, hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert decision_reminders_send(now=later) == {"changes": 1, "mails": 1}
        assert decision_reminders_send(now=later) == {"changes": 0, "mails": 0}
    assert told(kinds.DECISION_REMINDER) == {user_a.email, REPORTS}
    assert Notification.objects.filter(kind=kinds.DECISION_REMINDER).count() == 2
    assert sorted(to for m in mail.outbox for to in m.to) == sorted([user_a.email, REPORTS])
    assert all(m.subject.startswith("Reminder") for m in mail.outbox)
    # The next day it is sent again, once.
    with django_capture_on_commit_callbacks(execute=True):
        assert decision_reminders_send(now=later + dt.timedelta(days=1))["mails"] == 1
    assert Notification.objects.filter(kind=kinds.DECISION_REMINDER).count() == 4
    assert not Notification.objects.filter(recipient=user_b).exists()


def test_a_notice_in_the_recipients_language(
    customer_a, engineer, manager, user_a, django_capture_on_commit_callbacks
):
    user_a.language = "de"
    user_a.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        change = to_customer_approval(
            raise_change(actor=engineer, customer=customer_a), engineer=engineer, manager=manager
        )
    row = Notification.objects.get(kind=kinds.CUSTOMER_DECISION_NEEDED, recipient=user_a)
    assert row.language == "de" and change.number in row.title
