"""Claims imported in bulk from a customer's own system (``claims.imports``).

A customer keeps one column mapping: which column of their file holds which of our claim fields.
Every import is logged with what it created and skipped, for the audit trail.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.records.fields import customer_key, user_key
from core.tenancy import TenantQuerySet


class ClaimImportMapping(models.Model):
    """One customer's column mapping: our field name → the header of their column."""

    customer = models.OneToOneField(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="claim_import_mapping",
        verbose_name=_("customer"),
    )
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = user_key(verbose_name=_("updated by"), null=True, blank=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim import mapping")
        verbose_name_plural = _("claim import mappings")

    def __str__(self):
        return str(self.customer)


class ClaimImport(models.Model):
    """One accepted import file: who sent it, how many rows it had, created and skipped."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    customer = customer_key(verbose_name=_("customer"))
    file_name = models.CharField(_("file"), max_length=255)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    rows = models.PositiveIntegerField(_("rows"))
    created = models.PositiveIntegerField(_("claims created"))
    skipped = models.PositiveIntegerField(_("rows already imported"))
    created_by = user_key(verbose_name=_("imported by"), related_name="+")
    created_at = models.DateTimeField(_("imported at"), default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("claim import")
        verbose_name_plural = _("claim imports")
        indexes = [models.Index(fields=["customer", "created_at"])]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})"
