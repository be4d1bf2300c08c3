"""Claim imports are filed by a worker: each log row gets a status, its progress and the rows that
wait to be filed. Imports logged before were filed at once: they are "done", every row worked
through (the status is added with "done" as its default, which then becomes "queued")."""

from django.db import migrations, models
from django.db.models import F


def imports_before_were_finished(apps, schema_editor):
    ClaimImport = apps.get_model("claims", "ClaimImport")
    ClaimImport.objects.update(position=F("rows"), finished_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0013_linked_provisional_customer_actions_imports"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimimport",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Filing claims"),
                    ("done", "Done"),
                    ("failed", "Failed"),
                ],
                default="done",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="claimimport",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Filing claims"),
                    ("done", "Done"),
                    ("failed", "Failed"),
                ],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="claimimport",
            name="position",
            field=models.PositiveIntegerField(default=0, verbose_name="rows worked through"),
        ),
        migrations.AlterField(
            model_name="claimimport",
            name="created",
            field=models.PositiveIntegerField(default=0, verbose_name="claims created"),
        ),
        migrations.AlterField(
            model_name="claimimport",
            name="skipped",
            field=models.PositiveIntegerField(default=0, verbose_name="rows already imported"),
        ),
        migrations.AddField(
            model_name="claimimport",
            name="numbers",
            field=models.JSONField(blank=True, default=list, verbose_name="claims filed"),
        ),
        migrations.AddField(
            model_name="claimimport",
            name="pending",
            field=models.JSONField(blank=True, default=dict, verbose_name="rows to file"),
        ),
        migrations.AddField(
            model_name="claimimport",
            name="error",
            field=models.TextField(blank=True, verbose_name="error"),
        ),
        migrations.AddField(
            model_name="claimimport",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="finished at"),
        ),
        migrations.RunPython(imports_before_were_finished, migrations.RunPython.noop),
    ]
