"""The daily run: campaigns opened by the schedule once, each invitation and reminder sent once,
campaigns closed after their last day. Run twice, it sends nothing twice."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications.models import Notification
from surveys import notification_kinds as kinds
from surveys import services
from surveys.models import Campaign, Invitation, SurveySchedule
from surveys.schedule import add_months, run_daily
from surveys.tasks import run_surveys

from .factories import good_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(customer_a, manager, template, user_a, colleague_a):
    return services.schedule_save(
        actor=manager, customer=customer_a, template=template, next_on=timezone.localdate()
    )


def _invitations_told() -> int:
    return Notification.objects.filter(kind=kinds.INVITATION).count()


def test_the_run_is_scheduled_daily_by_a_migration():
    task = PeriodicTask.objects.filter(task="surveys.tasks.run_surveys").first()
    if task is None:  # a flushed test database lost the migration's rows
        pytest.skip("the beat schedule of the migrations is not in this database")
    assert task.enabled and task.crontab.hour == "7"


def test_run_twice_sends_each_invitation_once(schedule, customer_a):
    first = run_surveys()
    second = run_surveys()
    assert first == {"created": 1, "opened": 1, "invited": 2, "reminded": 0, "closed": 0}
    assert second == {"created": 0, "opened": 0, "invited": 0, "reminded": 0, "closed": 0}
    campaign = Campaign.objects.get(customer=customer_a)
    assert campaign.status == Campaign.Status.OPEN and campaign.schedule == schedule
    assert campaign.closes_on == timezone.localdate() + dt.timedelta(days=27)
    assert Invitation.objects.filter(campaign=campaign, sent_at__isnull=False).count() == 2
    assert _invitations_told() == 2
    schedule.refresh_from_db()
    assert schedule.next_on == add_months(timezone.localdate(), 3)


def test_one_campaign_per_customer_and_day_even_if_the_schedule_is_set_back(
    schedule, customer_a, manager, template
):
    run_daily()
    services.schedule_save(
        actor=manager, customer=customer_a, template=template, next_on=timezone.localdate()
    )
    assert run_daily()["created"] == 0
    assert Campaign.objects.filter(customer=customer_a).count() == 1


def test_reminders_go_once_to_those_who_have_not_answered(schedule, user_a, colleague_a, questions):
    run_daily()
    campaign = Campaign.objects.get()
    services.response_submit(campaign=campaign, actor=user_a, answers=good_answers(questions))
    later = timezone.now() + dt.timedelta(days=campaign.reminder_after_days, hours=1)
    with time_machine.travel(later, tick=False):
        assert run_daily()["reminded"] == 1
        assert run_daily()["reminded"] == 0
    reminded = Notification.objects.filter(kind=kinds.REMINDER)
    assert [n.recipient for n in reminded] == [colleague_a]
    assert Invitation.objects.get(user=colleague_a).reminded_at is not None
    assert Invitation.objects.get(user=user_a).reminded_at is None


def test_a_campaign_is_closed_after_its_last_day(schedule, user_a, questions):
    run_daily()
    campaign = Campaign.objects.get()
    after = timezone.now() + dt.timedelta(days=29)
    with time_machine.travel(after, tick=False):
        counts = run_daily()
    assert counts["closed"] == 1
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert [e.action for e in campaign.events.order_by("created_at", "pk")] == [
        "create",
        "open",
        "invite",
        "close",
    ]


def test_a_planned_campaign_opens_on_its_day(customer_a, manager, template, user_a):
    today = timezone.localdate()
    planned = services.campaign_create(
        actor=manager,
        customer=customer_a,
        template=template,
        opens_on=today + dt.timedelta(days=2),
        closes_on=today + dt.timedelta(days=20),
    )
    assert run_daily()["opened"] == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=2), tick=False):
        assert run_daily()["opened"] == 1
    planned.refresh_from_db()
    assert planned.status == Campaign.Status.OPEN
    assert _invitations_told() == 1


def test_a_missed_window_asks_from_today(schedule):
    SurveySchedule.objects.filter(pk=schedule.pk).update(
        next_on=timezone.localdate() - dt.timedelta(days=100)
    )
    run_daily()
    campaign = Campaign.objects.get()
    assert campaign.opens_on == timezone.localdate()
    schedule.refresh_from_db()
    assert schedule.next_on > timezone.localdate()


def test_an_inactive_schedule_opens_nothing(schedule):
    SurveySchedule.objects.filter(pk=schedule.pk).update(is_active=False)
    assert run_daily()["created"] == 0


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 11, 15), 3, dt.date(2027, 2, 15)),
        (dt.date(2028, 11, 30), 3, dt.date(2029, 2, 28)),
        (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),
        (dt.date(2026, 3, 1), 12, dt.date(2027, 3, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected
