"""Daily schedules of the changes module (DESIGN §7: schedules are data).

Customer decision reminders for change notices, the automatic expiry of deviations past their date,
and the warnings about deviations near their expiry or quantity cap.
"""

from django.db import migrations

SCHEDULES = [
    # (name, task, hour, minute)
    ("changes: customer decision reminders", "changes.tasks.send_decision_reminders", "6", "30"),
    ("Expire deviations past their expiry date", "changes.deviations.expire", "1", "0"),
    ("Deviation expiry and cap warnings", "changes.deviations.send_warnings", "6", "0"),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, hour, minute in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="UTC",
        )
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "enabled": True}
        )


def remove_schedules(apps, schema_editor):
    names = [name for name, *_ in SCHEDULES]
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("changes", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
