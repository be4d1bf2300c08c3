import datetime as dt
import os

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from claims import notification_kinds as kinds
from claims import reminders, services
from claims.models import Claim, EightDStep, ReminderLog
from claims.tasks import send_deadline_reminders
from notifications.kinds import Delivery
from notifications.models import Notification

from .factories import file_claim, fill_step

HOUR = dt.timedelta(hours=1)


def _acknowledged_claim(user, engineer, *, assign=True, **fields):
    claim = file_claim(actor=user, **fields)
    if assign:
        services.claim_assign(claim=claim, engineer=engineer, actor=engineer)
    services.claim_acknowledge(claim=claim, actor=engineer)
    # Everything far away unless a test moves a deadline.
    claim.steps.update(due_at=timezone.now() + dt.timedelta(days=20))
    return claim


def _due(claim, code, delta, **fields):
    EightDStep.objects.filter(claim=claim, code=code).update(
        due_at=timezone.now() + delta, **fields
    )


def _run(capture):
    with capture(execute=True):
        return reminders.deadline_reminders_send()


def _mail_to(user):
    found = [message for message in mail.outbox if message.to == [user.email]]
    assert len(found) == 1, [m.to for m in mail.outbox]
    return found[0]


def _told(kind):
    """{recipient e-mail: [titles]} of the notifications of one kind."""
    told = {}
    for row in Notification.objects.filter(kind=kind).select_related("recipient"):
        told.setdefault(row.address, []).append(row.title)
    return told


DUE_SOON, OVERDUE = kinds.STEP_DUE_SOON, kinds.STEP_OVERDUE


@pytest.fixture
def claim_a(user_a, engineer):
    return _acknowledged_claim(user_a, engineer)


@pytest.mark.django_db
class TestReminders:
    def test_due_soon_goes_to_the_engineer_overdue_also_to_the_managers(
        self, claim_a, engineer, manager, admin_user, django_capture_on_commit_callbacks
    ):
        _due(claim_a, "D3", 2 * HOUR)
        _due(claim_a, "D4", -3 * HOUR)

        summary = _run(django_capture_on_commit_callbacks)

        assert summary == {"notifications": 3, "due_soon_steps": 1, "overdue_steps": 1}
        due_soon, overdue = _told(DUE_SOON), _told(OVERDUE)
        assert list(due_soon) == [engineer.email]
        assert "D3 Interim containment" in due_soon[engineer.email][0]
        assert claim_a.number in due_soon[engineer.email][0]
        assert set(overdue) == {engineer.email, manager.email}
        assert "D4 Root cause" in overdue[manager.email][0]
        assert admin_user.email not in due_soon | overdue
        # Due soon waits for the daily digest; overdue is mailed at once, one mail per person.
        assert Notification.objects.get(kind=DUE_SOON).delivery == Delivery.DIGEST
        assert sorted(m.to[0] for m in mail.outbox) == sorted([engineer.email, manager.email])
        assert "overdue" in _mail_to(manager).subject

    def test_one_notification_per_person_and_step(
        self, claim_a, user_a, engineer, manager, django_capture_on_commit_callbacks
    ):
        other = _acknowledged_claim(user_a, engineer)
        _due(claim_a, "D4", -HOUR)
        _due(other, "D4", -2 * HOUR)

        _run(django_capture_on_commit_callbacks)

        titles = _told(OVERDUE)[manager.email]
        assert len(titles) == 2
        assert any(claim_a.number in t for t in titles) and any(other.number in t for t in titles)
        assert len([m for m in mail.outbox if m.to == [manager.email]]) == 2

    def test_unassigned_due_soon_goes_to_the_active_managers(
        self, user_a, engineer, manager, django_capture_on_commit_callbacks
    ):
        retired = UserFactory(role=Role.MANAGER, is_active=False)
        claim = _acknowledged_claim(user_a, engineer, assign=False)
        _due(claim, "D3", 5 * HOUR)

        _run(django_capture_on_commit_callbacks)

        told = _told(DUE_SOON)
        assert list(told) == [manager.email]
        assert "D3 Interim containment" in told[manager.email][0]
        assert retired.email not in told

    def test_unassigned_due_soon_goes_to_the_responsible_engineer(
        self, user_a, engineer, manager, django_capture_on_commit_callbacks
    ):
        user_a.customer.responsible_engineers.set([engineer])
        claim = _acknowledged_claim(user_a, engineer, assign=False)
        _due(claim, "D3", 5 * HOUR)

        _run(django_capture_on_commit_callbacks)

        assert list(_told(DUE_SOON)) == [engineer.email]

    def test_answered_steps_later_steps_and_closed_claims_send_nothing(
        self, claim_a, user_a, engineer, manager, django_capture_on_commit_callbacks
    ):
        _due(claim_a, "D3", -HOUR, status=EightDStep.Status.APPROVED)
        _due(claim_a, "D4", -HOUR, status=EightDStep.Status.SUBMITTED)
        _due(claim_a, "D5", 3 * dt.timedelta(days=1))
        closed = _acknowledged_claim(user_a, engineer)
        Claim.objects.filter(pk=closed.pk).update(status=Claim.Status.CLOSED)
        _due(closed, "D3", -HOUR)
        draft = file_claim(actor=user_a, submit=False)
        assert not draft.steps.exists()

        summary = _run(django_capture_on_commit_callbacks)

        assert mail.outbox == []
        assert summary["notifications"] == 0
        assert not Notification.objects.filter(kind__in=[DUE_SOON, OVERDUE]).exists()
        assert not ReminderLog.objects.exists()

    def test_the_second_run_the_same_day_sends_nothing_new(
        self, claim_a, engineer, manager, django_capture_on_commit_callbacks
    ):
        _due(claim_a, "D3", 2 * HOUR)
        _due(claim_a, "D4", -HOUR)
        _run(django_capture_on_commit_callbacks)
        assert len(mail.outbox) == 2

        summary = _run(django_capture_on_commit_callbacks)

        assert len(mail.outbox) == 2
        assert summary == {"notifications": 0, "due_soon_steps": 0, "overdue_steps": 0}
        assert ReminderLog.objects.count() == 2
        assert Notification.objects.filter(kind__in=[DUE_SOON, OVERDUE]).count() == 3

    def test_yesterdays_reminder_does_not_stop_todays_escalation(
        self, claim_a, engineer, manager, django_capture_on_commit_callbacks
    ):
        step = EightDStep.objects.get(claim=claim_a, code="D3")
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        ReminderLog.objects.create(step=step, kind=ReminderLog.Kind.OVERDUE, sent_on=yesterday)
        _due(claim_a, "D3", -HOUR)

        _run(django_capture_on_commit_callbacks)

        assert len(mail.outbox) == 2

    def test_no_mail_before_commit(self, claim_a, engineer, django_capture_on_commit_callbacks):
        _due(claim_a, "D3", -HOUR)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            reminders.deadline_reminders_send()
        assert mail.outbox == []
        assert callbacks

    def test_overdue_is_written_in_the_recipients_language(
        self, claim_a, engineer, django_capture_on_commit_callbacks
    ):
        engineer.language = "de"
        engineer.save(update_fields=["language"])
        _due(claim_a, "D3", -2 * HOUR)

        _run(django_capture_on_commit_callbacks)

        assert "D3 Sofortmaßnahmen" in _mail_to(engineer).subject


