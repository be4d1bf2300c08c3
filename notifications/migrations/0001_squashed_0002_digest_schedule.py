"""notifications: migrations 0001 to 0002 in one, for new databases.

Each model is created as those migrations leave it, with its indexes and constraints. Their data
steps run last, from the replaced files, which stay for databases that applied only some of them
(those go on with the rest).
"""

from importlib import import_module

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The data steps of the replaced migrations.
digest_schedule = import_module("notifications.migrations.0002_digest_schedule")


class Migration(migrations.Migration):
    replaces = [("notifications", "0001_initial"), ("notifications", "0002_digest_schedule")]

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("customers", "0003_requirements_for_changes_and_ppap"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                ("language", models.CharField(default="en", max_length=8, verbose_name="language")),
                ("kind", models.CharField(max_length=60, verbose_name="kind")),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("body", models.TextField(blank=True, max_length=4000, verbose_name="message")),
                ("url", models.CharField(blank=True, max_length=500, verbose_name="link")),
                ("record_id", models.PositiveBigIntegerField(blank=True, null=True)),
                (
                    "delivery",
                    models.CharField(
                        choices=[
                            ("immediate", "At once by e-mail"),
                            ("digest", "In a daily e-mail digest"),
                            ("portal", "In the portal only"),
                        ],
                        default="immediate",
                        max_length=12,
                        verbose_name="delivery",
                    ),
                ),
                ("urgent", models.BooleanField(default=False, verbose_name="urgent")),
                (
                    "created_at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="created"
                    ),
                ),
                ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="read")),
                (
                    "emailed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="e-mailed"),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="customers.customer",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recipient",
                    ),
                ),
                (
                    "record_type",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            options={
                "verbose_name": "notification",
                "verbose_name_plural": "notifications",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["recipient", "-created_at"], name="notif_recipient_newest"
                    ),
                    models.Index(
                        condition=models.Q(("read_at__isnull", True)),
                        fields=["recipient"],
                        name="notif_recipient_unread",
                    ),
                    models.Index(
                        condition=models.Q(("delivery", "digest"), ("emailed_at__isnull", True)),
                        fields=["recipient"],
                        name="notif_digest_due",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="NotificationPreference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=60, verbose_name="kind")),
                (
                    "delivery",
                    models.CharField(
                        choices=[
                            ("immediate", "At once by e-mail"),
                            ("digest", "In a daily e-mail digest"),
                            ("portal", "In the portal only"),
                        ],
                        max_length=12,
                        verbose_name="delivery",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_preferences",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "notification preference",
                "verbose_name_plural": "notification preferences",
                "constraints": [
                    models.UniqueConstraint(fields=("user", "kind"), name="notif_preference_unique")
                ],
            },
        ),
        migrations.RunPython(
            code=digest_schedule.create_schedule,
            reverse_code=digest_schedule.remove_schedule,
        ),
    ]
