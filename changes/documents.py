"""The change notice PDF (ECN): a plain, customer-facing context and its rendering.

The notice is the document the customer receives, so it is rendered as the customer sees the
change, whoever downloads it: never the cost, our internal notes or the assessors' internal notes.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import downloads
from core.pdf import record_frame
from core.signatures import signatures_of

from .models import ChangeRequest

TEMPLATE = "pdf/change_notice.html"
MAX_EVENTS = 30


def change_notice_filename(change: ChangeRequest) -> str:
    return f"{change.number}-change-notice.pdf"


def change_notice_context(change: ChangeRequest) -> dict:
    return {
        **record_frame(change, _("Change notice %(number)s") % {"number": change.number}),
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


# The same customer-facing notice whoever asks.
change_notice_html = downloads.customer_facing_html(TEMPLATE, change_notice_context)
CHANGE_NOTICE = downloads.register(
    downloads.DocumentKind(
        "changes.documents:notice", ChangeRequest, change_notice_html, change_notice_filename
    )
)
# The change notice as PDF bytes, with dates in the customer's time zone.
render_change_notice = CHANGE_NOTICE.render_pdf
