"""Every five minutes: escalate claims not acknowledged in time (DESIGN §7: schedules are data).

A run that waited longer than five minutes in the queue is dropped: the next one does the same work.
"""

from django.db import migrations

TASK = "claims.tasks.escalate_unacknowledged"
NAME = "Escalate claims not acknowledged in time"
EVERY_FIVE_MINUTES = {"every": 5, "period": "minutes"}


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = IntervalSchedule.objects.get_or_create(**EVERY_FIVE_MINUTES)
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={"task": TASK, "interval": interval, "enabled": True, "expire_seconds": 300},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask.objects.filter(name=NAME).delete()
    # The interval goes too unless another task uses it.
    IntervalSchedule.objects.filter(**EVERY_FIVE_MINUTES, periodictask__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_claim_escalation"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
