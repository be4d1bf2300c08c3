"""The daily survey run (beat, ``surveys.tasks.run_surveys``): safe to run any number of times.

1. Each active schedule whose day has come opens its customer's campaign: one campaign per
   customer and opening day at most (a unique constraint; the schedule row is locked while its
   campaign is made), and the schedule moves on by its interval.
2. Planned campaigns whose opening day has come are opened; opening invites the customer's users.
3. Every open campaign invites users not asked yet (new colleagues) and sends each invitation
   once: ``sent_at`` marks it, under a row lock, so a second run the same day sends nothing.
4. Those who have not answered are reminded once, ``reminder_after_days`` after their invitation.
5. Campaigns past their closing day are closed.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import services
from .models import Campaign, SurveySchedule


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def run_daily(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"created": 0, "opened": 0, "invited": 0, "reminded": 0, "closed": 0}
    for schedule_id in _due_schedules(today):
        counts["created"] += _campaign_of_schedule(schedule_id, today)
    for campaign in Campaign.objects.filter(
        status=Campaign.Status.PLANNED, opens_on__lte=today, closes_on__gte=today
    ).order_by("pk"):
        services.campaign_open(campaign=campaign, actor=None)
        counts["opened"] += 1
        counts["invited"] += campaign.invitations.filter(sent_at__isnull=False).count()
    open_campaigns = Campaign.objects.filter(status=Campaign.Status.OPEN).order_by("pk")
    for campaign in open_campaigns.filter(closes_on__gte=today):
        counts["invited"] += services.campaign_invite(campaign=campaign, actor=None)
        counts["reminded"] += services.campaign_remind(campaign=campaign, actor=None, now=now)
    for campaign in open_campaigns.filter(closes_on__lt=today):
        services.campaign_close(campaign=campaign, actor=None)
        counts["closed"] += 1
    return counts


def _due_schedules(today: dt.date) -> list[int]:
    due = SurveySchedule.objects.filter(
        is_active=True, next_on__lte=today, template__is_active=True
    )
    return list(due.order_by("next_on", "pk").values_list("pk", flat=True))


@transaction.atomic
def _campaign_of_schedule(schedule_id: int, today: dt.date) -> int:
    """Make the schedule's campaign of its due day (unless made already); 1 if made now."""
    schedule = (
        SurveySchedule.objects.select_for_update(of=("self",))
        .select_related("customer", "template")
        .get(pk=schedule_id)
    )
    if not schedule.is_active or schedule.next_on > today:
        return 0  # a run at the same moment moved it on
    opens_on = schedule.next_on
    window = dt.timedelta(days=schedule.open_days - 1)
    if opens_on + window < today:  # the run missed the whole window: ask from today
        opens_on = today
    made = 0
    if not Campaign.objects.filter(customer=schedule.customer, opens_on=opens_on).exists():
        services.campaign_create(
            actor=None,
            customer=schedule.customer,
            template=schedule.template,
            opens_on=opens_on,
            closes_on=opens_on + window,
            schedule=schedule,
        )
        made = 1
    next_on = schedule.next_on
    while next_on <= today:
        next_on = add_months(next_on, schedule.every_months)
    schedule.next_on = next_on
    schedule.save(update_fields=["next_on", "updated_at"])
    return made
