"""The monthly schedule of the management reports (DESIGN §7: schedules are data).

On the first of every month at 06:00 the company report and one report per active customer are
requested for the month that just ended.
"""

from django.db import migrations

TASK = "metrics.generate_monthly_reports"
NAME = "Monthly management reports"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="6",
        day_of_week="*",
        day_of_month="1",
        month_of_year="*",
        timezone="UTC",
    )
    PeriodicTask.objects.update_or_create(
        name=NAME, defaults={"task": TASK, "crontab": crontab, "enabled": True}
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask.objects.filter(name=NAME).delete()
    # The crontab goes too unless another task uses it.
    CrontabSchedule.objects.filter(
        minute="0",
        hour="6",
        day_of_week="*",
        day_of_month="1",
        month_of_year="*",
        timezone="UTC",
    ).filter(periodictask__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0002_reports"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
