"""The change notice PDF (ECN): a plain, customer-facing context and its rendering.

The notice is the document the customer receives, so it is rendered as the customer sees the
change, whoever downloads it: never the cost, our internal notes or the assessors' internal notes.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import render_pdf
from core.signatures import signatures_of

from .models import ChangeRequest

TEMPLATE = "pdf/change_notice.html"
MAX_EVENTS = 30


def change_notice_filename(change: ChangeRequest) -> str:
    return f"{change.number}-change-notice.pdf"


def render_change_notice(change: ChangeRequest) -> bytes:
    """The change notice as PDF bytes, with dates in the customer's time zone."""
    with timezone.override(ZoneInfo(change.customer.time_zone)):
        return render_pdf(TEMPLATE, change_notice_context(change))


def change_notice_context(change: ChangeRequest) -> dict:
    return {
        "title": _("Change notice %(number)s") % {"number": change.number},
        "subtitle": f"{change.customer.name} · {change.get_status_display()}",
        "header_right": change.number,
        "footer_left": _("Generated %(when)s")
        % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")},
        "change": change,
        "impacts": change.impacts(),
        "parts": list(change.parts.select_related("part").order_by("pk")),
        "documents": list(change.documents.order_by("pk")),
        "dispositions": list(change.dispositions.order_by("pk")),
        # The assessments as the customer reads them: function and text, never internal notes.
        "assessments": [
            {"function": row.get_function_display(), "assessment": row.assessment}
            for row in change.assessors.order_by("pk")
            if row.is_done
        ],
        "signatures": list(signatures_of(change)),
        "events": list(change.events.select_related("actor").order_by("created_at", "pk"))[
            -MAX_EVENTS:
        ],
    }


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
