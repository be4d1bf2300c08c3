"""core: migrations 0001 to 0008 in one, for new databases.

Each model is created as those migrations leave it, with its indexes and constraints. Their data
steps run last, from the replaced files, which stay for databases that applied only some of them
(those go on with the rest).
"""

from importlib import import_module

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import core.models

# The data steps of the replaced migrations.
data_change = import_module("core.migrations.0006_data_change")
outbox = import_module("core.migrations.0003_outbox")


class Migration(migrations.Migration):
    replaces = [
        ("core", "0001_initial"),
        ("core", "0002_action_internal_only"),
        ("core", "0003_outbox"),
        ("core", "0004_signature"),
        ("core", "0005_action_status_due_index"),
        ("core", "0006_data_change"),
        ("core", "0007_heartbeat_and_outbox_always"),
        ("core", "0008_text_length_limits"),
    ]

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalAttachment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                ("file", models.TextField(max_length=255)),
                ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                ("mime_type", models.CharField(max_length=100, verbose_name="type")),
                ("extension", models.CharField(max_length=12)),
                ("size", models.PositiveBigIntegerField(verbose_name="size in bytes")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                (
                    "description",
                    models.CharField(blank=True, max_length=255, verbose_name="description"),
                ),
                (
                    "internal_only",
                    models.BooleanField(
                        default=False,
                        help_text="Hidden from customer users.",
                        verbose_name="internal only",
                    ),
                ),
                (
                    "uploaded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="uploaded"
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical attachment",
                "verbose_name_plural": "historical attachments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Sequence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("prefix", models.CharField(max_length=12)),
                ("year", models.PositiveIntegerField()),
                ("last_value", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("prefix", "year"), name="core_sequence_unique_prefix_year"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Attachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                ("file", models.FileField(max_length=255, upload_to=core.models.attachment_path)),
                ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                ("mime_type", models.CharField(max_length=100, verbose_name="type")),
                ("extension", models.CharField(max_length=12)),
                ("size", models.PositiveBigIntegerField(verbose_name="size in bytes")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                (
                    "description",
                    models.CharField(blank=True, max_length=255, verbose_name="description"),
                ),
                (
                    "internal_only",
                    models.BooleanField(
                        default=False,
                        help_text="Hidden from customer users.",
                        verbose_name="internal only",
                    ),
                ),
                (
                    "uploaded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="uploaded"
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="contenttypes.contenttype"
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "attachment",
                "verbose_name_plural": "attachments",
                "ordering": ["uploaded_at", "pk"],
                "indexes": [
                    models.Index(
                        fields=["content_type", "object_id"], name="core_attach_content_d3cac2_idx"
                    )
                ],
            },
        ),
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
            options={
                "default_permissions": (),
            },
        ),
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
                "verbose_name": "background task",
                "verbose_name_plural": "background tasks",
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
        migrations.CreateModel(
            name="Heartbeat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "component",
                    models.CharField(
                        choices=[("worker", "Background worker"), ("beat", "Scheduler (beat)")],
                        max_length=10,
                        verbose_name="component",
                    ),
                ),
                ("instance", models.CharField(max_length=200, verbose_name="process")),
                (
                    "started_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="started"),
                ),
                (
                    "last_seen_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="last seen"
                    ),
                ),
            ],
            options={
                "verbose_name": "heartbeat",
                "verbose_name_plural": "heartbeats",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("component", "instance"), name="core_heartbeat_unique_process"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Action",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "description",
                    models.TextField(blank=True, max_length=10000, verbose_name="description"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("containment", "Containment"),
                            ("corrective", "Corrective"),
                            ("preventive", "Preventive"),
                            ("implementation", "Implementation"),
                            ("finding_response", "Finding response"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("due_date", models.DateField(verbose_name="due date")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("in_progress", "In progress"),
                            ("done", "Done, effectiveness to check"),
                            ("closed", "Closed, effective"),
                            ("cancelled", "Cancelled"),
                        ],
                        db_index=True,
                        default="open",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "completed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="completed"),
                ),
                (
                    "completion_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="completion note"),
                ),
                (
                    "effectiveness_result",
                    models.CharField(
                        blank=True,
                        choices=[("effective", "Effective"), ("not_effective", "Not effective")],
                        max_length=20,
                        verbose_name="effectiveness",
                    ),
                ),
                (
                    "effectiveness_evidence",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="effectiveness evidence"
                    ),
                ),
                (
                    "effectiveness_checked_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="effectiveness checked"
                    ),
                ),
                (
                    "cancel_reason",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="reason for cancelling"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="contenttypes.contenttype"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "effectiveness_checked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="owner",
                    ),
                ),
                (
                    "internal_only",
                    models.BooleanField(
                        default=False,
                        help_text="Hidden from customer users.",
                        verbose_name="internal only",
                    ),
                ),
            ],
            options={
                "verbose_name": "action",
                "verbose_name_plural": "actions",
                "ordering": ["due_date", "pk"],
                "indexes": [
                    models.Index(
                        fields=["content_type", "object_id"], name="core_action_content_e6d639_idx"
                    ),
                    models.Index(fields=["owner", "status"], name="core_action_owner_i_d68938_idx"),
                    models.Index(fields=["status", "due_date"], name="core_action_status_due"),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAction",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "description",
                    models.TextField(blank=True, max_length=10000, verbose_name="description"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("containment", "Containment"),
                            ("corrective", "Corrective"),
                            ("preventive", "Preventive"),
                            ("implementation", "Implementation"),
                            ("finding_response", "Finding response"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("due_date", models.DateField(verbose_name="due date")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("in_progress", "In progress"),
                            ("done", "Done, effectiveness to check"),
                            ("closed", "Closed, effective"),
                            ("cancelled", "Cancelled"),
                        ],
                        db_index=True,
                        default="open",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "completed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="completed"),
                ),
                (
                    "completion_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="completion note"),
                ),
                (
                    "effectiveness_result",
                    models.CharField(
                        blank=True,
                        choices=[("effective", "Effective"), ("not_effective", "Not effective")],
                        max_length=20,
                        verbose_name="effectiveness",
                    ),
                ),
                (
                    "effectiveness_evidence",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="effectiveness evidence"
                    ),
                ),
                (
                    "effectiveness_checked_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="effectiveness checked"
                    ),
                ),
                (
                    "cancel_reason",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="reason for cancelling"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "effectiveness_checked_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="owner",
                    ),
                ),
                (
                    "internal_only",
                    models.BooleanField(
                        default=False,
                        help_text="Hidden from customer users.",
                        verbose_name="internal only",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical action",
                "verbose_name_plural": "historical actions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Signature",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                ("signer_name", models.CharField(max_length=150, verbose_name="name")),
                ("signer_role", models.CharField(max_length=150, verbose_name="role")),
                (
                    "signer_organisation",
                    models.CharField(blank=True, max_length=200, verbose_name="organisation"),
                ),
                ("meaning", models.CharField(max_length=255, verbose_name="meaning")),
                ("comment", models.TextField(blank=True, max_length=10000, verbose_name="comment")),
                ("record_version", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "signed_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="signed"),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="contenttypes.contenttype"
                    ),
                ),
                (
                    "signer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="signatures",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "electronic signature",
                "verbose_name_plural": "electronic signatures",
                "ordering": ["signed_at", "pk"],
                "indexes": [
                    models.Index(
                        fields=["content_type", "object_id"], name="core_signat_content_e7bd32_idx"
                    )
                ],
            },
        ),
        migrations.RunPython(
            code=outbox.create_schedule,
            reverse_code=outbox.remove_schedule,
        ),
        migrations.RunPython(
            code=data_change.create_schedule,
            reverse_code=data_change.remove_schedule,
        ),
    ]
