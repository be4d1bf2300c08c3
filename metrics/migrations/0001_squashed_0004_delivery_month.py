"""metrics: migrations 0001 to 0004 in one, for new databases.

Each model is created as those migrations leave it, with its indexes and constraints. Their data
steps run last, from the replaced files, which stay for databases that applied only some of them
(those go on with the rest).
"""

from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The data steps of the replaced migrations.
delivery_month = import_module("metrics.migrations.0004_delivery_month")
monthly_report_schedule = import_module("metrics.migrations.0003_monthly_report_schedule")


class Migration(migrations.Migration):
    replaces = [
        ("metrics", "0001_initial"),
        ("metrics", "0002_reports"),
        ("metrics", "0003_monthly_report_schedule"),
        ("metrics", "0004_delivery_month"),
    ]

    initial = True

    dependencies = [
        ("customers", "0001_initial"),
        ("customers", "0002_requirements_similarity"),
        ("customers", "0003_requirements_for_changes_and_ppap"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Delivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ship_date", models.DateField(verbose_name="ship date")),
                ("quantity", models.PositiveIntegerField(verbose_name="quantity")),
                (
                    "delivery_note",
                    models.CharField(
                        max_length=50, unique=True, verbose_name="delivery note number"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="imported")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "imported_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="imported by",
                    ),
                ),
                (
                    "part",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.part",
                        verbose_name="part",
                    ),
                ),
                (
                    "plant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.plant",
                        verbose_name="shipping plant",
                    ),
                ),
            ],
            options={
                "verbose_name": "delivery",
                "verbose_name_plural": "deliveries",
                "ordering": ["-ship_date", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["customer", "ship_date", "quantity"], name="delivery_customer_date"
                    ),
                    models.Index(
                        fields=["part", "ship_date", "quantity"], name="delivery_part_date"
                    ),
                    models.Index(
                        fields=["plant", "ship_date", "quantity"], name="delivery_plant_date"
                    ),
                    models.Index(fields=["ship_date", "quantity"], name="delivery_date"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("quantity__gt", 0)),
                        name="metrics_delivery_quantity_positive",
                        violation_error_message="The quantity must be at least 1.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Report",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("monthly", "Monthly management report")],
                        default="monthly",
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                (
                    "period",
                    models.DateField(
                        help_text="The first day of the reported month.", verbose_name="period"
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Generating"),
                            ("done", "Ready"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "progress",
                    models.PositiveSmallIntegerField(default=0, verbose_name="progress %"),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True, max_length=255, upload_to="reports/%Y/%m/", verbose_name="file"
                    ),
                ),
                ("size", models.PositiveIntegerField(default=0, verbose_name="size in bytes")),
                ("checksum", models.CharField(blank=True, max_length=64, verbose_name="SHA-256")),
                (
                    "generated_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="generated at"),
                ),
                ("error", models.TextField(blank=True, verbose_name="error")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                (
                    "emailed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="e-mailed at"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty for the whole company.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty when the schedule produced it.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
            ],
            options={
                "verbose_name": "report",
                "verbose_name_plural": "reports",
                "ordering": ["-period", "customer__name", "-version"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("customer__isnull", False)),
                        fields=("kind", "period", "customer", "version"),
                        name="metrics_report_one_version_per_customer",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("customer__isnull", True)),
                        fields=("kind", "period", "version"),
                        name="metrics_report_one_version_company",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("progress__lte", 100)),
                        name="metrics_report_progress_percent",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="DeliveryMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(verbose_name="month")),
                ("quantity", models.BigIntegerField(verbose_name="quantity")),
                (
                    "customer",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="customers.customer",
                    ),
                ),
                (
                    "part",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="customers.part",
                    ),
                ),
                (
                    "plant",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="customers.plant",
                    ),
                ),
            ],
            options={
                "verbose_name": "parts delivered in a month",
                "verbose_name_plural": "parts delivered per month",
                "indexes": [
                    models.Index(fields=["month", "quantity"], name="deliverymonth_month"),
                    models.Index(fields=["part", "month", "quantity"], name="deliverymonth_part"),
                    models.Index(fields=["plant", "month", "quantity"], name="deliverymonth_plant"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("customer", "part", "plant", "month"),
                        name="metrics_deliverymonth_key",
                    )
                ],
            },
        ),
        migrations.RunPython(
            code=monthly_report_schedule.create_schedule,
            reverse_code=monthly_report_schedule.remove_schedule,
        ),
        migrations.RunPython(
            code=delivery_month.install,
            reverse_code=delivery_month.remove,
        ),
    ]
