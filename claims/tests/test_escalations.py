"""Claims not acknowledged within the customer's reaction time: escalated once per level."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django_celery_beat.models import PeriodicTask

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from claims import escalations, services
from claims import notification_kinds as kinds
from claims.models import Claim, ClaimEscalation
from claims.tasks import escalate_unacknowledged
from customers.models import Holiday
from notifications.models import Notification

from .factories import file_claim

BERLIN = ZoneInfo("Europe/Berlin")
# Tuesday 3 March 2026, 09:00 in Berlin: reaction time 4 working hours → due 13:00.
NOTIFIED = dt.datetime(2026, 3, 3, 9, tzinfo=BERLIN)


def at(hour, minute=0, day=3):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=BERLIN)


def _claim(user, **fields):
    claim = file_claim(actor=user, **fields)
    Claim.objects.filter(pk=claim.pk).update(notified_at=NOTIFIED)
    claim.refresh_from_db()
    return claim


def _escalated():
    """{recipient e-mail: [titles]} of the escalations told."""
    told = {}
    for row in Notification.objects.filter(kind=kinds.NOT_ACKNOWLEDGED):
        told.setdefault(row.address, []).append(row.title)
    return told


@pytest.fixture
def claim(user_a, customer_a):
    assert customer_a.time_zone == "Europe/Berlin"
    return _claim(user_a)


@pytest.mark.django_db
class TestEscalation:
    def test_nothing_before_the_reaction_time_runs_out(self, claim, manager):
        assert escalations.escalations_send(now=at(12, 59)) == {"level_1": 0, "level_2": 0}
        assert not ClaimEscalation.objects.exists()
        assert _escalated() == {}

    def test_level_one_tells_the_managers_once(
        self, claim, manager, engineer, user_a, user_b, django_capture_on_commit_callbacks
    ):
        manager_2 = UserFactory(email="manager2@example.com", role=Role.MANAGER)
        services.claim_assign(claim=claim, engineer=engineer, actor=manager)

        with django_capture_on_commit_callbacks(execute=True):
            first = escalations.escalations_send(now=at(13))
            second = escalations.escalations_send(now=at(13))  # the same minute
            third = escalations.escalations_send(now=at(13, 5))

        assert first == {"level_1": 1, "level_2": 0}
        assert second == third == {"level_1": 0, "level_2": 0}
        escalation = ClaimEscalation.objects.get()
        assert (escalation.claim, escalation.level) == (claim, 1)
        assert escalation.due_at == at(13)
        told = _escalated()
        assert set(told) == {manager.email, manager_2.email, engineer.email}
        assert all(len(titles) == 1 for titles in told.values())
        assert "within 4 working hours" in told[manager.email][0]
        assert sorted(m.to[0] for m in mail.outbox) == sorted(told)
        assert user_a.email not in told and user_b.email not in told

    def test_level_two_after_twice_the_time_once(self, claim, manager):
        escalations.escalations_send(now=at(13))
        escalations.escalations_send(now=at(16, 59))
        assert list(ClaimEscalation.objects.values_list("level", flat=True)) == [1]

        assert escalations.escalations_send(now=at(17)) == {"level_1": 0, "level_2": 1}
        assert escalations.escalations_send(now=at(17)) == {"level_1": 0, "level_2": 0}
        assert escalations.escalations_send(now=at(10, day=5)) == {"level_1": 0, "level_2": 0}

        assert list(ClaimEscalation.objects.values_list("level", flat=True)) == [1, 2]
        titles = _escalated()[manager.email]
        assert len(titles) == 2
        assert sum(title.startswith("Second escalation") for title in titles) == 1
        assert Notification.objects.filter(kind=kinds.NOT_ACKNOWLEDGED, urgent=True).count() == 1

    def test_both_levels_due_at_once_are_recorded_and_told_once(self, claim, manager):
        assert escalations.escalations_send(now=at(9, day=5)) == {"level_1": 0, "level_2": 1}

        assert ClaimEscalation.objects.count() == 2
        assert len(_escalated()[manager.email]) == 1

    def test_working_hours_skip_the_night_weekend_and_holidays(self, user_a, customer_a, manager):
        claim = _claim(user_a)
        # Friday 6 March 16:00; Monday 9 March is a holiday: 4 h are due Tuesday 11:00.
        Claim.objects.filter(pk=claim.pk).update(notified_at=at(16, day=6))
        Holiday.objects.create(customer=customer_a, date=dt.date(2026, 3, 9), name="Local")

        assert escalations.escalations_send(now=at(10, 59, day=10))["level_1"] == 0
        assert escalations.escalations_send(now=at(11, day=10))["level_1"] == 1

    def test_safety_claims_use_the_safety_reaction_time(self, user_a, customer_a, manager):
        requirements = customer_a.requirements
        requirements.reaction_hours_safety = 2
        requirements.save()
        safety = _claim(user_a, severity="safety")
        _claim(user_a, severity="major")

        assert escalations.escalations_send(now=at(10, 59))["level_1"] == 0
        assert escalations.escalations_send(now=at(11)) == {"level_1": 1, "level_2": 0}
        assert ClaimEscalation.objects.get().claim == safety
        row = Notification.objects.get(kind=kinds.NOT_ACKNOWLEDGED, recipient=manager)
        assert row.urgent and "within 2 working hours" in row.title

    def test_acknowledged_drafts_and_cancelled_claims_are_not_escalated(
        self, claim, user_a, engineer, manager
    ):
        services.claim_acknowledge(claim=claim, actor=engineer)
        draft = file_claim(actor=user_a, submit=False)
        cancelled = _claim(user_a)
        services.claim_cancel(claim=cancelled, actor=user_a, reason="Filed twice")
        Claim.objects.filter(pk=draft.pk).update(notified_at=NOTIFIED)

        assert escalations.escalations_send(now=at(12, day=10)) == {"level_1": 0, "level_2": 0}
        assert not ClaimEscalation.objects.exists()

    def test_one_escalation_row_per_claim_and_level(self, claim):
        ClaimEscalation.objects.create(claim=claim, customer=claim.customer, level=1, due_at=at(13))
        with pytest.raises(IntegrityError), transaction.atomic():
            ClaimEscalation.objects.create(
                claim=claim, customer=claim.customer, level=1, due_at=at(13)
            )

    def test_an_escalation_recorded_elsewhere_is_not_told_again(self, claim, manager):
        ClaimEscalation.objects.create(claim=claim, customer=claim.customer, level=1, due_at=at(13))

        assert escalations.escalations_send(now=at(13))["level_1"] == 0
        assert _escalated() == {}

    def test_the_task_runs_the_service_and_beat_runs_it_every_five_minutes(
        self, claim, manager, django_capture_on_commit_callbacks
    ):
        Claim.objects.filter(pk=claim.pk).update(notified_at=NOTIFIED - dt.timedelta(days=30))

        with django_capture_on_commit_callbacks(execute=True):
            result = escalate_unacknowledged.delay()

        assert result.get() == {"level_1": 0, "level_2": 1}
        assert manager.email in {m.to[0] for m in mail.outbox}
        task = PeriodicTask.objects.get(task=escalate_unacknowledged.name)
        assert task.enabled
        assert (task.interval.every, task.interval.period) == (5, "minutes")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_escalate_once(user_a, customer_a, manager):
    """Two workers on two database connections at the same moment: one escalation, one message."""
    claim = _claim(user_a)
    mail.outbox.clear()  # the mail about the new claim, sent on commit
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(escalations.escalations_send(now=at(13)))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(result["level_1"] for result in results) == [0, 1]
    assert ClaimEscalation.objects.filter(claim=claim).count() == 1
    assert Notification.objects.filter(kind=kinds.NOT_ACKNOWLEDGED, recipient=manager).count() == 1
    assert [m.to for m in mail.outbox] == [[manager.email]]
