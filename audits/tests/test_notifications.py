"""Who hears of what in an audit's and a finding's life (notify: rows plus mails after commit)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from audits import escalations, services
from audits import notification_kinds as kinds
from audits.tests import factories as f
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def told(kind: str) -> set[str]:
    rows = Notification.objects.filter(kind=kind).select_related("recipient")
    return {row.recipient.email if row.recipient_id else row.email for row in rows}


def _respond(finding, actor):
    services.finding_action_add(
        finding=finding, actor=actor, title="Fix it", owner=actor, due_date=dt.date(2026, 6, 1)
    )
    return services.finding_respond(
        finding=finding, actor=actor, containment="Sorted", correction="Reworked", root_cause="Die"
    )


def test_drafted_report_asks_everybody_who_may_approve_it(
    engineer, manager, admin_user, user_a, django_capture_on_commit_callbacks
):
    audit = f.started(actor=manager, lead_auditor=engineer)
    with django_capture_on_commit_callbacks(execute=True):
        services.audit_transition(audit=audit, actor=engineer, action="draft_report")
    assert told(kinds.REPORT_APPROVAL_NEEDED) == {manager.email, admin_user.email}
    assert sorted(to for m in mail.outbox for to in m.to) == [admin_user.email, manager.email]
    assert not Notification.objects.filter(recipient__in=[engineer, user_a]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.audit_transition(
            audit=audit, actor=manager, action="send_back", comment="Summary missing"
        )
    assert told(kinds.REPORT_SENT_BACK) == {engineer.email}
    assert Notification.objects.get(kind=kinds.REPORT_SENT_BACK).body == "Summary missing"


def test_customer_audit_response_goes_to_that_customer_and_the_decision_back(
    engineer, manager, customer_a, customer_b, user_a, user_b, django_capture_on_commit_callbacks
):
    audit = f.customer_audit(actor=manager, customer=customer_a, lead_auditor=manager)
    finding = services.finding_raise(
        audit=audit, actor=manager, classification="minor", description="Gap"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        finding = _respond(finding, engineer)
    assert told(kinds.FINDING_CONFIRMATION_NEEDED) == {user_a.email}
    assert told(kinds.FINDING_REVIEW_NEEDED) == set()
    assert [m.to for m in mail.outbox] == [[user_a.email]]
    assert finding.reference in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        finding = services.finding_send_back(finding=finding, actor=user_a, reason="Evidence?")
    assert told(kinds.FINDING_DECIDED) == {engineer.email, manager.email}
    assert sorted(to for m in mail.outbox for to in m.to) == [engineer.email, manager.email]
    finding = _respond(finding, engineer)
    services.finding_confirm_closure(finding=finding, actor=user_a, comment="Fine")
    confirmed = Notification.objects.filter(kind=kinds.FINDING_DECIDED, title__contains="confirmed")
    assert {row.recipient.email for row in confirmed} == {engineer.email, manager.email}
    assert not Notification.objects.filter(recipient=user_b).exists()


def test_own_audit_response_goes_to_the_planners_and_back(
    engineer, manager, admin_user, user_a, django_capture_on_commit_callbacks
):
    audit = f.started(actor=manager, lead_auditor=admin_user)
    finding = services.finding_raise(
        audit=audit, actor=manager, classification="minor", description="Gap"
    )
    finding = _respond(finding, engineer)
    assert told(kinds.FINDING_REVIEW_NEEDED) == {manager.email, admin_user.email}
    assert told(kinds.FINDING_CONFIRMATION_NEEDED) == set()
    services.finding_send_back(finding=finding, actor=manager, reason="Check it works")
    assert told(kinds.FINDING_DECIDED) == {engineer.email, admin_user.email}
    assert not Notification.objects.filter(recipient=user_a).exists()


@pytest.fixture
def late_finding(manager, engineer):
    audit = f.started(actor=manager)
    finding = services.finding_raise(
        audit=audit, actor=manager, classification="minor", description="Gauge not calibrated"
    )
    services.finding_action_add(
        finding=finding,
        actor=manager,
        title="Calibrate gauge 12",
        owner=engineer,
        due_date=timezone.localdate() - dt.timedelta(days=1),
    )
    return finding


def test_escalation_notifies_the_managers_once_a_day(
    late_finding, manager, engineer, admin_user, user_a, django_capture_on_commit_callbacks
):
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert escalations.escalate_overdue_findings() == {"mails": 1, "findings": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert escalations.escalate_overdue_findings() == {"mails": 0, "findings": 0}
    assert told(kinds.FINDINGS_OVERDUE) == {manager.email}
    row = Notification.objects.get(kind=kinds.FINDINGS_OVERDUE)
    assert row.record_id == late_finding.pk and late_finding.reference in row.body
    assert [m.to for m in mail.outbox] == [[manager.email]]
    tomorrow = timezone.now() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalations.escalate_overdue_findings(now=tomorrow)["mails"] == 1
    assert Notification.objects.filter(kind=kinds.FINDINGS_OVERDUE).count() == 2
    assert not Notification.objects.filter(recipient__in=[engineer, admin_user, user_a]).exists()
