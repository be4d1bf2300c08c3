"""audits: migrations 0001 to 0004 in one, for new databases.

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
escalation_schedule = import_module("audits.migrations.0002_escalation_schedule")


class Migration(migrations.Migration):
    replaces = [
        ("audits", "0001_initial"),
        ("audits", "0002_escalation_schedule"),
        ("audits", "0003_list_order_indexes"),
        ("audits", "0004_text_length_limits"),
    ]

    initial = True

    dependencies = [
        ("customers", "0003_requirements_for_changes_and_ppap"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditProgramme",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="year")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("notes", models.TextField(blank=True, max_length=10000, verbose_name="notes")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "audit programme",
                "verbose_name_plural": "audit programmes",
                "ordering": ["-year"],
            },
        ),
        migrations.CreateModel(
            name="Catalogue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("version", models.CharField(max_length=20, verbose_name="version")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("iso9001", "ISO 9001 system audit"),
                            ("vda63", "VDA 6.3 process audit"),
                            ("vda65", "VDA 6.5 product audit"),
                            ("other", "Other"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("notes", models.TextField(blank=True, max_length=10000, verbose_name="notes")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
            ],
            options={
                "verbose_name": "question catalogue",
                "verbose_name_plural": "question catalogues",
                "ordering": ["name", "-created_at"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("name", "version"),
                        name="audits_catalogue_unique_version",
                        violation_error_message="This catalogue version exists already.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Audit",
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
                    "type",
                    models.CharField(
                        choices=[
                            ("system", "System audit (ISO 9001)"),
                            ("process", "Manufacturing process audit (VDA 6.3)"),
                            ("product", "Product audit (VDA 6.5)"),
                            ("customer", "Customer audit received"),
                            ("certification", "Certification audit"),
                        ],
                        max_length=20,
                        verbose_name="type",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("scope", models.TextField(blank=True, verbose_name="scope")),
                (
                    "shifts_audited",
                    models.JSONField(blank=True, default=list, verbose_name="shifts audited"),
                ),
                (
                    "process_steps",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="P6 questions are scored once per process step.",
                        verbose_name="process steps",
                    ),
                ),
                ("planned_date", models.DateField(verbose_name="planned date")),
                (
                    "external_auditors",
                    models.CharField(
                        blank=True,
                        help_text="The customer's or the certification body's auditors.",
                        max_length=300,
                        verbose_name="external auditors",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("planned", "Planned"),
                            ("in_preparation", "In preparation"),
                            ("in_progress", "In progress"),
                            ("report_draft", "Report draft"),
                            ("closed", "Report approved, closed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="planned",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("summary", models.TextField(blank=True, verbose_name="report summary")),
                (
                    "result_percent",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=5,
                        null=True,
                        verbose_name="result (%)",
                    ),
                ),
                ("grade", models.CharField(blank=True, max_length=1, verbose_name="grade")),
                (
                    "downgrade_reasons",
                    models.JSONField(blank=True, default=list, verbose_name="downgrade reasons"),
                ),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="started")),
                (
                    "approved_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="report approved"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "approved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="approved by",
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
                        blank=True,
                        help_text="The auditing customer: customer audits only.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "lead_auditor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="lead auditor",
                    ),
                ),
                (
                    "part",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.part",
                        verbose_name="product audited",
                    ),
                ),
                (
                    "team",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="audit team",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="audits",
                        to="audits.auditprogramme",
                        verbose_name="programme",
                    ),
                ),
                (
                    "catalogue",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="audits",
                        to="audits.catalogue",
                        verbose_name="question catalogue",
                    ),
                ),
            ],
            options={
                "verbose_name": "audit",
                "verbose_name_plural": "audits",
                "ordering": ["-planned_date", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["status", "planned_date"], name="audits_audi_status_8d32cd_idx"
                    ),
                    models.Index(
                        fields=["customer", "status"], name="audits_audi_custome_fbe647_idx"
                    ),
                    models.Index(fields=["planned_date", "id"], name="audit_planned"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("customer__isnull", False), ("type", "customer")),
                            models.Q(
                                models.Q(("type", "customer"), _negated=True),
                                ("customer__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="audits_audit_customer_iff_customer_audit",
                        violation_error_message="A customer audit names the customer; other audits name none.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAudit",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("number", models.CharField(db_index=True, max_length=20, verbose_name="number")),
                (
                    "type",
                    models.CharField(
                        choices=[
                            ("system", "System audit (ISO 9001)"),
                            ("process", "Manufacturing process audit (VDA 6.3)"),
                            ("product", "Product audit (VDA 6.5)"),
                            ("customer", "Customer audit received"),
                            ("certification", "Certification audit"),
                        ],
                        max_length=20,
                        verbose_name="type",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("scope", models.TextField(blank=True, verbose_name="scope")),
                (
                    "shifts_audited",
                    models.JSONField(blank=True, default=list, verbose_name="shifts audited"),
                ),
                (
                    "process_steps",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="P6 questions are scored once per process step.",
                        verbose_name="process steps",
                    ),
                ),
                ("planned_date", models.DateField(verbose_name="planned date")),
                (
                    "external_auditors",
                    models.CharField(
                        blank=True,
                        help_text="The customer's or the certification body's auditors.",
                        max_length=300,
                        verbose_name="external auditors",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("planned", "Planned"),
                            ("in_preparation", "In preparation"),
                            ("in_progress", "In progress"),
                            ("report_draft", "Report draft"),
                            ("closed", "Report approved, closed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="planned",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("summary", models.TextField(blank=True, verbose_name="report summary")),
                (
                    "result_percent",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=5,
                        null=True,
                        verbose_name="result (%)",
                    ),
                ),
                ("grade", models.CharField(blank=True, max_length=1, verbose_name="grade")),
                (
                    "downgrade_reasons",
                    models.JSONField(blank=True, default=list, verbose_name="downgrade reasons"),
                ),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="started")),
                (
                    "approved_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="report approved"),
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
                    "approved_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="approved by",
                    ),
                ),
                (
                    "catalogue",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="audits.catalogue",
                        verbose_name="question catalogue",
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
                        help_text="The auditing customer: customer audits only.",
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
                    "lead_auditor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="lead auditor",
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
                        verbose_name="product audited",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="audits.auditprogramme",
                        verbose_name="programme",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical audit",
                "verbose_name_plural": "historical audits",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalAudit_team",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "audit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="audits.audit",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="audits.historicalaudit",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalAudit_team",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalProcess",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "shifts",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="1, 2 or 3 shifts a day.",
                        verbose_name="shifts it runs on",
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
                "verbose_name": "historical process",
                "verbose_name_plural": "historical processes",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Process",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "shifts",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="1, 2 or 3 shifts a day.",
                        verbose_name="shifts it runs on",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "parts",
                    models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="customers.part",
                        verbose_name="parts it makes",
                    ),
                ),
                (
                    "plant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.plant",
                        verbose_name="plant",
                    ),
                ),
                (
                    "responsible",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Their area: they may not audit this process themselves.",
                        related_name="audit_areas",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="responsible people",
                    ),
                ),
            ],
            options={
                "verbose_name": "process",
                "verbose_name_plural": "processes",
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("plant", "name"), name="audits_process_unique_name"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("shifts__gte", 1), ("shifts__lte", 3)),
                        name="audits_process_shifts_1_to_3",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalProcess_responsible",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="audits.historicalprocess",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "process",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="audits.process",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalProcess_responsible",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="historicalaudit",
            name="process",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="audits.process",
                verbose_name="process audited",
            ),
        ),
        migrations.AddField(
            model_name="audit",
            name="process",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audits",
                to="audits.process",
                verbose_name="process audited",
            ),
        ),
        migrations.CreateModel(
            name="Question",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(verbose_name="position")),
                ("code", models.CharField(max_length=20, verbose_name="code")),
                (
                    "element",
                    models.CharField(
                        blank=True,
                        help_text="P2–P7 in a VDA 6.3 catalogue, the clause in an ISO 9001 checklist.",
                        max_length=20,
                        verbose_name="element / clause",
                    ),
                ),
                (
                    "sub_element",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("U1", "U1"),
                            ("U2", "U2"),
                            ("U3", "U3"),
                            ("U4", "U4"),
                            ("U5", "U5"),
                            ("U6", "U6"),
                        ],
                        max_length=2,
                        verbose_name="sub-element",
                    ),
                ),
                ("star", models.BooleanField(default=False, verbose_name="*-question")),
                ("text", models.TextField(max_length=10000, verbose_name="question")),
                (
                    "catalogue",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="questions",
                        to="audits.catalogue",
                    ),
                ),
            ],
            options={
                "verbose_name": "question",
                "verbose_name_plural": "questions",
                "ordering": ["catalogue", "position"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("catalogue", "code"), name="audits_question_unique_code"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Finding",
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
                ("position", models.PositiveSmallIntegerField(verbose_name="finding no.")),
                ("step", models.CharField(blank=True, max_length=100, verbose_name="process step")),
                (
                    "score",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="With several findings on one question the lowest score counts.",
                        null=True,
                        verbose_name="score of the question",
                    ),
                ),
                (
                    "classification",
                    models.CharField(
                        choices=[
                            ("major", "Major nonconformity"),
                            ("minor", "Minor nonconformity"),
                            ("observation", "Observation"),
                            ("ofi", "Opportunity for improvement"),
                        ],
                        max_length=12,
                        verbose_name="classification",
                    ),
                ),
                (
                    "requirement",
                    models.CharField(blank=True, max_length=300, verbose_name="requirement"),
                ),
                ("description", models.TextField(max_length=10000, verbose_name="finding")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("submitted", "Response submitted"),
                            ("closed", "Closed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="open",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "raised_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="raised"),
                ),
                (
                    "containment_due",
                    models.DateTimeField(blank=True, null=True, verbose_name="containment due"),
                ),
                (
                    "plan_due",
                    models.DateTimeField(blank=True, null=True, verbose_name="action plan due"),
                ),
                (
                    "implementation_due",
                    models.DateTimeField(blank=True, null=True, verbose_name="implementation due"),
                ),
                (
                    "containment",
                    models.TextField(blank=True, max_length=10000, verbose_name="containment"),
                ),
                (
                    "correction",
                    models.TextField(blank=True, max_length=10000, verbose_name="correction"),
                ),
                (
                    "root_cause",
                    models.TextField(blank=True, max_length=10000, verbose_name="root cause"),
                ),
                (
                    "effectiveness",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="effectiveness check"
                    ),
                ),
                (
                    "responded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="response submitted"),
                ),
                (
                    "decision_comment",
                    models.TextField(blank=True, max_length=10000, verbose_name="decision comment"),
                ),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "audit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="findings",
                        to="audits.audit",
                    ),
                ),
                (
                    "closed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
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
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.customer",
                        verbose_name="customer",
                    ),
                ),
                (
                    "responded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="audits.question",
                        verbose_name="question",
                    ),
                ),
            ],
            options={
                "verbose_name": "finding",
                "verbose_name_plural": "findings",
                "ordering": ["audit", "position"],
                "indexes": [
                    models.Index(
                        fields=["status", "implementation_due"],
                        name="audits_find_status_676f1f_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("audit", "position"), name="audits_finding_unique_position"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="FindingEscalation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sent_on", models.DateField(verbose_name="sent on")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "finding",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="escalations",
                        to="audits.finding",
                    ),
                ),
            ],
            options={
                "verbose_name": "finding escalation",
                "verbose_name_plural": "finding escalations",
                "ordering": ["-sent_on"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("finding", "sent_on"), name="audits_escalation_once_per_day"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Answer",
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
                ("step", models.CharField(blank=True, max_length=100, verbose_name="process step")),
                (
                    "score",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="score"),
                ),
                ("not_evaluated", models.BooleanField(default=False, verbose_name="not evaluated")),
                (
                    "reason",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="reason not evaluated"
                    ),
                ),
                ("note", models.TextField(blank=True, max_length=10000, verbose_name="note")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "answered_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.customer",
                    ),
                ),
                (
                    "audit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="audits.audit",
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="audits.question",
                    ),
                ),
            ],
            options={
                "verbose_name": "answer",
                "verbose_name_plural": "answers",
                "ordering": ["audit", "question__position", "step"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("audit", "question", "step"), name="audits_answer_unique_step"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("score__isnull", True),
                            ("score__in", [0, 4, 6, 8, 10]),
                            _connector="OR",
                        ),
                        name="audits_answer_vda_score",
                    ),
                ],
            },
        ),
        migrations.AlterField(
            model_name="audit",
            name="scope",
            field=models.TextField(blank=True, max_length=10000, verbose_name="scope"),
        ),
        migrations.AlterField(
            model_name="audit",
            name="summary",
            field=models.TextField(blank=True, max_length=10000, verbose_name="report summary"),
        ),
        migrations.CreateModel(
            name="AuditEvent",
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
                    "audit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="audits.audit",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="customers.customer",
                    ),
                ),
                (
                    "finding",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="audits.finding",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["audit", "created_at"], name="audits_audi_audit_i_720e8d_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAnswer",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("step", models.CharField(blank=True, max_length=100, verbose_name="process step")),
                (
                    "score",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="score"),
                ),
                ("not_evaluated", models.BooleanField(default=False, verbose_name="not evaluated")),
                (
                    "reason",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="reason not evaluated"
                    ),
                ),
                ("note", models.TextField(blank=True, max_length=10000, verbose_name="note")),
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
                    "answered_by",
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
                    "audit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="audits.audit",
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
                    "question",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="audits.question",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical answer",
                "verbose_name_plural": "historical answers",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AlterField(
            model_name="historicalaudit",
            name="scope",
            field=models.TextField(blank=True, max_length=10000, verbose_name="scope"),
        ),
        migrations.AlterField(
            model_name="historicalaudit",
            name="summary",
            field=models.TextField(blank=True, max_length=10000, verbose_name="report summary"),
        ),
        migrations.CreateModel(
            name="HistoricalAuditProgramme",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(db_index=True, verbose_name="year")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("notes", models.TextField(blank=True, max_length=10000, verbose_name="notes")),
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
                "verbose_name": "historical audit programme",
                "verbose_name_plural": "historical audit programmes",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCatalogue",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("version", models.CharField(max_length=20, verbose_name="version")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("iso9001", "ISO 9001 system audit"),
                            ("vda63", "VDA 6.3 process audit"),
                            ("vda65", "VDA 6.5 product audit"),
                            ("other", "Other"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("notes", models.TextField(blank=True, max_length=10000, verbose_name="notes")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
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
                "verbose_name": "historical question catalogue",
                "verbose_name_plural": "historical question catalogues",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalFinding",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(verbose_name="finding no.")),
                ("step", models.CharField(blank=True, max_length=100, verbose_name="process step")),
                (
                    "score",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="With several findings on one question the lowest score counts.",
                        null=True,
                        verbose_name="score of the question",
                    ),
                ),
                (
                    "classification",
                    models.CharField(
                        choices=[
                            ("major", "Major nonconformity"),
                            ("minor", "Minor nonconformity"),
                            ("observation", "Observation"),
                            ("ofi", "Opportunity for improvement"),
                        ],
                        max_length=12,
                        verbose_name="classification",
                    ),
                ),
                (
                    "requirement",
                    models.CharField(blank=True, max_length=300, verbose_name="requirement"),
                ),
                ("description", models.TextField(max_length=10000, verbose_name="finding")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("submitted", "Response submitted"),
                            ("closed", "Closed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="open",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "raised_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="raised"),
                ),
                (
                    "containment_due",
                    models.DateTimeField(blank=True, null=True, verbose_name="containment due"),
                ),
                (
                    "plan_due",
                    models.DateTimeField(blank=True, null=True, verbose_name="action plan due"),
                ),
                (
                    "implementation_due",
                    models.DateTimeField(blank=True, null=True, verbose_name="implementation due"),
                ),
                (
                    "containment",
                    models.TextField(blank=True, max_length=10000, verbose_name="containment"),
                ),
                (
                    "correction",
                    models.TextField(blank=True, max_length=10000, verbose_name="correction"),
                ),
                (
                    "root_cause",
                    models.TextField(blank=True, max_length=10000, verbose_name="root cause"),
                ),
                (
                    "effectiveness",
                    models.TextField(
                        blank=True, max_length=10000, verbose_name="effectiveness check"
                    ),
                ),
                (
                    "responded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="response submitted"),
                ),
                (
                    "decision_comment",
                    models.TextField(blank=True, max_length=10000, verbose_name="decision comment"),
                ),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed")),
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
                    "audit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="audits.audit",
                    ),
                ),
                (
                    "closed_by",
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
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "responded_by",
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
                    "question",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="audits.question",
                        verbose_name="question",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical finding",
                "verbose_name_plural": "historical findings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(
            code=escalation_schedule.create_schedule,
            reverse_code=escalation_schedule.remove_schedule,
        ),
    ]
