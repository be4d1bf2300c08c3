"""Who hears of what in a PPAP submission's life (notify: in-app rows plus mails after commit)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Notification
from ppap import notification_kinds as kinds
from ppap import services, tasks
from ppap.tests import factories as f

pytestmark = pytest.mark.django_db

REPORTS = "qm-reports@autowerk.example"


def told(kind: str) -> set[str]:
    rows = Notification.objects.filter(kind=kind).select_related("recipient")
    return {row.recipient.email if row.recipient_id else row.email for row in rows}


@pytest.fixture
def reports_a(customer_a):
    requirements = customer_a.requirements
    requirements.report_recipients = REPORTS
    requirements.save()
    return REPORTS


def test_complete_warrant_asks_everybody_who_may_sign_it_once(
    engineer, manager, admin_user, customer_a, user_a, django_capture_on_commit_callbacks
):
    submission = f.draft(engineer, customer=customer_a)
    with django_capture_on_commit_callbacks(execute=True):
        f.complete_warrant(submission, engineer)
    assert told(kinds.PSW_SIGNATURE_NEEDED) == {manager.email, admin_user.email}
    assert sorted(to for m in mail.outbox for to in m.to) == [admin_user.email, manager.email]
    # Editing a complete, unsigned warrant asks nobody again.
    f.complete_warrant(submission, engineer, production_rate=500)
    assert Notification.objects.filter(kind=kinds.PSW_SIGNATURE_NEEDED).count() == 2
    # A signed warrant that is edited loses its signature: the signers are asked again.
    services.warrant_sign(warrant=submission.warrant, actor=manager, password=f.PASSWORD)
    f.complete_warrant(submission, engineer, production_rate=450)
    assert Notification.objects.filter(kind=kinds.PSW_SIGNATURE_NEEDED).count() == 4
    assert not Notification.objects.filter(recipient=user_a).exists()


def test_incomplete_warrant_asks_nobody(engineer, manager, customer_a):
    submission = f.draft(engineer, customer=customer_a)
    f.complete_warrant(submission, engineer, weight_kg=None)
    assert told(kinds.PSW_SIGNATURE_NEEDED) == set()


def test_sending_asks_only_that_customer(
    engineer, manager, customer_a, customer_b, user_a, user_b, reports_a,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    submission = f.sendable(engineer, manager, customer=customer_a, internal_note="Margin thin")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_send(submission=submission, actor=engineer)
    assert told(kinds.DECISION_NEEDED) == {user_a.email, REPORTS}
    assert sorted(to for m in mail.outbox for to in m.to) == sorted([user_a.email, REPORTS])
    for message in mail.outbox:
        assert submission.number in message.subject and "Margin thin" not in message.body
    assert not Notification.objects.filter(recipient=user_b).exists()


@pytest.mark.parametrize("disposition", ["approve", "interim", "reject"])
def test_disposition_goes_to_our_engineer(
    disposition, engineer, manager, customer_a, user_a, user_b, django_capture_on_commit_callbacks
):
    submission = f.sent(engineer, manager, customer=customer_a)
    terms = {
        "interim": {
            "expires_on": timezone.localdate() + dt.timedelta(days=30),
            "nonconformities": "Burr",
            "action_plan": "New punch",
        },
        "reject": {"comment": "Capability too low"},
    }.get(disposition, {})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_dispose(
            submission=submission,
            actor=user_a,
            disposition=disposition,
            password=f.PASSWORD,
            **terms,
        )
    assert told(kinds.DECIDED) == {engineer.email}
    assert [m.to for m in mail.outbox] == [[engineer.email]]
    assert submission.number in mail.outbox[0].subject
    assert (
        not Notification.objects.filter(recipient__in=[user_a, user_b])
        .exclude(kind=kinds.DECISION_NEEDED)
        .exists()
    )


def test_interim_reminder_once_to_both_sides_and_expiry_to_us(
    engineer, manager, customer_a, user_a, user_b, reports_a, django_capture_on_commit_callbacks
):
    soon = timezone.localdate() + dt.timedelta(days=10)
    submission = f.interim(engineer, manager, user_a, customer=customer_a, expires_on=soon)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.interim_approvals_daily() == {"expired": 0, "reminded": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.interim_approvals_daily() == {"expired": 0, "reminded": 0}
    assert told(kinds.INTERIM_EXPIRING) == {engineer.email, user_a.email, REPORTS}
    assert sorted(to for m in mail.outbox for to in m.to) == sorted(
        [engineer.email, user_a.email, REPORTS]
    )
    assert not Notification.objects.filter(recipient=user_b).exists()
    # After the expiry date the interim approval lapses: our engineer hears of it, once.
    Notification.objects.all().delete()
    later = soon + dt.timedelta(days=1)
    assert services.interim_approvals_expire(today=later) == 1
    assert services.interim_approvals_expire(today=later) == 0
    assert told(kinds.DECIDED) == {engineer.email}
    assert "expired" in Notification.objects.get(kind=kinds.DECIDED).title.lower()
    submission.refresh_from_db()
    assert submission.status == "interim_expired"
