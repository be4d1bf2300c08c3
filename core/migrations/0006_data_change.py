"""The clock of ``core.data_version`` and the schedule that keeps it short.

The triggers that write it are installed after every ``migrate`` (``core.apps``), so that the
tables of later migrations are tracked without a migration of their own. Every ten minutes the
rows are folded into one with the same totals.
"""

from django.db import migrations, models

TASK = "core.compact_data_changes"
NAME = "Fold the data change log"
EVERY_TEN_MINUTES = {"every": 10, "period": "minutes"}


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = IntervalSchedule.objects.get_or_create(**EVERY_TEN_MINUTES)
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={"task": TASK, "interval": interval, "enabled": True, "expire_seconds": 600},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask.objects.filter(name=NAME).delete()
    IntervalSchedule.objects.filter(**EVERY_TEN_MINUTES, periodictask__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_action_status_due_index"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("changes", models.BigIntegerField(default=1)),
                ("token", models.DecimalField(decimal_places=0, max_digits=38)),
            ],
            options={"default_permissions": ()},
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
