"""Overdue findings escalate to the quality managers by e-mail, once a day (locmem backend)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from audits import escalations, services
from audits.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_action_finding(manager, engineer):
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


def test_overdue_corrective_action_escalates_to_managers_once_a_day(
    late_action_finding, manager, engineer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        summary = escalations.escalate_overdue_findings()
    assert summary == {"mails": 1, "findings": 1}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email]  # managers, not the engineer
    assert late_action_finding.reference in message.body
    assert f"/audits/findings/{late_action_finding.pk}/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        again = escalations.escalate_overdue_findings()
    assert again["mails"] == 0 and len(mail.outbox) == 1
    tomorrow = timezone.now() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        escalations.escalate_overdue_findings(now=tomorrow)
    assert len(mail.outbox) == 2


def test_late_implementation_escalates_and_nothing_when_on_time(
    manager, django_capture_on_commit_callbacks
):
    audit = f.started(actor=manager)
    services.finding_raise(audit=audit, actor=manager, classification="major", description="Gap")
    services.finding_raise(audit=audit, actor=manager, classification="ofi", description="Idea")
    with django_capture_on_commit_callbacks(execute=True):
        escalations.escalate_overdue_findings()
    assert mail.outbox == []  # nothing due yet; improvement ideas never escalate
    later = timezone.now() + dt.timedelta(days=91)
    with django_capture_on_commit_callbacks(execute=True):
        summary = escalations.escalate_overdue_findings(now=later)
    assert summary["findings"] == 1 and len(mail.outbox) == 1


def test_closed_findings_do_not_escalate(
    late_action_finding, manager, django_capture_on_commit_callbacks
):
    services.finding_cancel(finding=late_action_finding, actor=manager, reason="Duplicate")
    with django_capture_on_commit_callbacks(execute=True):
        escalations.escalate_overdue_findings()
    assert mail.outbox == []


def test_task_calls_the_escalation(late_action_finding, django_capture_on_commit_callbacks):
    from audits.tasks import escalate_overdue_findings

    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_findings()["findings"] == 1
    assert len(mail.outbox) == 1
