"""The audit report PDF: scope, team, result and grade with the reasons, element chart, findings."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core import downloads
from core.attachments import AttachmentPolicy
from core.charts import bar_chart_svg
from core.pdf import html_to_pdf, record_frame
from customers import defaults

from . import selectors
from .models import Audit

TEMPLATE = "pdf/audit_report.html"


def report_filename(audit: Audit) -> str:
    return f"{audit.number}-report.pdf"


def render_audit_report(audit: Audit, user) -> bytes:
    return html_to_pdf(audit_report_html(audit, user))


def audit_report_html(audit: Audit, user) -> str:
    return render_to_string(TEMPLATE, audit_report_context(audit, user))


AUDIT_REPORT = downloads.register(
    downloads.DocumentKind(
        name="audits.documents:report",
        model=Audit,
        html=audit_report_html,
        filename=report_filename,
        per_viewer=True,
    )
)


def audit_report_context(audit: Audit, user) -> dict:
    result = selectors.audit_result(audit)
    return {
        **record_frame(audit, _("Audit report %(number)s") % {"number": audit.number}, audit.title),
        "audit": audit,
        "team": list(audit.team.all()),
        "result": result,
        "grade": audit.grade or (result.grade if result else ""),
        "overall": audit.result_percent
        if audit.result_percent is not None
        else (result.overall if result else None),
        "reasons": _reasons(audit, result),
        "chart": _element_chart(result),
        "findings": list(selectors.findings_of(audit, user).order_by("position")),
    }


def _reasons(audit: Audit, result) -> list[str]:
    if audit.grade:
        return list(audit.downgrade_reasons)
    if result is None:
        return []
    return [reason.message for reason in [*result.not_gradable, *result.downgrades]]


def _element_chart(result) -> str:
    if result is None or not result.elements:
        return ""
    labels = list(result.elements)
    values = [result.elements[label] for label in labels]
    return bar_chart_svg(labels, values, title=_("Element results"), target=80, unit="%")


def attachment_policy(audit: Audit) -> AttachmentPolicy:
    """Evidence files: the auditing customer's rules for their audits, our defaults otherwise."""
    if audit.customer_id:
        return audit.customer.requirements.attachment_policy
    return AttachmentPolicy(
        allowed_types=tuple(defaults.ALLOWED_ATTACHMENT_TYPES),
        max_bytes=defaults.MAX_ATTACHMENT_MB * 1024 * 1024,
    )
