"""The deviation PDF for the shipping papers: what was authorised, its limits and identification.

Customer-facing: never carries our internal note. Rendered with dates in the customer's zone.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core import downloads
from core.pdf import html_to_pdf, record_frame

from ..models import Deviation
from . import selectors

TEMPLATE = "pdf/deviation.html"
MAX_SHIPMENTS = 40


def deviation_filename(deviation: Deviation) -> str:
    return f"{deviation.number}.pdf"


def render_deviation(deviation: Deviation) -> bytes:
    return html_to_pdf(deviation_html(deviation))


def deviation_html(deviation: Deviation, viewer=None) -> str:
    """The same customer-facing document whoever asks (the viewer is not used)."""
    with timezone.override(deviation.customer_zone):
        return render_to_string(TEMPLATE, deviation_context(deviation))


DEVIATION_PDF = downloads.register(
    downloads.DocumentKind(
        name="changes.deviations.documents:deviation",
        model=Deviation,
        html=deviation_html,
        filename=deviation_filename,
    )
)


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
