"""ppap: migrations 0001 to 0004 in one, for new databases.

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

# The data steps of the replaced migrations.
interim_schedule = import_module("ppap.migrations.0002_interim_schedule")


class Migration(migrations.Migration):
    replaces = [
        ("ppap", "0001_initial"),
        ("ppap", "0002_interim_schedule"),
        ("ppap", "0003_list_order_indexes"),
        ("ppap", "0004_text_length_limits"),
    ]

    initial = True

    dependencies = [
        ("changes", "0001_initial"),
        ("changes", "0003_list_order_indexes"),
        ("customers", "0003_requirements_for_changes_and_ppap"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PpapSubmission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1,
                        editable=False,
                        help_text="Counts the saved changes of this record. Send it back with a write (or as If-Match) to be refused with 409 if someone else changed the record in the meantime.",
                        verbose_name="version",
                    ),
                ),
                ("number", models.CharField(max_length=20, verbose_name="number")),
                ("revision", models.PositiveSmallIntegerField(default=1, verbose_name="revision")),
                (
                    "is_current",
                    models.BooleanField(
                        default=True,
                        help_text="Earlier revisions of a resubmitted PPAP are kept read-only.",
                        verbose_name="current revision",
                    ),
                ),
                ("part_revision", models.CharField(max_length=20, verbose_name="part revision")),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("initial", "Initial submission"),
                            ("engineering_change", "Engineering change(s)"),
                            (
                                "tooling",
                                "Tooling: transfer, replacement, refurbishment, or additional",
                            ),
                            ("correction", "Correction of discrepancy"),
                            ("tooling_inactive", "Tooling inactive > 1 year"),
                            (
                                "optional_construction",
                                "Change to optional construction or material",
                            ),
                            ("sub_supplier", "Sub-supplier or material source change"),
                            ("processing", "Change in part processing"),
                            ("additional_location", "Parts produced at additional location"),
                            ("other", "Other (specify)"),
                        ],
                        max_length=30,
                        verbose_name="reason for submission",
                    ),
                ),
                (
                    "reason_detail",
                    models.TextField(blank=True, max_length=10000, verbose_name="reason (details)"),
                ),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (
                                1,
                                "Level 1: warrant only (and appearance approval report where required)",
                            ),
                            (
                                2,
                                "Level 2: warrant with product samples and limited supporting data",
                            ),
                            (
                                3,
                                "Level 3: warrant with product samples and complete supporting data",
                            ),
                            (
                                4,
                                "Level 4: warrant and other requirements as defined by the customer",
                            ),
                            (
                                5,
                                "Level 5: warrant with samples and complete data reviewed at our site",
                            ),
                        ],
                        verbose_name="submission level",
                    ),
                ),
                (
                    "customer_elements",
                    models.JSONField(
                        blank=True,
                        default=list,
                        verbose_name="elements the customer asks for (level 4)",
                    ),
                ),
                (
                    "form_set",
                    models.CharField(
                        choices=[("aiag", "AIAG PPAP (PSW)"), ("vda2", "VDA volume 2 (PPF)")],
                        default="aiag",
                        max_length=10,
                        verbose_name="form set",
                    ),
                ),
                (
                    "edition",
                    models.CharField(
                        choices=[("aiag4", "AIAG PPAP 4th edition")],
                        default="aiag4",
                        max_length=20,
                        verbose_name="edition",
                    ),
                ),
                (
                    "design_proprietary",
                    models.BooleanField(
                        default=False, verbose_name="design records are proprietary"
                    ),
                ),
                ("due_date", models.DateField(blank=True, null=True, verbose_name="due date")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("approved", "Approved"),
                            ("approved_deviations", "Approved with deviations"),
                            ("interim", "Interim approval"),
                            ("interim_expired", "Interim approval expired"),
                            ("rejected", "Rejected"),
                            ("cancelled", "Cancelled"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "internal_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="internal note"),
                ),
                (
                    "vda_trigger",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("new_part", "New part"),
                            ("change", "Product or process change"),
                            ("supplier_change", "Change of sub-supplier"),
                            ("relocation", "Production relocation"),
                            ("long_stop", "Production stopped for a long time"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="VDA 2 trigger",
                    ),
                ),
                (
                    "vda_scope",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="agreed scope of the sampling"
                    ),
                ),
                (
                    "vda_self_assessment",
                    models.TextField(blank=True, max_length=10000, verbose_name="self-assessment"),
                ),
                (
                    "run_date",
                    models.DateField(blank=True, null=True, verbose_name="significant run: date"),
                ),
                (
                    "run_hours",
                    models.DecimalField(
                        blank=True,
                        decimal_places=1,
                        max_digits=4,
                        null=True,
                        verbose_name="significant run: hours",
                    ),
                ),
                (
                    "run_quantity",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="significant run: consecutive parts"
                    ),
                ),
                (
                    "sent_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="submitted at"),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
                (
                    "decision_comment",
                    models.TextField(blank=True, max_length=10000, verbose_name="customer comment"),
                ),
                (
                    "interim_expires_on",
                    models.DateField(blank=True, null=True, verbose_name="interim approval until"),
                ),
                (
                    "interim_quantity",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="interim approval: quantity"
                    ),
                ),
                (
                    "interim_nonconformities",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="open nonconformities"
                    ),
                ),
                (
                    "interim_action_plan",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="agreed action plan"
                    ),
                ),
                (
                    "risk_assessment",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="joint risk assessment"
                    ),
                ),
                ("interim_reminded_on", models.DateField(blank=True, editable=False, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "change",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="ppap_submissions",
                        to="changes.changerequest",
                        verbose_name="related change",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
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
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="responsible engineer",
                    ),
                ),
                (
                    "part",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="ppap_submissions",
                        to="customers.part",
                        verbose_name="part",
                    ),
                ),
            ],
            options={
                "verbose_name": "PPAP submission",
                "verbose_name_plural": "PPAP submissions",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["customer", "status"], name="ppap_ppapsu_custome_c8fdb7_idx"
                    ),
                    models.Index(
                        fields=["part", "decided_at"], name="ppap_ppapsu_part_id_68a5a4_idx"
                    ),
                    models.Index(fields=["created_at", "id"], name="ppap_sub_newest"),
                    models.Index(
                        fields=["customer", "created_at", "id"], name="ppap_sub_cust_newest"
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("number", "revision"), name="ppap_submission_unique_revision"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("is_current", True)),
                        fields=("number",),
                        name="ppap_submission_one_current_revision",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalProcessStudy",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("characteristic", models.CharField(max_length=200, verbose_name="characteristic")),
                (
                    "study_type",
                    models.CharField(
                        choices=[
                            ("ppk", "Ppk (preliminary process capability)"),
                            ("cpk", "Cpk (process capability)"),
                        ],
                        max_length=3,
                        verbose_name="index",
                    ),
                ),
                (
                    "value",
                    models.DecimalField(decimal_places=3, max_digits=6, verbose_name="value"),
                ),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="recorded"),
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
                    "submission",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ppap.ppapsubmission",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical initial process study",
                "verbose_name_plural": "historical initial process studies",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ProcessStudy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("characteristic", models.CharField(max_length=200, verbose_name="characteristic")),
                (
                    "study_type",
                    models.CharField(
                        choices=[
                            ("ppk", "Ppk (preliminary process capability)"),
                            ("cpk", "Cpk (process capability)"),
                        ],
                        max_length=3,
                        verbose_name="index",
                    ),
                ),
                (
                    "value",
                    models.DecimalField(decimal_places=3, max_digits=6, verbose_name="value"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded")),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.customer",
                    ),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="studies",
                        to="ppap.ppapsubmission",
                    ),
                ),
            ],
            options={
                "verbose_name": "initial process study",
                "verbose_name_plural": "initial process studies",
                "ordering": ["submission", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalPpapElement",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="element")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "requirement",
                    models.CharField(
                        choices=[
                            ("submit", "Submit"),
                            ("retain", "Retain"),
                            ("on_request", "Submit on request"),
                        ],
                        max_length=12,
                        verbose_name="requirement",
                    ),
                ),
                ("due_date", models.DateField(blank=True, null=True, verbose_name="due date")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("in_progress", "In progress"),
                            ("ready", "Ready (approved internally)"),
                            ("approved", "Approved by the customer"),
                            ("rejected", "Rejected by the customer"),
                        ],
                        default="open",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "not_applicable",
                    models.BooleanField(default=False, verbose_name="not applicable"),
                ),
                (
                    "na_reason",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="why not applicable"
                    ),
                ),
                (
                    "customer_comment",
                    models.TextField(blank=True, max_length=10000, verbose_name="customer comment"),
                ),
                (
                    "reviewed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="reviewed at"),
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
                    "submission",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ppap.ppapsubmission",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical PPAP element",
                "verbose_name_plural": "historical PPAP elements",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPpapSubmission",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=20, verbose_name="number")),
                ("revision", models.PositiveSmallIntegerField(default=1, verbose_name="revision")),
                (
                    "is_current",
                    models.BooleanField(
                        default=True,
                        help_text="Earlier revisions of a resubmitted PPAP are kept read-only.",
                        verbose_name="current revision",
                    ),
                ),
                ("part_revision", models.CharField(max_length=20, verbose_name="part revision")),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("initial", "Initial submission"),
                            ("engineering_change", "Engineering change(s)"),
                            (
                                "tooling",
                                "Tooling: transfer, replacement, refurbishment, or additional",
                            ),
                            ("correction", "Correction of discrepancy"),
                            ("tooling_inactive", "Tooling inactive > 1 year"),
                            (
                                "optional_construction",
                                "Change to optional construction or material",
                            ),
                            ("sub_supplier", "Sub-supplier or material source change"),
                            ("processing", "Change in part processing"),
                            ("additional_location", "Parts produced at additional location"),
                            ("other", "Other (specify)"),
                        ],
                        max_length=30,
                        verbose_name="reason for submission",
                    ),
                ),
                (
                    "reason_detail",
                    models.TextField(blank=True, max_length=10000, verbose_name="reason (details)"),
                ),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (
                                1,
                                "Level 1: warrant only (and appearance approval report where required)",
                            ),
                            (
                                2,
                                "Level 2: warrant with product samples and limited supporting data",
                            ),
                            (
                                3,
                                "Level 3: warrant with product samples and complete supporting data",
                            ),
                            (
                                4,
                                "Level 4: warrant and other requirements as defined by the customer",
                            ),
                            (
                                5,
                                "Level 5: warrant with samples and complete data reviewed at our site",
                            ),
                        ],
                        verbose_name="submission level",
                    ),
                ),
                (
                    "customer_elements",
                    models.JSONField(
                        blank=True,
                        default=list,
                        verbose_name="elements the customer asks for (level 4)",
                    ),
                ),
                (
                    "form_set",
                    models.CharField(
                        choices=[("aiag", "AIAG PPAP (PSW)"), ("vda2", "VDA volume 2 (PPF)")],
                        default="aiag",
                        max_length=10,
                        verbose_name="form set",
                    ),
                ),
                (
                    "edition",
                    models.CharField(
                        choices=[("aiag4", "AIAG PPAP 4th edition")],
                        default="aiag4",
                        max_length=20,
                        verbose_name="edition",
                    ),
                ),
                (
                    "design_proprietary",
                    models.BooleanField(
                        default=False, verbose_name="design records are proprietary"
                    ),
                ),
                ("due_date", models.DateField(blank=True, null=True, verbose_name="due date")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("approved", "Approved"),
                            ("approved_deviations", "Approved with deviations"),
                            ("interim", "Interim approval"),
                            ("interim_expired", "Interim approval expired"),
                            ("rejected", "Rejected"),
                            ("cancelled", "Cancelled"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "internal_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="internal note"),
                ),
                (
                    "vda_trigger",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("new_part", "New part"),
                            ("change", "Product or process change"),
                            ("supplier_change", "Change of sub-supplier"),
                            ("relocation", "Production relocation"),
                            ("long_stop", "Production stopped for a long time"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="VDA 2 trigger",
                    ),
                ),
                (
                    "vda_scope",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="agreed scope of the sampling"
                    ),
                ),
                (
                    "vda_self_assessment",
                    models.TextField(blank=True, max_length=10000, verbose_name="self-assessment"),
                ),
                (
                    "run_date",
                    models.DateField(blank=True, null=True, verbose_name="significant run: date"),
                ),
                (
                    "run_hours",
                    models.DecimalField(
                        blank=True,
                        decimal_places=1,
                        max_digits=4,
                        null=True,
                        verbose_name="significant run: hours",
                    ),
                ),
                (
                    "run_quantity",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="significant run: consecutive parts"
                    ),
                ),
                (
                    "sent_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="submitted at"),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
                (
                    "decision_comment",
                    models.TextField(blank=True, max_length=10000, verbose_name="customer comment"),
                ),
                (
                    "interim_expires_on",
                    models.DateField(blank=True, null=True, verbose_name="interim approval until"),
                ),
                (
                    "interim_quantity",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="interim approval: quantity"
                    ),
                ),
                (
                    "interim_nonconformities",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="open nonconformities"
                    ),
                ),
                (
                    "interim_action_plan",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="agreed action plan"
                    ),
                ),
                (
                    "risk_assessment",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="joint risk assessment"
                    ),
                ),
                ("interim_reminded_on", models.DateField(blank=True, editable=False, null=True)),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="created"),
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
                    "change",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="changes.changerequest",
                        verbose_name="related change",
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
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
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
                        verbose_name="responsible engineer",
                    ),
                ),
                (
                    "part",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="customers.part",
                        verbose_name="part",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical PPAP submission",
                "verbose_name_plural": "historical PPAP submissions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalWarrant",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "part_name",
                    models.CharField(blank=True, max_length=200, verbose_name="part name"),
                ),
                (
                    "customer_part_number",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="customer part number"
                    ),
                ),
                (
                    "org_part_number",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="organisation part number"
                    ),
                ),
                (
                    "drawing_change_level",
                    models.CharField(
                        blank=True, max_length=30, verbose_name="engineering drawing change level"
                    ),
                ),
                (
                    "drawing_date",
                    models.DateField(blank=True, null=True, verbose_name="drawing dated"),
                ),
                (
                    "additional_changes",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="additional engineering changes"
                    ),
                ),
                (
                    "purchase_order",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="purchase order number"
                    ),
                ),
                (
                    "weight_kg",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        max_digits=10,
                        null=True,
                        verbose_name="weight (kg)",
                    ),
                ),
                (
                    "checking_aid_number",
                    models.CharField(blank=True, max_length=50, verbose_name="checking aid number"),
                ),
                (
                    "checking_aid_level",
                    models.CharField(
                        blank=True,
                        max_length=30,
                        verbose_name="checking aid engineering change level",
                    ),
                ),
                (
                    "checking_aid_date",
                    models.DateField(blank=True, null=True, verbose_name="checking aid dated"),
                ),
                (
                    "safety_regulation",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="safety and/or government regulation",
                    ),
                ),
                (
                    "org_name",
                    models.CharField(
                        blank=True,
                        max_length=200,
                        verbose_name="organisation name and supplier code",
                    ),
                ),
                (
                    "org_address",
                    models.TextField(
                        blank=True, max_length=5000, verbose_name="organisation address"
                    ),
                ),
                (
                    "customer_name",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="customer name / division"
                    ),
                ),
                (
                    "buyer",
                    models.CharField(blank=True, max_length=100, verbose_name="buyer / buyer code"),
                ),
                (
                    "application",
                    models.CharField(blank=True, max_length=200, verbose_name="application"),
                ),
                (
                    "imds_reported",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="substances of concern reported (IMDS)",
                    ),
                ),
                (
                    "imds_reference",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="IMDS ID or other format"
                    ),
                ),
                (
                    "polymeric_marking",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="polymeric parts identified with ISO marking codes",
                    ),
                ),
                (
                    "dimensional_ok",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="dimensional measurements meet requirements",
                    ),
                ),
                (
                    "material_ok",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="material and functional tests meet requirements",
                    ),
                ),
                (
                    "appearance_ok",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="appearance criteria meet requirements",
                    ),
                ),
                (
                    "statistical_ok",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="statistical process package meets requirements",
                    ),
                ),
                (
                    "results_explanation",
                    models.TextField(
                        blank=True,
                        max_length=10000,
                        verbose_name="explanation / comments on results",
                    ),
                ),
                (
                    "production_rate",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="declared production rate (parts)"
                    ),
                ),
                (
                    "production_hours",
                    models.DecimalField(
                        blank=True,
                        decimal_places=1,
                        max_digits=5,
                        null=True,
                        verbose_name="per hours",
                    ),
                ),
                (
                    "signer_name",
                    models.CharField(blank=True, max_length=150, verbose_name="print name"),
                ),
                (
                    "signer_title",
                    models.CharField(blank=True, max_length=150, verbose_name="title"),
                ),
                ("signer_phone", models.CharField(blank=True, max_length=50, verbose_name="phone")),
                (
                    "signer_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="e-mail"),
                ),
                ("signed_at", models.DateTimeField(blank=True, null=True, verbose_name="signed")),
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
                    "signed_by",
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
                    "submission",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ppap.ppapsubmission",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical part submission warrant",
                "verbose_name_plural": "historical part submission warrants",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PpapElement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1,
                        editable=False,
                        help_text="Counts the saved changes of this record. Send it back with a write (or as If-Match) to be refused with 409 if someone else changed the record in the meantime.",
                        verbose_name="version",
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="element")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "requirement",
                    models.CharField(
                        choices=[
                            ("submit", "Submit"),
                            ("retain", "Retain"),
                            ("on_request", "Submit on request"),
                        ],
                        max_length=12,
                        verbose_name="requirement",
                    ),
                ),
                ("due_date", models.DateField(blank=True, null=True, verbose_name="due date")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("in_progress", "In progress"),
                            ("ready", "Ready (approved internally)"),
                            ("approved", "Approved by the customer"),
                            ("rejected", "Rejected by the customer"),
                        ],
                        default="open",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "not_applicable",
                    models.BooleanField(default=False, verbose_name="not applicable"),
                ),
                (
                    "na_reason",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="why not applicable"
                    ),
                ),
                (
                    "customer_comment",
                    models.TextField(blank=True, max_length=10000, verbose_name="customer comment"),
                ),
                (
                    "reviewed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="reviewed at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.customer",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="owner",
                    ),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="elements",
                        to="ppap.ppapsubmission",
                    ),
                ),
            ],
            options={
                "verbose_name": "PPAP element",
                "verbose_name_plural": "PPAP elements",
                "ordering": ["submission", "number"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("submission", "number"), name="ppap_element_unique_number"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PpapEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action", models.CharField(max_length=40, verbose_name="action")),
                (
                    "element_number",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="element"),
                ),
                ("from_status", models.CharField(blank=True, max_length=20, verbose_name="from")),
                ("to_status", models.CharField(blank=True, max_length=20, verbose_name="to")),
                ("comment", models.TextField(blank=True, max_length=10000, verbose_name="comment")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="when"),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.customer",
                    ),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="ppap.ppapsubmission",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["submission", "created_at"], name="ppap_ppapev_submiss_902536_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Warrant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1,
                        editable=False,
                        help_text="Counts the saved changes of this record. Send it back with a write (or as If-Match) to be refused with 409 if someone else changed the record in the meantime.",
                        verbose_name="version",
                    ),
                ),
                (
                    "part_name",
                    models.CharField(blank=True, max_length=200, verbose_name="part name"),
                ),
                (
                    "customer_part_number",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="customer part number"
                    ),
                ),
                (
                    "org_part_number",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="organisation part number"
                    ),
                ),
                (
                    "drawing_change_level",
                    models.CharField(
                        blank=True, max_length=30, verbose_name="engineering drawing change level"
                    ),
                ),
                (
                    "drawing_date",
                    models.DateField(blank=True, null=True, verbose_name="drawing dated"),
                ),
                (
                    "additional_changes",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="additional engineering changes"
                    ),
                ),
                (
                    "purchase_order",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="purchase order number"
                    ),
                ),
                (
                    "weight_kg",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        max_digits=10,
                        null=True,
                        verbose_name="weight (kg)",
                    ),
                ),
                (
                    "checking_aid_number",
                    models.CharField(blank=True, max_length=50, verbose_name="checking aid number"),
                ),
                (
                    "checking_aid_level",
                    models.CharField(
                        blank=True,
                        max_length=30,
                        verbose_name="checking aid engineering change level",
                    ),
                ),
                (
                    "checking_aid_date",
                    models.DateField(blank=True, null=True, verbose_name="checking aid dated"),
                ),
                (
                    "safety_regulation",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="safety and/or government regulation",
                    ),
                ),
                (
                    "org_name",
                    models.CharField(
                        blank=True,
                        max_length=200,
                        verbose_name="organisation name and supplier code",
                    ),
                ),
                (
                    "org_address",
                    models.TextField(
                        blank=True, max_length=5000, verbose_name="organisation address"
                    ),
                ),
                (
                    "customer_name",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="customer name / division"
                    ),
                ),
                (
                    "buyer",
                    models.CharField(blank=True, max_length=100, verbose_name="buyer / buyer code"),
                ),
                (
                    "application",
                    models.CharField(blank=True, max_length=200, verbose_name="application"),
                ),
                (
                    "imds_reported",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="substances of concern reported (IMDS)",
                    ),
                ),
                (
                    "imds_reference",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="IMDS ID or other format"
                    ),
                ),
                (
                    "polymeric_marking",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="polymeric parts identified with ISO marking codes",
                    ),
                ),
                (
                    "dimensional_ok",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="dimensional measurements meet requirements",
                    ),
                ),
                (
                    "material_ok",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="material and functional tests meet requirements",
                    ),
                ),
                (
                    "appearance_ok",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="appearance criteria meet requirements",
                    ),
                ),
                (
                    "statistical_ok",
                    models.CharField(
                        blank=True,
                        choices=[("yes", "Yes"), ("no", "No")],
                        max_length=3,
                        verbose_name="statistical process package meets requirements",
                    ),
                ),
                (
                    "results_explanation",
                    models.TextField(
                        blank=True,
                        max_length=10000,
                        verbose_name="explanation / comments on results",
                    ),
                ),
                (
                    "production_rate",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="declared production rate (parts)"
                    ),
                ),
                (
                    "production_hours",
                    models.DecimalField(
                        blank=True,
                        decimal_places=1,
                        max_digits=5,
                        null=True,
                        verbose_name="per hours",
                    ),
                ),
                (
                    "signer_name",
                    models.CharField(blank=True, max_length=150, verbose_name="print name"),
                ),
                (
                    "signer_title",
                    models.CharField(blank=True, max_length=150, verbose_name="title"),
                ),
                ("signer_phone", models.CharField(blank=True, max_length=50, verbose_name="phone")),
                (
                    "signer_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="e-mail"),
                ),
                ("signed_at", models.DateTimeField(blank=True, null=True, verbose_name="signed")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.customer",
                    ),
                ),
                (
                    "signed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "submission",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="warrant",
                        to="ppap.ppapsubmission",
                    ),
                ),
            ],
            options={
                "verbose_name": "part submission warrant",
                "verbose_name_plural": "part submission warrants",
            },
        ),
        migrations.RunPython(
            code=interim_schedule.create_schedule,
            reverse_code=interim_schedule.remove_schedule,
        ),
    ]
