"""claims: migrations 0001 to 0012 in one, for new databases.

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
deadline_reminder_schedule = import_module("claims.migrations.0002_deadline_reminder_schedule")
escalation_schedule = import_module("claims.migrations.0011_escalation_schedule")


class Migration(migrations.Migration):
    replaces = [
        ("claims", "0001_initial"),
        ("claims", "0002_deadline_reminder_schedule"),
        ("claims", "0003_claim_costs"),
        ("claims", "0004_reminder_log"),
        ("claims", "0005_structured_8d"),
        ("claims", "0006_claim_defect_source"),
        ("claims", "0007_record_versions"),
        ("claims", "0008_volume_indexes"),
        ("claims", "0009_ppm_counted_indexes"),
        ("claims", "0010_claim_escalation"),
        ("claims", "0011_escalation_schedule"),
        ("claims", "0012_text_length_limits"),
    ]

    initial = True

    dependencies = [
        ("core", "0001_initial"),
        ("core", "0002_action_internal_only"),
        ("customers", "0001_initial"),
        ("customers", "0002_requirements_similarity"),
        ("customers", "0003_requirements_for_changes_and_ppap"),
        ("customers", "0004_responsible_engineers_reaction_time"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Claim",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(max_length=20, unique=True, verbose_name="number")),
                ("part_revision", models.CharField(max_length=20, verbose_name="part revision")),
                (
                    "kind",
                    models.CharField(
                        choices=[("0km", "0 km"), ("field", "Field")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "customer_reference",
                    models.CharField(blank=True, max_length=100, verbose_name="customer reference"),
                ),
                (
                    "detection_location",
                    models.CharField(
                        choices=[
                            ("incoming_inspection", "Incoming inspection"),
                            ("line", "Assembly line"),
                            ("end_of_line", "End of line"),
                            ("field_dealer", "Field / dealer"),
                        ],
                        max_length=30,
                        verbose_name="detected at",
                    ),
                ),
                ("detection_date", models.DateField(verbose_name="detection date")),
                ("notified_at", models.DateTimeField(verbose_name="notified at")),
                ("symptom", models.TextField(max_length=10000, verbose_name="symptom")),
                (
                    "severity",
                    models.CharField(
                        choices=[
                            ("safety", "Safety"),
                            ("critical", "Critical"),
                            ("major", "Major"),
                            ("minor", "Minor"),
                        ],
                        max_length=10,
                        verbose_name="severity",
                    ),
                ),
                (
                    "suspect_qty",
                    models.PositiveIntegerField(default=0, verbose_name="suspect quantity"),
                ),
                (
                    "nonconforming_qty",
                    models.PositiveIntegerField(default=0, verbose_name="nonconforming quantity"),
                ),
                (
                    "ppm_qty",
                    models.PositiveIntegerField(default=0, verbose_name="quantity charged to ppm"),
                ),
                ("lot", models.CharField(blank=True, max_length=50, verbose_name="lot")),
                ("batch", models.CharField(blank=True, max_length=50, verbose_name="batch")),
                (
                    "serial",
                    models.CharField(blank=True, max_length=50, verbose_name="serial number"),
                ),
                (
                    "date_code",
                    models.CharField(blank=True, max_length=50, verbose_name="date code"),
                ),
                (
                    "production_date",
                    models.DateField(blank=True, null=True, verbose_name="production date"),
                ),
                (
                    "customer_contact",
                    models.CharField(blank=True, max_length=200, verbose_name="customer contact"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("acknowledged", "Acknowledged"),
                            ("under_review", "Under review"),
                            ("containment", "Containment"),
                            ("root_cause", "Root cause"),
                            ("corrective_action", "Corrective action"),
                            ("prevention", "Prevention"),
                            ("customer_evaluation", "Customer evaluation"),
                            ("closed", "Closed"),
                            ("rejected", "Rejected"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="draft",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "acknowledged_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="acknowledged at"),
                ),
                (
                    "reaction_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="containment (D3) submitted at"
                    ),
                ),
                (
                    "responsibility",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Not decided"),
                            ("accepted", "Accepted as ours"),
                            ("rejected", "Rejected"),
                        ],
                        default="",
                        max_length=10,
                        verbose_name="responsibility",
                    ),
                ),
                (
                    "rejection_code",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("not_our_responsibility", "Not our responsibility"),
                            ("no_fault_found", "No fault found"),
                            ("customer_induced", "Customer-induced"),
                        ],
                        max_length=30,
                        verbose_name="rejection reason code",
                    ),
                ),
                (
                    "rejection_reason",
                    models.TextField(blank=True, max_length=10000, verbose_name="rejection reason"),
                ),
                (
                    "closed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="closed at"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "assigned_engineer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assigned_claims",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assigned engineer",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="filed_claims",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="filed by",
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
                    "part",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="claims",
                        to="customers.part",
                        verbose_name="part",
                    ),
                ),
                (
                    "defect_source",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("supplier_material", "Supplier / sub-supplier material"),
                            ("manufacturing", "Manufacturing (own process)"),
                            ("design", "Design"),
                            (
                                "logistics",
                                "Logistics (packaging, labelling, mixed parts, transport)",
                            ),
                            ("software", "Software"),
                            ("customer_induced", "Customer-induced / handling"),
                            ("no_fault_found", "No fault found"),
                        ],
                        max_length=20,
                        verbose_name="defect source",
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
            ],
            options={
                "verbose_name": "claim",
                "verbose_name_plural": "claims",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["customer", "status"], name="claims_clai_custome_343149_idx"
                    ),
                    models.Index(
                        fields=["status", "created_at"], name="claims_clai_status_58edc3_idx"
                    ),
                    models.Index(
                        fields=["assigned_engineer", "status"],
                        name="claims_clai_assigne_7cc48d_idx",
                    ),
                    models.Index(fields=["kind", "severity"], name="claims_clai_kind_c646b8_idx"),
                    models.Index(
                        fields=["part", "created_at"], name="claims_clai_part_id_b1b7dc_idx"
                    ),
                    models.Index(fields=["created_at", "id"], name="claims_claim_newest"),
                    models.Index(
                        fields=["customer", "created_at", "id"], name="claims_claim_cust_newest"
                    ),
                    models.Index(
                        fields=["notified_at"],
                        include=("kind", "ppm_qty", "responsibility", "status", "customer"),
                        name="claims_claim_notified",
                    ),
                    models.Index(
                        fields=["customer", "notified_at"],
                        include=("kind", "ppm_qty", "responsibility", "status"),
                        name="claims_claim_cust_notified",
                    ),
                    models.Index(
                        fields=["closed_at"],
                        include=("status", "customer"),
                        name="claims_claim_closed",
                    ),
                    models.Index(
                        condition=models.Q(
                            ("status__in", ["closed", "rejected", "cancelled"]), _negated=True
                        ),
                        fields=["notified_at"],
                        include=("status", "customer"),
                        name="claims_claim_open_notified",
                    ),
                    models.Index(
                        condition=models.Q(
                            ("responsibility", "accepted"),
                            models.Q(("status", "cancelled"), _negated=True),
                        ),
                        fields=["notified_at"],
                        include=("customer", "part", "kind", "defect_source", "ppm_qty"),
                        name="claims_claim_counted",
                    ),
                    models.Index(
                        condition=models.Q(
                            ("responsibility", "accepted"),
                            models.Q(("status", "cancelled"), _negated=True),
                        ),
                        fields=["customer", "notified_at"],
                        include=("part", "kind", "defect_source", "ppm_qty"),
                        name="claims_claim_cust_counted",
                    ),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("nonconforming_qty__lte", models.F("suspect_qty"))),
                        name="claims_claim_nonconforming_le_suspect",
                        violation_error_message="The nonconforming quantity cannot exceed the suspect quantity.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="EightDStep",
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
                        choices=[
                            ("D0", "D0 Prepare"),
                            ("D1", "D1 Team"),
                            ("D2", "D2 Problem description"),
                            ("D3", "D3 Interim containment"),
                            ("D4", "D4 Root cause"),
                            ("D5", "D5 Corrective actions chosen"),
                            ("D6", "D6 Corrective actions implemented"),
                            ("D7", "D7 Prevent recurrence"),
                            ("D8", "D8 Closure"),
                        ],
                        max_length=2,
                        verbose_name="discipline",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("approved", "Approved"),
                            ("sent_back", "Sent back"),
                        ],
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "content",
                    models.JSONField(blank=True, default=dict, verbose_name="structured content"),
                ),
                ("summary", models.TextField(blank=True, max_length=10000, verbose_name="summary")),
                (
                    "internal_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="internal note"),
                ),
                ("due_at", models.DateTimeField(blank=True, null=True, verbose_name="due")),
                (
                    "submitted_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="submitted at"),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
                (
                    "decision_comment",
                    models.TextField(blank=True, max_length=10000, verbose_name="decision comment"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="claims.claim",
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
                    "submitted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="submitted by",
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
            ],
            options={
                "verbose_name": "8D step",
                "verbose_name_plural": "8D steps",
                "ordering": ["claim", "code"],
                "indexes": [
                    models.Index(fields=["status", "due_at"], name="claims_eigh_status_101d91_idx"),
                    models.Index(fields=["code", "due_at"], name="claims_step_code_due"),
                    models.Index(
                        condition=models.Q(("status__in", ["open", "draft", "sent_back"])),
                        fields=["claim", "due_at", "code"],
                        name="claims_step_pending_due",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("claim", "code"), name="claims_step_unique_code"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ClaimCostSheet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("released", "Released to the customer"),
                            ("accepted", "Accepted by the customer"),
                            ("disputed", "Disputed by the customer"),
                        ],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "released_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="released at"),
                ),
                (
                    "customer_decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="customer decided at"),
                ),
                (
                    "dispute_reason",
                    models.TextField(blank=True, max_length=10000, verbose_name="dispute reason"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "claim",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cost_sheet",
                        to="claims.claim",
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
                    "customer_decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="customer decided by",
                    ),
                ),
                (
                    "released_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="released by",
                    ),
                ),
            ],
            options={
                "verbose_name": "cost sheet",
                "verbose_name_plural": "cost sheets",
            },
        ),
        migrations.CreateModel(
            name="ClaimCost",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("sorting", "Sorting hours"),
                            ("rework", "Rework"),
                            ("scrap", "Scrap"),
                            ("line_stop", "Line stop minutes"),
                            ("premium_freight", "Premium freight"),
                            ("admin_fee", "Administration fee"),
                            ("travel", "Travel"),
                            ("warranty", "Warranty"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="category",
                    ),
                ),
                (
                    "description",
                    models.CharField(blank=True, max_length=255, verbose_name="description"),
                ),
                (
                    "quantity",
                    models.DecimalField(decimal_places=4, max_digits=14, verbose_name="quantity"),
                ),
                (
                    "unit",
                    models.CharField(
                        choices=[
                            ("h", "hours"),
                            ("pcs", "pieces"),
                            ("min", "minutes"),
                            ("km", "kilometres"),
                            ("flat", "flat rate"),
                        ],
                        max_length=5,
                        verbose_name="unit",
                    ),
                ),
                ("rate", models.DecimalField(decimal_places=4, max_digits=14, verbose_name="rate")),
                (
                    "currency",
                    models.CharField(default="EUR", max_length=3, verbose_name="currency"),
                ),
                (
                    "technical_factor_percent",
                    models.DecimalField(
                        decimal_places=2,
                        default=100,
                        max_digits=5,
                        verbose_name="technical factor %",
                    ),
                ),
                (
                    "evidence",
                    models.CharField(blank=True, max_length=255, verbose_name="evidence reference"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="costs",
                        to="claims.claim",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
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
                    "evidence_attachment",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.attachment",
                        verbose_name="evidence file",
                    ),
                ),
                (
                    "sheet",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lines",
                        to="claims.claimcostsheet",
                    ),
                ),
            ],
            options={
                "verbose_name": "cost line",
                "verbose_name_plural": "cost lines",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalClaimCost",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("sorting", "Sorting hours"),
                            ("rework", "Rework"),
                            ("scrap", "Scrap"),
                            ("line_stop", "Line stop minutes"),
                            ("premium_freight", "Premium freight"),
                            ("admin_fee", "Administration fee"),
                            ("travel", "Travel"),
                            ("warranty", "Warranty"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="category",
                    ),
                ),
                (
                    "description",
                    models.CharField(blank=True, max_length=255, verbose_name="description"),
                ),
                (
                    "quantity",
                    models.DecimalField(decimal_places=4, max_digits=14, verbose_name="quantity"),
                ),
                (
                    "unit",
                    models.CharField(
                        choices=[
                            ("h", "hours"),
                            ("pcs", "pieces"),
                            ("min", "minutes"),
                            ("km", "kilometres"),
                            ("flat", "flat rate"),
                        ],
                        max_length=5,
                        verbose_name="unit",
                    ),
                ),
                ("rate", models.DecimalField(decimal_places=4, max_digits=14, verbose_name="rate")),
                (
                    "currency",
                    models.CharField(default="EUR", max_length=3, verbose_name="currency"),
                ),
                (
                    "technical_factor_percent",
                    models.DecimalField(
                        decimal_places=2,
                        default=100,
                        max_digits=5,
                        verbose_name="technical factor %",
                    ),
                ),
                (
                    "evidence",
                    models.CharField(blank=True, max_length=255, verbose_name="evidence reference"),
                ),
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
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="claims.claim",
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
                        verbose_name="created by",
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
                    "evidence_attachment",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="core.attachment",
                        verbose_name="evidence file",
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
                    "sheet",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="claims.claimcostsheet",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical cost line",
                "verbose_name_plural": "historical cost lines",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ReminderLog",
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
                        choices=[("due_soon", "Due within 24 hours"), ("overdue", "Overdue")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("sent_on", models.DateField(verbose_name="sent on")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "step",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="claims.eightdstep",
                    ),
                ),
            ],
            options={
                "verbose_name": "deadline reminder",
                "verbose_name_plural": "deadline reminders",
                "ordering": ["-sent_on", "step"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("step", "kind", "sent_on"), name="claims_reminder_once_per_day"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Cause",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "leg",
                    models.CharField(
                        choices=[
                            ("occurrence", "Occurrence: why it was made"),
                            ("non_detection", "Non-detection: why it escaped"),
                            ("systemic", "Systemic: why the system allowed it"),
                        ],
                        max_length=15,
                        verbose_name="leg",
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("man", "Man"),
                            ("machine", "Machine"),
                            ("method", "Method"),
                            ("material", "Material"),
                            ("measurement", "Measurement"),
                            ("milieu", "Milieu (environment)"),
                        ],
                        max_length=15,
                        verbose_name="6M category",
                    ),
                ),
                ("description", models.TextField(max_length=10000, verbose_name="cause")),
                ("whys", models.JSONField(blank=True, default=list, verbose_name="5-Why chain")),
                ("is_root_cause", models.BooleanField(default=False, verbose_name="root cause")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("suspected", "Suspected"),
                            ("verified", "Verified"),
                            ("ruled_out", "Ruled out"),
                        ],
                        default="suspected",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "verification_method",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="verification method"
                    ),
                ),
                (
                    "verification_evidence",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="verification evidence"
                    ),
                ),
                (
                    "verified_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="verified at"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="causes",
                        to="claims.claim",
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
                    "verified_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="verified by",
                    ),
                ),
            ],
            options={
                "verbose_name": "cause",
                "verbose_name_plural": "causes",
                "ordering": ["claim", "leg", "pk"],
                "indexes": [
                    models.Index(
                        fields=["claim", "leg", "status"], name="claims_caus_claim_i_3e8c89_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalTeamMember",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("champion", "Champion"),
                            ("leader", "Team leader"),
                            ("member", "Member"),
                            ("expert", "Subject-matter expert"),
                        ],
                        default="member",
                        max_length=10,
                        verbose_name="role",
                    ),
                ),
                (
                    "function",
                    models.CharField(
                        blank=True, max_length=120, verbose_name="function / department"
                    ),
                ),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
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
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="claims.claim",
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
            ],
            options={
                "verbose_name": "historical team member",
                "verbose_name_plural": "historical team members",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="TeamMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("champion", "Champion"),
                            ("leader", "Team leader"),
                            ("member", "Member"),
                            ("expert", "Subject-matter expert"),
                        ],
                        default="member",
                        max_length=10,
                        verbose_name="role",
                    ),
                ),
                (
                    "function",
                    models.CharField(
                        blank=True, max_length=120, verbose_name="function / department"
                    ),
                ),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="team_members",
                        to="claims.claim",
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
            ],
            options={
                "verbose_name": "team member",
                "verbose_name_plural": "team members",
                "ordering": ["claim", "pk"],
            },
        ),
        migrations.CreateModel(
            name="ClaimEscalation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "Reaction time exceeded"),
                            (2, "Twice the reaction time exceeded"),
                        ],
                        verbose_name="level",
                    ),
                ),
                ("due_at", models.DateTimeField(verbose_name="acknowledgement was due")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="escalated at"
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="escalations",
                        to="claims.claim",
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
            ],
            options={
                "verbose_name": "claim escalation",
                "verbose_name_plural": "claim escalations",
                "ordering": ["claim", "level"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("claim", "level"), name="claims_escalation_once"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ClaimComment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("body", models.TextField(max_length=10000, verbose_name="comment")),
                (
                    "internal",
                    models.BooleanField(
                        default=False, verbose_name="internal (hidden from the customer)"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="written"),
                ),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comments",
                        to="claims.claim",
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
            ],
            options={
                "verbose_name": "comment",
                "verbose_name_plural": "comments",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="ClaimEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action", models.CharField(max_length=40, verbose_name="action")),
                (
                    "step_code",
                    models.CharField(blank=True, max_length=2, verbose_name="discipline"),
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
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="claims.claim",
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
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["claim", "created_at"], name="claims_clai_claim_i_758cbe_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Containment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "location",
                    models.CharField(
                        choices=[
                            ("own_wip", "Own plant: work in progress"),
                            ("own_finished", "Own plant: finished goods"),
                            ("in_transit", "In transit"),
                            ("customer_stock", "Customer stock"),
                            ("service_stock", "Service / spare parts stock"),
                        ],
                        max_length=20,
                        verbose_name="location",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("active", "Active"),
                            ("removed", "Removed"),
                            ("not_applicable", "Not applicable"),
                        ],
                        default="active",
                        max_length=15,
                        verbose_name="status",
                    ),
                ),
                (
                    "not_applicable_reason",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="why not applicable"
                    ),
                ),
                (
                    "method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("sort", "Sort (100 % inspection)"),
                            ("rework", "Rework"),
                            ("scrap", "Scrap"),
                            ("hold", "Hold / block"),
                        ],
                        max_length=10,
                        verbose_name="method",
                    ),
                ),
                (
                    "qty_checked",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="quantity checked"
                    ),
                ),
                (
                    "qty_nonconforming",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="quantity found nonconforming"
                    ),
                ),
                (
                    "verification",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="verification of effectiveness"
                    ),
                ),
                (
                    "certified_marking",
                    models.CharField(
                        blank=True,
                        help_text="How the customer recognises parts shipped after containment (clean point).",
                        max_length=200,
                        verbose_name="marking of certified parts",
                    ),
                ),
                (
                    "responsible",
                    models.CharField(blank=True, max_length=120, verbose_name="responsible"),
                ),
                ("started_on", models.DateField(blank=True, null=True, verbose_name="started on")),
                (
                    "removed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="removed at"),
                ),
                (
                    "removal_note",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="why it could be removed"
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="containments",
                        to="claims.claim",
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
                    "removed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="removed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "containment",
                "verbose_name_plural": "containment",
                "ordering": ["claim", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("claim", "location"), name="claims_containment_one_per_location"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("qty_nonconforming__isnull", True),
                            ("qty_checked__isnull", True),
                            ("qty_nonconforming__lte", models.F("qty_checked")),
                            _connector="OR",
                        ),
                        name="claims_containment_found_le_checked",
                        violation_error_message="The quantity found nonconforming cannot exceed the quantity checked.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="CorrectiveAction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "verification",
                    models.TextField(
                        blank=True,
                        help_text="How the chosen action was shown to remove the cause (trial, test, study).",
                        max_length=10000,
                        verbose_name="verification before implementation",
                    ),
                ),
                (
                    "implemented_on",
                    models.DateField(blank=True, null=True, verbose_name="implemented on"),
                ),
                (
                    "validation",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="validation after implementation"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "action",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="claim_link",
                        to="core.action",
                    ),
                ),
                (
                    "causes",
                    models.ManyToManyField(
                        blank=True,
                        related_name="actions",
                        to="claims.cause",
                        verbose_name="causes removed",
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="corrective_actions",
                        to="claims.claim",
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
            ],
            options={
                "verbose_name": "corrective action",
                "verbose_name_plural": "corrective actions",
                "ordering": ["claim", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCause",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "leg",
                    models.CharField(
                        choices=[
                            ("occurrence", "Occurrence: why it was made"),
                            ("non_detection", "Non-detection: why it escaped"),
                            ("systemic", "Systemic: why the system allowed it"),
                        ],
                        max_length=15,
                        verbose_name="leg",
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("man", "Man"),
                            ("machine", "Machine"),
                            ("method", "Method"),
                            ("material", "Material"),
                            ("measurement", "Measurement"),
                            ("milieu", "Milieu (environment)"),
                        ],
                        max_length=15,
                        verbose_name="6M category",
                    ),
                ),
                ("description", models.TextField(max_length=10000, verbose_name="cause")),
                ("whys", models.JSONField(blank=True, default=list, verbose_name="5-Why chain")),
                ("is_root_cause", models.BooleanField(default=False, verbose_name="root cause")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("suspected", "Suspected"),
                            ("verified", "Verified"),
                            ("ruled_out", "Ruled out"),
                        ],
                        default="suspected",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "verification_method",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="verification method"
                    ),
                ),
                (
                    "verification_evidence",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="verification evidence"
                    ),
                ),
                (
                    "verified_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="verified at"),
                ),
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
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="claims.claim",
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
                    "verified_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="verified by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical cause",
                "verbose_name_plural": "historical causes",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalClaim",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(db_index=True, max_length=20, verbose_name="number")),
                ("part_revision", models.CharField(max_length=20, verbose_name="part revision")),
                (
                    "kind",
                    models.CharField(
                        choices=[("0km", "0 km"), ("field", "Field")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "customer_reference",
                    models.CharField(blank=True, max_length=100, verbose_name="customer reference"),
                ),
                (
                    "detection_location",
                    models.CharField(
                        choices=[
                            ("incoming_inspection", "Incoming inspection"),
                            ("line", "Assembly line"),
                            ("end_of_line", "End of line"),
                            ("field_dealer", "Field / dealer"),
                        ],
                        max_length=30,
                        verbose_name="detected at",
                    ),
                ),
                ("detection_date", models.DateField(verbose_name="detection date")),
                ("notified_at", models.DateTimeField(verbose_name="notified at")),
                ("symptom", models.TextField(max_length=10000, verbose_name="symptom")),
                (
                    "severity",
                    models.CharField(
                        choices=[
                            ("safety", "Safety"),
                            ("critical", "Critical"),
                            ("major", "Major"),
                            ("minor", "Minor"),
                        ],
                        max_length=10,
                        verbose_name="severity",
                    ),
                ),
                (
                    "suspect_qty",
                    models.PositiveIntegerField(default=0, verbose_name="suspect quantity"),
                ),
                (
                    "nonconforming_qty",
                    models.PositiveIntegerField(default=0, verbose_name="nonconforming quantity"),
                ),
                (
                    "ppm_qty",
                    models.PositiveIntegerField(default=0, verbose_name="quantity charged to ppm"),
                ),
                ("lot", models.CharField(blank=True, max_length=50, verbose_name="lot")),
                ("batch", models.CharField(blank=True, max_length=50, verbose_name="batch")),
                (
                    "serial",
                    models.CharField(blank=True, max_length=50, verbose_name="serial number"),
                ),
                (
                    "date_code",
                    models.CharField(blank=True, max_length=50, verbose_name="date code"),
                ),
                (
                    "production_date",
                    models.DateField(blank=True, null=True, verbose_name="production date"),
                ),
                (
                    "customer_contact",
                    models.CharField(blank=True, max_length=200, verbose_name="customer contact"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("acknowledged", "Acknowledged"),
                            ("under_review", "Under review"),
                            ("containment", "Containment"),
                            ("root_cause", "Root cause"),
                            ("corrective_action", "Corrective action"),
                            ("prevention", "Prevention"),
                            ("customer_evaluation", "Customer evaluation"),
                            ("closed", "Closed"),
                            ("rejected", "Rejected"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="draft",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "acknowledged_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="acknowledged at"),
                ),
                (
                    "reaction_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="containment (D3) submitted at"
                    ),
                ),
                (
                    "responsibility",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Not decided"),
                            ("accepted", "Accepted as ours"),
                            ("rejected", "Rejected"),
                        ],
                        default="",
                        max_length=10,
                        verbose_name="responsibility",
                    ),
                ),
                (
                    "rejection_code",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("not_our_responsibility", "Not our responsibility"),
                            ("no_fault_found", "No fault found"),
                            ("customer_induced", "Customer-induced"),
                        ],
                        max_length=30,
                        verbose_name="rejection reason code",
                    ),
                ),
                (
                    "rejection_reason",
                    models.TextField(blank=True, max_length=10000, verbose_name="rejection reason"),
                ),
                (
                    "closed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="closed at"),
                ),
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
                    "assigned_engineer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assigned engineer",
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
                        verbose_name="filed by",
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
                (
                    "defect_source",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("supplier_material", "Supplier / sub-supplier material"),
                            ("manufacturing", "Manufacturing (own process)"),
                            ("design", "Design"),
                            (
                                "logistics",
                                "Logistics (packaging, labelling, mixed parts, transport)",
                            ),
                            ("software", "Software"),
                            ("customer_induced", "Customer-induced / handling"),
                            ("no_fault_found", "No fault found"),
                        ],
                        max_length=20,
                        verbose_name="defect source",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical claim",
                "verbose_name_plural": "historical claims",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalClaimCostSheet",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("released", "Released to the customer"),
                            ("accepted", "Accepted by the customer"),
                            ("disputed", "Disputed by the customer"),
                        ],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "released_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="released at"),
                ),
                (
                    "customer_decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="customer decided at"),
                ),
                (
                    "dispute_reason",
                    models.TextField(blank=True, max_length=10000, verbose_name="dispute reason"),
                ),
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
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="claims.claim",
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
                    "customer_decided_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="customer decided by",
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
                    "released_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="released by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical cost sheet",
                "verbose_name_plural": "historical cost sheets",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalContainment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "location",
                    models.CharField(
                        choices=[
                            ("own_wip", "Own plant: work in progress"),
                            ("own_finished", "Own plant: finished goods"),
                            ("in_transit", "In transit"),
                            ("customer_stock", "Customer stock"),
                            ("service_stock", "Service / spare parts stock"),
                        ],
                        max_length=20,
                        verbose_name="location",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("active", "Active"),
                            ("removed", "Removed"),
                            ("not_applicable", "Not applicable"),
                        ],
                        default="active",
                        max_length=15,
                        verbose_name="status",
                    ),
                ),
                (
                    "not_applicable_reason",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="why not applicable"
                    ),
                ),
                (
                    "method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("sort", "Sort (100 % inspection)"),
                            ("rework", "Rework"),
                            ("scrap", "Scrap"),
                            ("hold", "Hold / block"),
                        ],
                        max_length=10,
                        verbose_name="method",
                    ),
                ),
                (
                    "qty_checked",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="quantity checked"
                    ),
                ),
                (
                    "qty_nonconforming",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="quantity found nonconforming"
                    ),
                ),
                (
                    "verification",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="verification of effectiveness"
                    ),
                ),
                (
                    "certified_marking",
                    models.CharField(
                        blank=True,
                        help_text="How the customer recognises parts shipped after containment (clean point).",
                        max_length=200,
                        verbose_name="marking of certified parts",
                    ),
                ),
                (
                    "responsible",
                    models.CharField(blank=True, max_length=120, verbose_name="responsible"),
                ),
                ("started_on", models.DateField(blank=True, null=True, verbose_name="started on")),
                (
                    "removed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="removed at"),
                ),
                (
                    "removal_note",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="why it could be removed"
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
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="claims.claim",
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
                    "removed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="removed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical containment",
                "verbose_name_plural": "historical containment",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCorrectiveAction",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "verification",
                    models.TextField(
                        blank=True,
                        help_text="How the chosen action was shown to remove the cause (trial, test, study).",
                        max_length=10000,
                        verbose_name="verification before implementation",
                    ),
                ),
                (
                    "implemented_on",
                    models.DateField(blank=True, null=True, verbose_name="implemented on"),
                ),
                (
                    "validation",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="validation after implementation"
                    ),
                ),
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
                    "action",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="core.action",
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="claims.claim",
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
            ],
            options={
                "verbose_name": "historical corrective action",
                "verbose_name_plural": "historical corrective actions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalEightDStep",
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
                        choices=[
                            ("D0", "D0 Prepare"),
                            ("D1", "D1 Team"),
                            ("D2", "D2 Problem description"),
                            ("D3", "D3 Interim containment"),
                            ("D4", "D4 Root cause"),
                            ("D5", "D5 Corrective actions chosen"),
                            ("D6", "D6 Corrective actions implemented"),
                            ("D7", "D7 Prevent recurrence"),
                            ("D8", "D8 Closure"),
                        ],
                        max_length=2,
                        verbose_name="discipline",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("approved", "Approved"),
                            ("sent_back", "Sent back"),
                        ],
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "content",
                    models.JSONField(blank=True, default=dict, verbose_name="structured content"),
                ),
                ("summary", models.TextField(blank=True, max_length=10000, verbose_name="summary")),
                (
                    "internal_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="internal note"),
                ),
                ("due_at", models.DateTimeField(blank=True, null=True, verbose_name="due")),
                (
                    "submitted_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="submitted at"),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
                (
                    "decision_comment",
                    models.TextField(blank=True, max_length=10000, verbose_name="decision comment"),
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
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="claims.claim",
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
                    "submitted_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="submitted by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 8D step",
                "verbose_name_plural": "historical 8D steps",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalReadAcross",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=[
                            ("part", "Similar part"),
                            ("line", "Line / machine"),
                            ("plant", "Plant"),
                            ("process", "Process / product family"),
                        ],
                        max_length=10,
                        verbose_name="scope",
                    ),
                ),
                ("subject", models.CharField(max_length=200, verbose_name="checked")),
                ("applicable", models.BooleanField(default=True, verbose_name="same risk present")),
                (
                    "measure",
                    models.TextField(blank=True, max_length=10000, verbose_name="measure taken"),
                ),
                (
                    "completed_on",
                    models.DateField(blank=True, null=True, verbose_name="completed on"),
                ),
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
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="claims.claim",
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
            ],
            options={
                "verbose_name": "historical read-across",
                "verbose_name_plural": "historical read-across",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ReadAcross",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=[
                            ("part", "Similar part"),
                            ("line", "Line / machine"),
                            ("plant", "Plant"),
                            ("process", "Process / product family"),
                        ],
                        max_length=10,
                        verbose_name="scope",
                    ),
                ),
                ("subject", models.CharField(max_length=200, verbose_name="checked")),
                ("applicable", models.BooleanField(default=True, verbose_name="same risk present")),
                (
                    "measure",
                    models.TextField(blank=True, max_length=10000, verbose_name="measure taken"),
                ),
                (
                    "completed_on",
                    models.DateField(blank=True, null=True, verbose_name="completed on"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="read_across",
                        to="claims.claim",
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
            ],
            options={
                "verbose_name": "read-across",
                "verbose_name_plural": "read-across",
                "ordering": ["claim", "pk"],
            },
        ),
        migrations.RunPython(
            code=deadline_reminder_schedule.create_schedule,
            reverse_code=deadline_reminder_schedule.remove_schedule,
        ),
        migrations.RunPython(
            code=escalation_schedule.create_schedule,
            reverse_code=escalation_schedule.remove_schedule,
        ),
    ]