@pytest.mark.django_db
class TestLinks:
    """Mails are read outside the portal: they link to the page where the reader acts."""

    BASE = "https://quality.example.com"

    def test_reminders_link_the_step(
        self, settings, claim_a, engineer, manager, django_capture_on_commit_callbacks
    ):
        settings.PORTAL_BASE_URL = self.BASE
        _due(claim_a, "D4", -HOUR)

        _run(django_capture_on_commit_callbacks)

        assert _step_link(claim_a, "D4") in _mail_to(engineer).body
        assert _step_link(claim_a, "D4") in _mail_to(manager).body

    def test_step_submitted_mail_links_the_step(
        self, settings, claim_a, user_a, engineer, django_capture_on_commit_callbacks
    ):
        settings.PORTAL_BASE_URL = self.BASE + "/"  # a trailing slash makes no double slash
        step = EightDStep.objects.get(claim=claim_a, code="D0")
        fill_step(claim_a, "D0", engineer)
        services.step_save(step=step, actor=engineer, summary="Sorted at the line")
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            services.step_submit(step=step, actor=engineer)

        body = _mail_to(user_a).body
        assert "Sorted at the line" in body
        assert _step_link(claim_a, "D0") in body
        assert "//claims" not in body

    def test_customer_comment_mail_links_the_comments(
        self, settings, claim_a, user_a, engineer, django_capture_on_commit_callbacks
    ):
        settings.PORTAL_BASE_URL = self.BASE
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            services.comment_add(claim=claim_a, actor=user_a, body="Any news?")

        body = _mail_to(engineer).body
        assert "Any news?" in body
        assert f"{self.BASE}/claims/{claim_a.pk}/#comments" in body

    def test_the_base_url_comes_from_the_environment_with_a_local_default(self):
        expected = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        assert expected == django_settings.PORTAL_BASE_URL


def _step_link(claim, code):
    """The discipline's page once it exists, else the step's row on the claim page."""
    try:
        path = reverse("claims:eightd-step", kwargs={"pk": claim.pk, "code": code})
    except NoReverseMatch:
        path = f"/claims/{claim.pk}/#step-{code}"
    return f"{TestLinks.BASE}{path}"


@pytest.mark.django_db
class TestTask:
    def test_task_runs_the_reminders(self, claim_a, engineer, django_capture_on_commit_callbacks):
        _due(claim_a, "D3", -2 * HOUR)

        with django_capture_on_commit_callbacks(execute=True):
            result = send_deadline_reminders.delay()

        assert result.get()["notifications"] == 1
        assert _mail_to(engineer)

    def test_the_daily_beat_schedule_points_at_the_task(self):
        task = PeriodicTask.objects.get(task=send_deadline_reminders.name)
        assert task.enabled
        assert (task.crontab.hour, task.crontab.minute) == ("6", "0")
