"""customers: migrations 0001 to 0005 in one, for new databases.

Each model is created as those migrations leave it, with its indexes and constraints. A database
that applied only some of them goes on with the rest. The time-zone fields are written as 0006
leaves them, without the list of zones that 0001 froze into them; their columns are the same.
"""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import core.time_zones
import customers.defaults
import customers.models


class Migration(migrations.Migration):
    replaces = [
        ("customers", "0001_initial"),
        ("customers", "0002_requirements_similarity"),
        ("customers", "0003_requirements_for_changes_and_ppap"),
        ("customers", "0004_responsible_engineers_reaction_time"),
        ("customers", "0005_text_length_limits"),
    ]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Customer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "code",
                    models.CharField(
                        max_length=20,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z0-9][A-Z0-9_-]{1,19}$",
                                "Use 2–20 capital letters, digits, dashes or underscores, e.g. “AUTOWERK”.",
                            )
                        ],
                        verbose_name="code",
                    ),
                ),
                (
                    "supplier_number",
                    models.CharField(
                        blank=True,
                        help_text="The number this customer knows us by.",
                        max_length=50,
                        verbose_name="our supplier number",
                    ),
                ),
                ("street", models.CharField(blank=True, max_length=200, verbose_name="street")),
                (
                    "postal_code",
                    models.CharField(blank=True, max_length=20, verbose_name="postal code"),
                ),
                ("city", models.CharField(blank=True, max_length=100, verbose_name="city")),
                ("country", models.CharField(blank=True, max_length=100, verbose_name="country")),
                (
                    "time_zone",
                    core.time_zones.TimeZoneField(
                        default="Europe/Berlin", max_length=64, verbose_name="time zone"
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "responsible_engineers",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Our staff told first of this customer's new claims.",
                        limit_choices_to={"role__in": ["admin", "engineer", "manager"]},
                        related_name="responsible_for_customers",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="responsible engineers",
                    ),
                ),
            ],
            options={
                "verbose_name": "customer",
                "verbose_name_plural": "customers",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Plant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        max_length=20,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z0-9][A-Z0-9_-]{1,19}$",
                                "Use 2–20 capital letters, digits, dashes or underscores, e.g. “AUTOWERK”.",
                            )
                        ],
                        verbose_name="code",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("city", models.CharField(blank=True, max_length=100, verbose_name="city")),
                ("country", models.CharField(blank=True, max_length=100, verbose_name="country")),
                (
                    "time_zone",
                    core.time_zones.TimeZoneField(
                        default="Europe/Berlin", max_length=64, verbose_name="time zone"
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "plant",
                "verbose_name_plural": "plants",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCustomer",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "code",
                    models.CharField(
                        db_index=True,
                        max_length=20,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z0-9][A-Z0-9_-]{1,19}$",
                                "Use 2–20 capital letters, digits, dashes or underscores, e.g. “AUTOWERK”.",
                            )
                        ],
                        verbose_name="code",
                    ),
                ),
                (
                    "supplier_number",
                    models.CharField(
                        blank=True,
                        help_text="The number this customer knows us by.",
                        max_length=50,
                        verbose_name="our supplier number",
                    ),
                ),
                ("street", models.CharField(blank=True, max_length=200, verbose_name="street")),
                (
                    "postal_code",
                    models.CharField(blank=True, max_length=20, verbose_name="postal code"),
                ),
                ("city", models.CharField(blank=True, max_length=100, verbose_name="city")),
                ("country", models.CharField(blank=True, max_length=100, verbose_name="country")),
                (
                    "time_zone",
                    core.time_zones.TimeZoneField(
                        default="Europe/Berlin", max_length=64, verbose_name="time zone"
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
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
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical customer",
                "verbose_name_plural": "historical customers",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalHoliday",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(verbose_name="date")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
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
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="customers.customer",
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
            ],
            options={
                "verbose_name": "historical holiday",
                "verbose_name_plural": "historical holidays",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPlant",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        db_index=True,
                        max_length=20,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z0-9][A-Z0-9_-]{1,19}$",
                                "Use 2–20 capital letters, digits, dashes or underscores, e.g. “AUTOWERK”.",
                            )
                        ],
                        verbose_name="code",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("city", models.CharField(blank=True, max_length=100, verbose_name="city")),
                ("country", models.CharField(blank=True, max_length=100, verbose_name="country")),
                (
                    "time_zone",
                    core.time_zones.TimeZoneField(
                        default="Europe/Berlin", max_length=64, verbose_name="time zone"
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
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
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical plant",
                "verbose_name_plural": "historical plants",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPart",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("part_number", models.CharField(max_length=50, verbose_name="our part number")),
                (
                    "customer_part_number",
                    models.CharField(max_length=50, verbose_name="customer part number"),
                ),
                ("revision", models.CharField(default="A", max_length=20, verbose_name="revision")),
                ("description", models.CharField(max_length=200, verbose_name="description")),
                (
                    "commodity",
                    models.CharField(blank=True, max_length=100, verbose_name="commodity"),
                ),
                (
                    "safety_relevant",
                    models.BooleanField(
                        default=False,
                        help_text="Carries special characteristics for safety or regulations.",
                        verbose_name="safety-relevant",
                    ),
                ),
                (
                    "active_from",
                    models.DateField(blank=True, null=True, verbose_name="active from"),
                ),
                ("active_to", models.DateField(blank=True, null=True, verbose_name="active to")),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
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
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="customers.customer",
                        verbose_name="customer",
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
                    "plant",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="customers.plant",
                        verbose_name="plant",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical part",
                "verbose_name_plural": "historical parts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Holiday",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(verbose_name="date")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="holidays",
                        to="customers.customer",
                    ),
                ),
            ],
            options={
                "verbose_name": "holiday",
                "verbose_name_plural": "holidays",
                "ordering": ["date"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("customer", "date"),
                        name="customers_holiday_unique_day",
                        violation_error_message="This customer already has a holiday on that day.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Part",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("part_number", models.CharField(max_length=50, verbose_name="our part number")),
                (
                    "customer_part_number",
                    models.CharField(max_length=50, verbose_name="customer part number"),
                ),
                ("revision", models.CharField(default="A", max_length=20, verbose_name="revision")),
                ("description", models.CharField(max_length=200, verbose_name="description")),
                (
                    "commodity",
                    models.CharField(blank=True, max_length=100, verbose_name="commodity"),
                ),
                (
                    "safety_relevant",
                    models.BooleanField(
                        default=False,
                        help_text="Carries special characteristics for safety or regulations.",
                        verbose_name="safety-relevant",
                    ),
                ),
                (
                    "active_from",
                    models.DateField(blank=True, null=True, verbose_name="active from"),
                ),
                ("active_to", models.DateField(blank=True, null=True, verbose_name="active to")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="parts",
                        to="customers.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "plant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="parts",
                        to="customers.plant",
                        verbose_name="plant",
                    ),
                ),
            ],
            options={
                "verbose_name": "part",
                "verbose_name_plural": "parts",
                "ordering": ["part_number", "revision"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("part_number", "revision"),
                        name="customers_part_unique_number_revision",
                    ),
                    models.UniqueConstraint(
                        models.F("customer"),
                        django.db.models.functions.text.Lower("customer_part_number"),
                        models.F("revision"),
                        name="customers_part_unique_customer_number_revision",
                        violation_error_message="This customer already has a part with this number and revision.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("active_to__isnull", True),
                            ("active_from__isnull", True),
                            ("active_to__gte", models.F("active_from")),
                            _connector="OR",
                        ),
                        name="customers_part_active_range",
                        violation_error_message="“Active to” must not be before “active from”.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Contact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("function", models.CharField(blank=True, max_length=150, verbose_name="function")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                ("phone", models.CharField(blank=True, max_length=50, verbose_name="phone")),
                ("notes", models.TextField(blank=True, max_length=10000, verbose_name="notes")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contacts",
                        to="customers.customer",
                    ),
                ),
            ],
            options={
                "verbose_name": "contact",
                "verbose_name_plural": "contacts",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="CustomerRequirements",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "d3_days",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="D3 due after (days)",
                    ),
                ),
                (
                    "d3_basis",
                    models.CharField(
                        choices=[("calendar", "calendar days"), ("working", "working days")],
                        default="working",
                        max_length=10,
                        verbose_name="D3 day basis",
                    ),
                ),
                (
                    "d4_days",
                    models.PositiveSmallIntegerField(
                        default=7,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="D4 due after (days)",
                    ),
                ),
                (
                    "d4_basis",
                    models.CharField(
                        choices=[("calendar", "calendar days"), ("working", "working days")],
                        default="calendar",
                        max_length=10,
                        verbose_name="D4 day basis",
                    ),
                ),
                (
                    "d6_days",
                    models.PositiveSmallIntegerField(
                        default=14,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="D5–D6 due after (days)",
                    ),
                ),
                (
                    "d6_basis",
                    models.CharField(
                        choices=[("calendar", "calendar days"), ("working", "working days")],
                        default="calendar",
                        max_length=10,
                        verbose_name="D5–D6 day basis",
                    ),
                ),
                (
                    "d7_days",
                    models.PositiveSmallIntegerField(
                        default=25,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="D7 due after (days)",
                    ),
                ),
                (
                    "d7_basis",
                    models.CharField(
                        choices=[("calendar", "calendar days"), ("working", "working days")],
                        default="calendar",
                        max_length=10,
                        verbose_name="D7 day basis",
                    ),
                ),
                (
                    "d8_days",
                    models.PositiveSmallIntegerField(
                        default=30,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="D8 due after (days)",
                    ),
                ),
                (
                    "d8_basis",
                    models.CharField(
                        choices=[("calendar", "calendar days"), ("working", "working days")],
                        default="calendar",
                        max_length=10,
                        verbose_name="D8 day basis",
                    ),
                ),
                (
                    "ppm_target_0km",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("50"),
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="ppm target 0km",
                    ),
                ),
                (
                    "ppm_target_field",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("10"),
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="ppm target field",
                    ),
                ),
                (
                    "default_ppap_level",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "Level 1"),
                            (2, "Level 2"),
                            (3, "Level 3"),
                            (4, "Level 4"),
                            (5, "Level 5"),
                        ],
                        default=3,
                        verbose_name="default PPAP level",
                    ),
                ),
                (
                    "allowed_attachment_types",
                    models.JSONField(
                        default=customers.defaults.default_allowed_attachment_types,
                        validators=[customers.models.validate_attachment_types],
                        verbose_name="allowed attachment types",
                    ),
                ),
                (
                    "max_attachment_mb",
                    models.PositiveSmallIntegerField(
                        default=20,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(500),
                        ],
                        verbose_name="largest attachment (MB)",
                    ),
                ),
                (
                    "report_recipients",
                    models.TextField(
                        blank=True,
                        help_text="E-mail addresses, one per line or separated by commas.",
                        max_length=5000,
                        validators=[customers.models.validate_email_list],
                        verbose_name="report recipients",
                    ),
                ),
                (
                    "customer",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="requirements",
                        to="customers.customer",
                    ),
                ),
                (
                    "repeat_symptom_percent",
                    models.PositiveSmallIntegerField(
                        default=50,
                        help_text="A claim on the same part produced after an earlier claim's corrective action counts as a repeat failure when their symptoms share at least this share of their words.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="repeat failure: shared symptom words (%)",
                    ),
                ),
                (
                    "similar_lookback_days",
                    models.PositiveSmallIntegerField(
                        default=730,
                        help_text="Claims filed more than this many days before a claim are not shown with it.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(3650),
                        ],
                        verbose_name="similar claims: look back (days)",
                    ),
                ),
                (
                    "similar_symptom_percent",
                    models.PositiveSmallIntegerField(
                        default=30,
                        help_text="Claims on other parts are shown as similar from this share of shared words.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="similar claims: shared symptom words (%)",
                    ),
                ),
                (
                    "change_decision_reminder_days",
                    models.PositiveSmallIntegerField(
                        default=5,
                        help_text="A change notice waiting this long for the customer's decision is reminded daily.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="change notices: remind after (days)",
                    ),
                ),
                (
                    "deviation_cap_warning_percent",
                    models.PositiveSmallIntegerField(
                        default=80,
                        help_text="An active deviation is flagged once this share of its quantity is shipped.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="deviations: warn at share of the quantity cap (%)",
                    ),
                ),
                (
                    "deviation_expiry_warning_days",
                    models.PositiveSmallIntegerField(
                        default=14,
                        help_text="An active deviation is flagged this many days before its expiry date.",
                        validators=[django.core.validators.MaxValueValidator(365)],
                        verbose_name="deviations: warn before expiry (days)",
                    ),
                ),
                (
                    "finding_major_containment_hours",
                    models.PositiveSmallIntegerField(
                        default=48,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(720),
                        ],
                        verbose_name="audit findings: major, containment (hours)",
                    ),
                ),
                (
                    "finding_major_implementation_days",
                    models.PositiveSmallIntegerField(
                        default=90,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="audit findings: major, implementation (days)",
                    ),
                ),
                (
                    "finding_major_plan_days",
                    models.PositiveSmallIntegerField(
                        default=30,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="audit findings: major, corrective action plan (days)",
                    ),
                ),
                (
                    "finding_minor_implementation_days",
                    models.PositiveSmallIntegerField(
                        default=90,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="audit findings: minor, implementation (days)",
                    ),
                ),
                (
                    "finding_minor_plan_days",
                    models.PositiveSmallIntegerField(
                        default=30,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="audit findings: minor, corrective action plan (days)",
                    ),
                ),
                (
                    "ppap_interim_reminder_days",
                    models.PositiveSmallIntegerField(
                        default=14,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="PPAP interim approval: remind days before expiry",
                    ),
                ),
                (
                    "ppap_run_max_hours",
                    models.PositiveSmallIntegerField(
                        default=8,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(24),
                        ],
                        verbose_name="PPAP significant run: most hours",
                    ),
                ),
                (
                    "ppap_run_min_quantity",
                    models.PositiveIntegerField(
                        default=300,
                        help_text="Consecutive parts the significant production run must produce at least.",
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="PPAP significant run: least quantity",
                    ),
                ),
                (
                    "reaction_hours",
                    models.PositiveSmallIntegerField(
                        default=4,
                        help_text="A submitted claim not acknowledged within this many working hours is escalated to the quality managers, a second time after twice as long.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(240),
                        ],
                        verbose_name="reaction time (working hours)",
                    ),
                ),
                (
                    "reaction_hours_safety",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="The same for claims of safety severity.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(240),
                        ],
                        verbose_name="reaction time for safety claims (working hours)",
                    ),
                ),
            ],
            options={
                "verbose_name": "customer-specific requirements",
                "verbose_name_plural": "customer-specific requirements",
            },
        ),
        migrations.CreateModel(
            name="HistoricalContact",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("function", models.CharField(blank=True, max_length=150, verbose_name="function")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                ("phone", models.CharField(blank=True, max_length=50, verbose_name="phone")),
                ("notes", models.TextField(blank=True, max_length=10000, verbose_name="notes")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
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
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="customers.customer",
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
            ],
            options={
                "verbose_name": "historical contact",
                "verbose_name_plural": "historical contacts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCustomerRequirements",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "d3_days",
                    models.PositiveSmallIntegerField(
                        default=1,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="D3 due after (days)",
                    ),
                ),
                (
                    "d3_basis",
                    models.CharField(
                        choices=[("calendar", "calendar days"), ("working", "working days")],
                        default="working",
                        max_length=10,
                        verbose_name="D3 day basis",
                    ),
                ),
                (
                    "d4_days",
                    models.PositiveSmallIntegerField(
                        default=7,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="D4 due after (days)",
                    ),
                ),
                (
                    "d4_basis",
                    models.CharField(
                        choices=[("calendar", "calendar days"), ("working", "working days")],
                        default="calendar",
                        max_length=10,
                        verbose_name="D4 day basis",
                    ),
                ),
                (
                    "d6_days",
                    models.PositiveSmallIntegerField(
                        default=14,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="D5–D6 due after (days)",
                    ),
                ),
                (
                    "d6_basis",
                    models.CharField(
                        choices=[("calendar", "calendar days"), ("working", "working days")],
                        default="calendar",
                        max_length=10,
                        verbose_name="D5–D6 day basis",
                    ),
                ),
                (
                    "d7_days",
                    models.PositiveSmallIntegerField(
                        default=25,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="D7 due after (days)",
                    ),
                ),
                (
                    "d7_basis",
                    models.CharField(
                        choices=[("calendar", "calendar days"), ("working", "working days")],
                        default="calendar",
                        max_length=10,
                        verbose_name="D7 day basis",
                    ),
                ),
                (
                    "d8_days",
                    models.PositiveSmallIntegerField(
                        default=30,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="D8 due after (days)",
                    ),
                ),
                (
                    "d8_basis",
                    models.CharField(
                        choices=[("calendar", "calendar days"), ("working", "working days")],
                        default="calendar",
                        max_length=10,
                        verbose_name="D8 day basis",
                    ),
                ),
                (
                    "ppm_target_0km",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("50"),
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="ppm target 0km",
                    ),
                ),
                (
                    "ppm_target_field",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("10"),
                        max_digits=12,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="ppm target field",
                    ),
                ),
                (
                    "default_ppap_level",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "Level 1"),
                            (2, "Level 2"),
                            (3, "Level 3"),
                            (4, "Level 4"),
                            (5, "Level 5"),
                        ],
                        default=3,
                        verbose_name="default PPAP level",
                    ),
                ),
                (
                    "allowed_attachment_types",
                    models.JSONField(
                        default=customers.defaults.default_allowed_attachment_types,
                        validators=[customers.models.validate_attachment_types],
                        verbose_name="allowed attachment types",
                    ),
                ),
                (
                    "max_attachment_mb",
                    models.PositiveSmallIntegerField(
                        default=20,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(500),
                        ],
                        verbose_name="largest attachment (MB)",
                    ),
                ),
                (
                    "report_recipients",
                    models.TextField(
                        blank=True,
                        help_text="E-mail addresses, one per line or separated by commas.",
                        max_length=5000,
                        validators=[customers.models.validate_email_list],
                        verbose_name="report recipients",
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
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="customers.customer",
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
                    "repeat_symptom_percent",
                    models.PositiveSmallIntegerField(
                        default=50,
                        help_text="A claim on the same part produced after an earlier claim's corrective action counts as a repeat failure when their symptoms share at least this share of their words.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="repeat failure: shared symptom words (%)",
                    ),
                ),
                (
                    "similar_lookback_days",
                    models.PositiveSmallIntegerField(
                        default=730,
                        help_text="Claims filed more than this many days before a claim are not shown with it.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(3650),
                        ],
                        verbose_name="similar claims: look back (days)",
                    ),
                ),
                (
                    "similar_symptom_percent",
                    models.PositiveSmallIntegerField(
                        default=30,
                        help_text="Claims on other parts are shown as similar from this share of shared words.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="similar claims: shared symptom words (%)",
                    ),
                ),
                (
                    "change_decision_reminder_days",
                    models.PositiveSmallIntegerField(
                        default=5,
                        help_text="A change notice waiting this long for the customer's decision is reminded daily.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="change notices: remind after (days)",
                    ),
                ),
                (
                    "deviation_cap_warning_percent",
                    models.PositiveSmallIntegerField(
                        default=80,
                        help_text="An active deviation is flagged once this share of its quantity is shipped.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="deviations: warn at share of the quantity cap (%)",
                    ),
                ),
                (
                    "deviation_expiry_warning_days",
                    models.PositiveSmallIntegerField(
                        default=14,
                        help_text="An active deviation is flagged this many days before its expiry date.",
                        validators=[django.core.validators.MaxValueValidator(365)],
                        verbose_name="deviations: warn before expiry (days)",
                    ),
                ),
                (
                    "finding_major_containment_hours",
                    models.PositiveSmallIntegerField(
                        default=48,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(720),
                        ],
                        verbose_name="audit findings: major, containment (hours)",
                    ),
                ),
                (
                    "finding_major_implementation_days",
                    models.PositiveSmallIntegerField(
                        default=90,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="audit findings: major, implementation (days)",
                    ),
                ),
                (
                    "finding_major_plan_days",
                    models.PositiveSmallIntegerField(
                        default=30,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="audit findings: major, corrective action plan (days)",
                    ),
                ),
                (
                    "finding_minor_implementation_days",
                    models.PositiveSmallIntegerField(
                        default=90,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="audit findings: minor, implementation (days)",
                    ),
                ),
                (
                    "finding_minor_plan_days",
                    models.PositiveSmallIntegerField(
                        default=30,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="audit findings: minor, corrective action plan (days)",
                    ),
                ),
                (
                    "ppap_interim_reminder_days",
                    models.PositiveSmallIntegerField(
                        default=14,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(365),
                        ],
                        verbose_name="PPAP interim approval: remind days before expiry",
                    ),
                ),
                (
                    "ppap_run_max_hours",
                    models.PositiveSmallIntegerField(
                        default=8,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(24),
                        ],
                        verbose_name="PPAP significant run: most hours",
                    ),
                ),
                (
                    "ppap_run_min_quantity",
                    models.PositiveIntegerField(
                        default=300,
                        help_text="Consecutive parts the significant production run must produce at least.",
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="PPAP significant run: least quantity",
                    ),
                ),
                (
                    "reaction_hours",
                    models.PositiveSmallIntegerField(
                        default=4,
                        help_text="A submitted claim not acknowledged within this many working hours is escalated to the quality managers, a second time after twice as long.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(240),
                        ],
                        verbose_name="reaction time (working hours)",
                    ),
                ),
                (
                    "reaction_hours_safety",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="The same for claims of safety severity.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(240),
                        ],
                        verbose_name="reaction time for safety claims (working hours)",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical customer-specific requirements",
                "verbose_name_plural": "historical customer-specific requirements",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
