"""The deviation PDF for the shipping papers: what was authorised, its limits and identification.

Customer-facing: never carries our internal note. Rendered with dates in the customer's zone.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import downloads
from core.pdf import record_frame

from ..models import Deviation
from . import selectors

TEMPLATE = "pdf/deviation.html"
MAX_SHIPMENTS = 40


def deviation_filename(deviation: Deviation) -> str:
    return f"{deviation.number}.pdf"


def deviation_context(deviation: Deviation) -> dict:
    shipments = list(selectors.shipments_for(deviation)[: MAX_SHIPMENTS + 1])
    return {
        **record_frame(
            deviation,
            _("%(kind)s %(number)s")
            % {"kind": deviation.get_kind_display(), "number": deviation.number},
        ),
        "deviation": deviation,
        "parts": list(deviation.parts.all()),
        "shipments": shipments[:MAX_SHIPMENTS],
        "more_shipments": len(shipments) > MAX_SHIPMENTS,
        "signatures": list(selectors.signatures_for(deviation)),
    }


# The same customer-facing document whoever asks.
deviation_html = downloads.customer_facing_html(TEMPLATE, deviation_context)
DEVIATION_PDF = downloads.register(
    downloads.DocumentKind(
        "changes.deviations.documents:deviation", Deviation, deviation_html, deviation_filename
    )
)
# The deviation as PDF bytes, with dates in the customer's time zone.
render_deviation = DEVIATION_PDF.render_pdf
