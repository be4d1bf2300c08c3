"""changes: migrations 0001 to 0004 in one, for new databases.

Each model is created as those migrations leave it, with its indexes and constraints. Their data
steps run last, from the replaced files, which stay for databases that applied only some of them
(those go on with the rest).
"""

from importlib import import_module

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# The data steps of the replaced migrations.
daily_schedules = import_module("changes.migrations.0002_daily_schedules")


class Migration(migrations.Migration):
    replaces = [
        ("changes", "0001_initial"),
        ("changes", "0002_daily_schedules"),
        ("changes", "0003_list_order_indexes"),
        ("changes", "0004_text_length_limits"),
    ]

    initial = True

    dependencies = [
        ("claims", "0007_record_versions"),
        ("claims", "0009_ppm_counted_indexes"),
        ("core", "0004_signature"),
        ("customers", "0003_requirements_for_changes_and_ppap"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeRequest",
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
                ("number", models.CharField(max_length=20, unique=True, verbose_name="number")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "change_type",
                    models.CharField(
                        choices=[
                            ("product", "Product / design"),
                            ("process", "Process"),
                            ("site", "Site"),
                            ("supplier", "Supplier"),
                            ("software", "Software"),
                            ("documentation", "Documentation"),
                        ],
                        max_length=20,
                        verbose_name="type",
                    ),
                ),
                (
                    "origin",
                    models.CharField(
                        choices=[
                            ("customer", "Customer"),
                            ("internal", "Internal"),
                            ("supplier", "Supplier"),
                        ],
                        max_length=20,
                        verbose_name="origin",
                    ),
                ),
                (
                    "reason",
                    models.TextField(max_length=10000, verbose_name="reason for the change"),
                ),
                (
                    "description_before",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="before (current state)"
                    ),
                ),
                (
                    "description_after",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="after (new state)"
                    ),
                ),
                ("impact_fit", models.BooleanField(default=False, verbose_name="Fit: affected")),
                (
                    "impact_fit_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="Fit: note"),
                ),
                ("impact_form", models.BooleanField(default=False, verbose_name="Form: affected")),
                (
                    "impact_form_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="Form: note"),
                ),
                (
                    "impact_function",
                    models.BooleanField(default=False, verbose_name="Function: affected"),
                ),
                (
                    "impact_function_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="Function: note"),
                ),
                (
                    "impact_performance",
                    models.BooleanField(default=False, verbose_name="Performance: affected"),
                ),
                (
                    "impact_performance_note",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="Performance: note"
                    ),
                ),
                (
                    "impact_durability",
                    models.BooleanField(default=False, verbose_name="Durability: affected"),
                ),
                (
                    "impact_durability_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="Durability: note"),
                ),
                (
                    "impact_special_characteristics",
                    models.BooleanField(
                        default=False, verbose_name="Special characteristics: affected"
                    ),
                ),
                (
                    "impact_special_characteristics_note",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="Special characteristics: note"
                    ),
                ),
                (
                    "impact_safety",
                    models.BooleanField(
                        default=False, verbose_name="Safety / regulatory: affected"
                    ),
                ),
                (
                    "impact_safety_note",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="Safety / regulatory: note"
                    ),
                ),
                (
                    "impact_material_compliance",
                    models.BooleanField(
                        default=False, verbose_name="Material compliance: affected"
                    ),
                ),
                (
                    "impact_material_compliance_note",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="Material compliance: note"
                    ),
                ),
                (
                    "risk_reference",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="risk / FMEA reference"
                    ),
                ),
                (
                    "cost_amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=12,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="estimated cost",
                    ),
                ),
                (
                    "cost_currency",
                    models.CharField(default="EUR", max_length=3, verbose_name="currency"),
                ),
                (
                    "customer_approval_required",
                    models.BooleanField(default=True, verbose_name="customer approval required"),
                ),
                (
                    "customer_approval_basis",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Not stated"),
                            ("csr", "Customer-specific requirements"),
                            ("ppap_manual", "PPAP manual"),
                            ("contract", "Contract / supply agreement"),
                            ("other", "Other"),
                        ],
                        default="",
                        max_length=20,
                        verbose_name="basis of the customer approval",
                    ),
                ),
                ("ppap_required", models.BooleanField(default=False, verbose_name="PPAP required")),
                (
                    "ppap_level",
                    models.PositiveSmallIntegerField(
                        blank=True,
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
                        null=True,
                        verbose_name="PPAP level",
                    ),
                ),
                (
                    "psw_reason",
                    models.CharField(
                        blank=True,
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
                        verbose_name="PSW reason for submission",
                    ),
                ),
                (
                    "tooling_inactive_months",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="How long the tooling has not been used; 12 months or more suggests a PPAP.",
                        null=True,
                        verbose_name="tooling inactive (months)",
                    ),
                ),
                (
                    "tooling_transfer",
                    models.BooleanField(
                        default=False,
                        help_text="For a site change: the existing tooling moves to the new site.",
                        verbose_name="tooling transferred",
                    ),
                ),
                (
                    "validation_plan",
                    models.TextField(blank=True, max_length=10000, verbose_name="validation plan"),
                ),
                (
                    "validation_results",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="validation results"
                    ),
                ),
                (
                    "effectivity_date",
                    models.DateField(blank=True, null=True, verbose_name="effectivity date"),
                ),
                (
                    "break_point",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="planned serial / lot break point"
                    ),
                ),
                (
                    "interchangeability",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("interchangeable", "Interchangeable"),
                            ("not_interchangeable", "Not interchangeable"),
                            ("one_way", "One-way (new replaces old, not vice versa)"),
                        ],
                        max_length=30,
                        verbose_name="interchangeability",
                    ),
                ),
                (
                    "sw_revision_old",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="software revision (old)"
                    ),
                ),
                (
                    "sw_revision_new",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="software revision (new)"
                    ),
                ),
                (
                    "hw_revision_old",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="hardware revision (old)"
                    ),
                ),
                (
                    "hw_revision_new",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="hardware revision (new)"
                    ),
                ),
                (
                    "internal_notes",
                    models.TextField(blank=True, max_length=10000, verbose_name="internal notes"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("impact_assessment", "Impact assessment"),
                            ("review_board", "Review board"),
                            ("customer_approval", "Customer approval pending"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                            ("deferred", "Deferred"),
                            ("released", "ECN released"),
                            ("validated", "Validated"),
                            ("implemented", "Implemented"),
                            ("closed", "Closed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="draft",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "decision_reason",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="reason of the board's decision"
                    ),
                ),
                (
                    "deferred_until",
                    models.DateField(blank=True, null=True, verbose_name="deferred until"),
                ),
                (
                    "customer_notified_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="customer notified"),
                ),
                (
                    "customer_decision",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Not decided"),
                            ("approved", "Approved by the customer"),
                            ("rejected", "Rejected by the customer"),
                            ("waived", "Approval waived (documented)"),
                        ],
                        default="",
                        max_length=10,
                        verbose_name="customer decision",
                    ),
                ),
                (
                    "customer_decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="customer decided"),
                ),
                (
                    "customer_comment",
                    models.TextField(blank=True, max_length=10000, verbose_name="customer comment"),
                ),
                (
                    "waiver_by",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="waived by (customer side)"
                    ),
                ),
                (
                    "waiver_basis",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="basis of the waiver"
                    ),
                ),
                (
                    "waiver_date",
                    models.DateField(blank=True, null=True, verbose_name="waiver date"),
                ),
                (
                    "waiver_reference",
                    models.CharField(blank=True, max_length=200, verbose_name="waiver reference"),
                ),
                (
                    "released_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="ECN released"),
                ),
                (
                    "validated_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="validated"),
                ),
                (
                    "implemented_on",
                    models.DateField(blank=True, null=True, verbose_name="implemented on"),
                ),
                (
                    "implemented_break_point",
                    models.CharField(
                        blank=True,
                        max_length=100,
                        verbose_name="break point reached (serial / lot)",
                    ),
                ),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="raised by",
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
                        verbose_name="decided by",
                    ),
                ),
            ],
            options={
                "verbose_name": "change request",
                "verbose_name_plural": "change requests",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["customer", "status"], name="changes_cha_custome_c78348_idx"
                    ),
                    models.Index(
                        fields=["status", "customer_notified_at"],
                        name="changes_cha_status_3fc12b_idx",
                    ),
                    models.Index(fields=["created_at", "id"], name="change_newest"),
                    models.Index(
                        fields=["customer", "created_at", "id"], name="change_cust_newest"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ChangeReminderLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sent_on", models.DateField()),
                (
                    "change",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="changes.changerequest",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("change", "sent_on"), name="changes_remind_once_a_day"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ChangeApprover",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "function",
                    models.CharField(
                        choices=[
                            ("quality", "Quality"),
                            ("engineering", "Engineering"),
                            ("production", "Production"),
                            ("logistics", "Logistics"),
                            ("purchasing", "Purchasing"),
                            ("sales", "Sales"),
                        ],
                        max_length=20,
                        verbose_name="function",
                    ),
                ),
                (
                    "approved_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="approved"),
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
                    "signature",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.signature",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="approver",
                    ),
                ),
                (
                    "change",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="approvers",
                        to="changes.changerequest",
                    ),
                ),
            ],
            options={
                "verbose_name": "review board approver",
                "verbose_name_plural": "review board approvers",
                "ordering": ["pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("change", "user"), name="changes_approver_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="AffectedPart",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "current_revision",
                    models.CharField(max_length=20, verbose_name="current revision"),
                ),
                ("new_revision", models.CharField(max_length=20, verbose_name="new revision")),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.customer",
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
                    "change",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="parts",
                        to="changes.changerequest",
                    ),
                ),
            ],
            options={
                "verbose_name": "affected part",
                "verbose_name_plural": "affected parts",
                "ordering": ["pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("change", "part"), name="changes_affected_part_once"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="AffectedDocument",
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
                        choices=[
                            ("drawing", "Drawing"),
                            ("spec", "Specification"),
                            ("dfmea", "DFMEA"),
                            ("pfmea", "PFMEA"),
                            ("control_plan", "Control plan"),
                            ("work_instruction", "Work instruction"),
                            ("gauge", "Gauge"),
                            ("packaging", "Packaging"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("identifier", models.CharField(max_length=100, verbose_name="identifier")),
                (
                    "current_revision",
                    models.CharField(blank=True, max_length=20, verbose_name="current revision"),
                ),
                (
                    "new_revision",
                    models.CharField(blank=True, max_length=20, verbose_name="new revision"),
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
                    "change",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="documents",
                        to="changes.changerequest",
                    ),
                ),
            ],
            options={
                "verbose_name": "affected document",
                "verbose_name_plural": "affected documents",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="Deviation",
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
                ("number", models.CharField(max_length=20, unique=True, verbose_name="number")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("deviation", "Deviation (planned, before production)"),
                            ("concession", "Concession (product already made)"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("requested", "Requested"),
                            ("approved", "Approved (active)"),
                            ("rejected", "Rejected"),
                            ("expired", "Expired"),
                            ("exhausted", "Exhausted"),
                            ("closed", "Closed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="draft",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "lots",
                    models.TextField(
                        blank=True,
                        help_text="One lot or batch number per line.",
                        max_length=5000,
                        verbose_name="lots / batches",
                    ),
                ),
                (
                    "quantity_cap",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="The most parts that may be shipped under it.",
                        null=True,
                        verbose_name="quantity cap",
                    ),
                ),
                (
                    "expires_on",
                    models.DateField(
                        blank=True,
                        help_text="Last day of shipping under it.",
                        null=True,
                        verbose_name="expiry date",
                    ),
                ),
                (
                    "quantity_shipped",
                    models.PositiveIntegerField(default=0, verbose_name="quantity shipped"),
                ),
                (
                    "specification",
                    models.TextField(max_length=10000, verbose_name="approved specification"),
                ),
                (
                    "actual",
                    models.TextField(
                        max_length=10000, verbose_name="actual condition (how the product differs)"
                    ),
                ),
                ("reason", models.TextField(max_length=10000, verbose_name="reason")),
                (
                    "risk_assessment",
                    models.TextField(max_length=10000, verbose_name="risk assessment"),
                ),
                (
                    "identification",
                    models.TextField(
                        help_text="How parts shipped under it are labelled and kept apart (labelling rule).",
                        max_length=10000,
                        verbose_name="identification of shipped parts",
                    ),
                ),
                (
                    "customer_authorisation",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="customer authorisation number"
                    ),
                ),
                (
                    "internal_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="internal note"),
                ),
                (
                    "requested_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="requested at"),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
                (
                    "decision_comment",
                    models.TextField(blank=True, max_length=10000, verbose_name="decision comment"),
                ),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="ended at")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "change_request",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deviations",
                        to="changes.changerequest",
                        verbose_name="change request",
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
                    "originating_claim",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="claims.claim",
                        verbose_name="originating claim",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="owned_deviations",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="owner",
                    ),
                ),
                (
                    "parts",
                    models.ManyToManyField(
                        related_name="deviations",
                        to="customers.part",
                        verbose_name="affected parts",
                    ),
                ),
            ],
            options={
                "verbose_name": "deviation / concession",
                "verbose_name_plural": "deviations and concessions",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["customer", "status"], name="changes_dev_custome_67e0b1_idx"
                    ),
                    models.Index(
                        fields=["status", "expires_on"], name="changes_dev_status_9c9625_idx"
                    ),
                    models.Index(fields=["created_at", "id"], name="deviation_newest"),
                    models.Index(
                        fields=["customer", "created_at", "id"], name="deviation_cust_newest"
                    ),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("quantity_cap__isnull", False),
                            ("expires_on__isnull", False),
                            _connector="OR",
                        ),
                        name="changes_deviation_limited",
                        violation_error_message="Give a quantity cap, an expiry date or both.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("quantity_cap__isnull", True), ("quantity_cap__gt", 0), _connector="OR"
                        ),
                        name="changes_deviation_cap_positive",
                        violation_error_message="The quantity cap must be at least 1.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("quantity_cap__isnull", True),
                            ("quantity_shipped__lte", models.F("quantity_cap")),
                            _connector="OR",
                        ),
                        name="changes_deviation_shipped_within_cap",
                        violation_error_message="More parts were shipped than the cap allows.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="DeviationReminderLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sent_on", models.DateField()),
                (
                    "deviation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="changes.deviation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("deviation", "sent_on"),
                        name="changes_deviation_reminder_once_a_day",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAffectedDocument",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("drawing", "Drawing"),
                            ("spec", "Specification"),
                            ("dfmea", "DFMEA"),
                            ("pfmea", "PFMEA"),
                            ("control_plan", "Control plan"),
                            ("work_instruction", "Work instruction"),
                            ("gauge", "Gauge"),
                            ("packaging", "Packaging"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("identifier", models.CharField(max_length=100, verbose_name="identifier")),
                (
                    "current_revision",
                    models.CharField(blank=True, max_length=20, verbose_name="current revision"),
                ),
                (
                    "new_revision",
                    models.CharField(blank=True, max_length=20, verbose_name="new revision"),
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
                "verbose_name": "historical affected document",
                "verbose_name_plural": "historical affected documents",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalAffectedPart",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "current_revision",
                    models.CharField(max_length=20, verbose_name="current revision"),
                ),
                ("new_revision", models.CharField(max_length=20, verbose_name="new revision")),
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
                "verbose_name": "historical affected part",
                "verbose_name_plural": "historical affected parts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalChangeApprover",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "function",
                    models.CharField(
                        choices=[
                            ("quality", "Quality"),
                            ("engineering", "Engineering"),
                            ("production", "Production"),
                            ("logistics", "Logistics"),
                            ("purchasing", "Purchasing"),
                            ("sales", "Sales"),
                        ],
                        max_length=20,
                        verbose_name="function",
                    ),
                ),
                (
                    "approved_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="approved"),
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
                    "signature",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="core.signature",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="approver",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical review board approver",
                "verbose_name_plural": "historical review board approvers",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDeviation",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(db_index=True, max_length=20, verbose_name="number")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("deviation", "Deviation (planned, before production)"),
                            ("concession", "Concession (product already made)"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("requested", "Requested"),
                            ("approved", "Approved (active)"),
                            ("rejected", "Rejected"),
                            ("expired", "Expired"),
                            ("exhausted", "Exhausted"),
                            ("closed", "Closed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="draft",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "lots",
                    models.TextField(
                        blank=True,
                        help_text="One lot or batch number per line.",
                        max_length=5000,
                        verbose_name="lots / batches",
                    ),
                ),
                (
                    "quantity_cap",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="The most parts that may be shipped under it.",
                        null=True,
                        verbose_name="quantity cap",
                    ),
                ),
                (
                    "expires_on",
                    models.DateField(
                        blank=True,
                        help_text="Last day of shipping under it.",
                        null=True,
                        verbose_name="expiry date",
                    ),
                ),
                (
                    "quantity_shipped",
                    models.PositiveIntegerField(default=0, verbose_name="quantity shipped"),
                ),
                (
                    "specification",
                    models.TextField(max_length=10000, verbose_name="approved specification"),
                ),
                (
                    "actual",
                    models.TextField(
                        max_length=10000, verbose_name="actual condition (how the product differs)"
                    ),
                ),
                ("reason", models.TextField(max_length=10000, verbose_name="reason")),
                (
                    "risk_assessment",
                    models.TextField(max_length=10000, verbose_name="risk assessment"),
                ),
                (
                    "identification",
                    models.TextField(
                        help_text="How parts shipped under it are labelled and kept apart (labelling rule).",
                        max_length=10000,
                        verbose_name="identification of shipped parts",
                    ),
                ),
                (
                    "customer_authorisation",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="customer authorisation number"
                    ),
                ),
                (
                    "internal_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="internal note"),
                ),
                (
                    "requested_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="requested at"),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
                (
                    "decision_comment",
                    models.TextField(blank=True, max_length=10000, verbose_name="decision comment"),
                ),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="ended at")),
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
                    "change_request",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="changes.changerequest",
                        verbose_name="change request",
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
                    "originating_claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="claims.claim",
                        verbose_name="originating claim",
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
            ],
            options={
                "verbose_name": "historical deviation / concession",
                "verbose_name_plural": "historical deviations and concessions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDeviation_parts",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "deviation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="changes.deviation",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="changes.historicaldeviation",
                    ),
                ),
                (
                    "part",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="customers.part",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalDeviation_parts",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalStockDisposition",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("location", models.CharField(max_length=100, verbose_name="location")),
                ("quantity", models.PositiveIntegerField(verbose_name="quantity")),
                (
                    "disposition",
                    models.CharField(
                        choices=[
                            ("use_up", "Use up"),
                            ("rework", "Rework"),
                            ("scrap", "Scrap"),
                            ("return", "Return"),
                            ("use_as_is", "Use as is"),
                        ],
                        max_length=20,
                        verbose_name="disposition",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
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
                "verbose_name": "historical stock disposition",
                "verbose_name_plural": "historical stock dispositions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="StockDisposition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("location", models.CharField(max_length=100, verbose_name="location")),
                ("quantity", models.PositiveIntegerField(verbose_name="quantity")),
                (
                    "disposition",
                    models.CharField(
                        choices=[
                            ("use_up", "Use up"),
                            ("rework", "Rework"),
                            ("scrap", "Scrap"),
                            ("return", "Return"),
                            ("use_as_is", "Use as is"),
                        ],
                        max_length=20,
                        verbose_name="disposition",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                (
                    "change",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="dispositions",
                        to="changes.changerequest",
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
                "verbose_name": "stock disposition",
                "verbose_name_plural": "stock dispositions",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="ChangeAssessor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "function",
                    models.CharField(
                        choices=[
                            ("quality", "Quality"),
                            ("engineering", "Engineering"),
                            ("production", "Production"),
                            ("logistics", "Logistics"),
                            ("purchasing", "Purchasing"),
                            ("sales", "Sales"),
                        ],
                        max_length=20,
                        verbose_name="function",
                    ),
                ),
                (
                    "assessment",
                    models.TextField(blank=True, max_length=10000, verbose_name="assessment"),
                ),
                (
                    "internal_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="internal note"),
                ),
                (
                    "assessed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="assessed"),
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
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assessor",
                    ),
                ),
                (
                    "change",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assessors",
                        to="changes.changerequest",
                    ),
                ),
            ],
            options={
                "verbose_name": "assessor",
                "verbose_name_plural": "assessors",
                "ordering": ["pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("change", "function"), name="changes_assessor_one_per_function"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ChangeEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action", models.CharField(max_length=40, verbose_name="action")),
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
                    "change",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="changes.changerequest",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["change", "created_at"], name="changes_cha_change__0a6113_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DeviationEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action", models.CharField(max_length=20, verbose_name="action")),
                ("from_status", models.CharField(blank=True, max_length=12, verbose_name="from")),
                ("to_status", models.CharField(blank=True, max_length=12, verbose_name="to")),
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
                    "deviation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="changes.deviation",
                    ),
                ),
            ],
            options={
                "verbose_name": "deviation event",
                "verbose_name_plural": "deviation events",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["deviation", "created_at"], name="changes_dev_deviati_dab63b_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DeviationShipment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("shipped_on", models.DateField(verbose_name="shipped on")),
                ("quantity", models.PositiveIntegerField(verbose_name="quantity")),
                ("lot", models.CharField(blank=True, max_length=100, verbose_name="lot / batch")),
                (
                    "shipping_reference",
                    models.CharField(
                        max_length=100, verbose_name="delivery note / shipping reference"
                    ),
                ),
                ("note", models.TextField(blank=True, max_length=10000, verbose_name="note")),
                (
                    "recorded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="recorded at"
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
                    "deviation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="shipments",
                        to="changes.deviation",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "shipment under deviation",
                "verbose_name_plural": "shipments under deviation",
                "ordering": ["-shipped_on", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("quantity__gt", 0)),
                        name="changes_deviation_shipment_quantity_positive",
                        violation_error_message="Ship at least one part.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalChangeAssessor",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "function",
                    models.CharField(
                        choices=[
                            ("quality", "Quality"),
                            ("engineering", "Engineering"),
                            ("production", "Production"),
                            ("logistics", "Logistics"),
                            ("purchasing", "Purchasing"),
                            ("sales", "Sales"),
                        ],
                        max_length=20,
                        verbose_name="function",
                    ),
                ),
                (
                    "assessment",
                    models.TextField(blank=True, max_length=10000, verbose_name="assessment"),
                ),
                (
                    "internal_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="internal note"),
                ),
                (
                    "assessed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="assessed"),
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
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assessor",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical assessor",
                "verbose_name_plural": "historical assessors",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalChangeRequest",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(db_index=True, max_length=20, verbose_name="number")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "change_type",
                    models.CharField(
                        choices=[
                            ("product", "Product / design"),
                            ("process", "Process"),
                            ("site", "Site"),
                            ("supplier", "Supplier"),
                            ("software", "Software"),
                            ("documentation", "Documentation"),
                        ],
                        max_length=20,
                        verbose_name="type",
                    ),
                ),
                (
                    "origin",
                    models.CharField(
                        choices=[
                            ("customer", "Customer"),
                            ("internal", "Internal"),
                            ("supplier", "Supplier"),
                        ],
                        max_length=20,
                        verbose_name="origin",
                    ),
                ),
                (
                    "reason",
                    models.TextField(max_length=10000, verbose_name="reason for the change"),
                ),
                (
                    "description_before",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="before (current state)"
                    ),
                ),
                (
                    "description_after",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="after (new state)"
                    ),
                ),
                ("impact_fit", models.BooleanField(default=False, verbose_name="Fit: affected")),
                (
                    "impact_fit_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="Fit: note"),
                ),
                ("impact_form", models.BooleanField(default=False, verbose_name="Form: affected")),
                (
                    "impact_form_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="Form: note"),
                ),
                (
                    "impact_function",
                    models.BooleanField(default=False, verbose_name="Function: affected"),
                ),
                (
                    "impact_function_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="Function: note"),
                ),
                (
                    "impact_performance",
                    models.BooleanField(default=False, verbose_name="Performance: affected"),
                ),
                (
                    "impact_performance_note",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="Performance: note"
                    ),
                ),
                (
                    "impact_durability",
                    models.BooleanField(default=False, verbose_name="Durability: affected"),
                ),
                (
                    "impact_durability_note",
                    models.TextField(blank=True, max_length=10000, verbose_name="Durability: note"),
                ),
                (
                    "impact_special_characteristics",
                    models.BooleanField(
                        default=False, verbose_name="Special characteristics: affected"
                    ),
                ),
                (
                    "impact_special_characteristics_note",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="Special characteristics: note"
                    ),
                ),
                (
                    "impact_safety",
                    models.BooleanField(
                        default=False, verbose_name="Safety / regulatory: affected"
                    ),
                ),
                (
                    "impact_safety_note",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="Safety / regulatory: note"
                    ),
                ),
                (
                    "impact_material_compliance",
                    models.BooleanField(
                        default=False, verbose_name="Material compliance: affected"
                    ),
                ),
                (
                    "impact_material_compliance_note",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="Material compliance: note"
                    ),
                ),
                (
                    "risk_reference",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="risk / FMEA reference"
                    ),
                ),
                (
                    "cost_amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=12,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="estimated cost",
                    ),
                ),
                (
                    "cost_currency",
                    models.CharField(default="EUR", max_length=3, verbose_name="currency"),
                ),
                (
                    "customer_approval_required",
                    models.BooleanField(default=True, verbose_name="customer approval required"),
                ),
                (
                    "customer_approval_basis",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Not stated"),
                            ("csr", "Customer-specific requirements"),
                            ("ppap_manual", "PPAP manual"),
                            ("contract", "Contract / supply agreement"),
                            ("other", "Other"),
                        ],
                        default="",
                        max_length=20,
                        verbose_name="basis of the customer approval",
                    ),
                ),
                ("ppap_required", models.BooleanField(default=False, verbose_name="PPAP required")),
                (
                    "ppap_level",
                    models.PositiveSmallIntegerField(
                        blank=True,
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
                        null=True,
                        verbose_name="PPAP level",
                    ),
                ),
                (
                    "psw_reason",
                    models.CharField(
                        blank=True,
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
                        verbose_name="PSW reason for submission",
                    ),
                ),
                (
                    "tooling_inactive_months",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="How long the tooling has not been used; 12 months or more suggests a PPAP.",
                        null=True,
                        verbose_name="tooling inactive (months)",
                    ),
                ),
                (
                    "tooling_transfer",
                    models.BooleanField(
                        default=False,
                        help_text="For a site change: the existing tooling moves to the new site.",
                        verbose_name="tooling transferred",
                    ),
                ),
                (
                    "validation_plan",
                    models.TextField(blank=True, max_length=10000, verbose_name="validation plan"),
                ),
                (
                    "validation_results",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="validation results"
                    ),
                ),
                (
                    "effectivity_date",
                    models.DateField(blank=True, null=True, verbose_name="effectivity date"),
                ),
                (
                    "break_point",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="planned serial / lot break point"
                    ),
                ),
                (
                    "interchangeability",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("interchangeable", "Interchangeable"),
                            ("not_interchangeable", "Not interchangeable"),
                            ("one_way", "One-way (new replaces old, not vice versa)"),
                        ],
                        max_length=30,
                        verbose_name="interchangeability",
                    ),
                ),
                (
                    "sw_revision_old",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="software revision (old)"
                    ),
                ),
                (
                    "sw_revision_new",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="software revision (new)"
                    ),
                ),
                (
                    "hw_revision_old",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="hardware revision (old)"
                    ),
                ),
                (
                    "hw_revision_new",
                    models.CharField(
                        blank=True, max_length=50, verbose_name="hardware revision (new)"
                    ),
                ),
                (
                    "internal_notes",
                    models.TextField(blank=True, max_length=10000, verbose_name="internal notes"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("impact_assessment", "Impact assessment"),
                            ("review_board", "Review board"),
                            ("customer_approval", "Customer approval pending"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                            ("deferred", "Deferred"),
                            ("released", "ECN released"),
                            ("validated", "Validated"),
                            ("implemented", "Implemented"),
                            ("closed", "Closed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="draft",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "decision_reason",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="reason of the board's decision"
                    ),
                ),
                (
                    "deferred_until",
                    models.DateField(blank=True, null=True, verbose_name="deferred until"),
                ),
                (
                    "customer_notified_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="customer notified"),
                ),
                (
                    "customer_decision",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Not decided"),
                            ("approved", "Approved by the customer"),
                            ("rejected", "Rejected by the customer"),
                            ("waived", "Approval waived (documented)"),
                        ],
                        default="",
                        max_length=10,
                        verbose_name="customer decision",
                    ),
                ),
                (
                    "customer_decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="customer decided"),
                ),
                (
                    "customer_comment",
                    models.TextField(blank=True, max_length=10000, verbose_name="customer comment"),
                ),
                (
                    "waiver_by",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="waived by (customer side)"
                    ),
                ),
                (
                    "waiver_basis",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="basis of the waiver"
                    ),
                ),
                (
                    "waiver_date",
                    models.DateField(blank=True, null=True, verbose_name="waiver date"),
                ),
                (
                    "waiver_reference",
                    models.CharField(blank=True, max_length=200, verbose_name="waiver reference"),
                ),
                (
                    "released_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="ECN released"),
                ),
                (
                    "validated_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="validated"),
                ),
                (
                    "implemented_on",
                    models.DateField(blank=True, null=True, verbose_name="implemented on"),
                ),
                (
                    "implemented_break_point",
                    models.CharField(
                        blank=True,
                        max_length=100,
                        verbose_name="break point reached (serial / lot)",
                    ),
                ),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed")),
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
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="raised by",
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
            ],
            options={
                "verbose_name": "historical change request",
                "verbose_name_plural": "historical change requests",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDeviationShipment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("shipped_on", models.DateField(verbose_name="shipped on")),
                ("quantity", models.PositiveIntegerField(verbose_name="quantity")),
                ("lot", models.CharField(blank=True, max_length=100, verbose_name="lot / batch")),
                (
                    "shipping_reference",
                    models.CharField(
                        max_length=100, verbose_name="delivery note / shipping reference"
                    ),
                ),
                ("note", models.TextField(blank=True, max_length=10000, verbose_name="note")),
                (
                    "recorded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="recorded at"
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
                    "deviation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="changes.deviation",
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
                    "recorded_by",
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
                "verbose_name": "historical shipment under deviation",
                "verbose_name_plural": "historical shipments under deviation",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(
            code=daily_schedules.create_schedules,
            reverse_code=daily_schedules.remove_schedules,
        ),
    ]
