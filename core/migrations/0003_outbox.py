"""Waiting background tasks (the outbox) and the schedule of their relay.

Every minute the relay sends what was stored while the broker was unreachable (DESIGN §7:
schedules are data). A relay run that waited longer than a minute in the queue is dropped: the
next one does the same work.
"""

import django.utils.timezone
from django.db import migrations, models

TASK = "core.relay_outbox"
NAME = "Relay waiting background tasks"
EVERY_MINUTE = {"every": 1, "period": "minutes"}


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = IntervalSchedule.objects.get_or_create(**EVERY_MINUTE)
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={"task": TASK, "interval": interval, "enabled": True, "expire_seconds": 60},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask.objects.filter(name=NAME).delete()
    # The interval goes too unless another task uses it.
    IntervalSchedule.objects.filter(**EVERY_MINUTE, periodictask__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_action_internal_only"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="OutboxMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("task", models.CharField(max_length=200, verbose_name="task")),
                ("args", models.JSONField(blank=True, default=list, verbose_name="arguments")),
                (
                    "kwargs",
                    models.JSONField(blank=True, default=dict, verbose_name="keyword arguments"),
                ),
                ("error", models.TextField(blank=True, verbose_name="last error")),
                ("attempts", models.PositiveIntegerField(default=0, verbose_name="attempts")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
                ),
                (
                    "last_attempt_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last attempt"),
                ),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent")),
            ],
            options={
                "verbose_name": "waiting background task",
                "verbose_name_plural": "waiting background tasks",
                "ordering": ["created_at", "pk"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("sent_at__isnull", True)),
                        fields=["created_at"],
                        name="core_outbox_unsent",
                    )
                ],
            },
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
