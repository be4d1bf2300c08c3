"""The deviation register as CSV, streamed row by row in a constant number of queries.

UTF-8 with a byte-order mark (Excel), comma-separated, every cell spreadsheet-safe. Only columns a
customer may see: no internal notes.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from core.csvexport import local_iso, streamed_response

from ..models import Deviation


def export_columns() -> list[str]:
    return [
        _("Number"),
        _("Kind"),
        _("Status"),
        _("Customer"),
        _("Title"),
        _("Part numbers"),
        _("Lots / batches"),
        _("Quantity cap"),
        _("Quantity shipped"),
        _("Expiry date"),
        _("Customer authorisation number"),
        _("Originating claim"),
        _("Owner"),
        _("Requested at"),
        _("Decided at"),
    ]


def deviation_row(deviation: Deviation) -> list:
    zone = deviation.customer_zone
    return [
        deviation.number,
        deviation.get_kind_display(),
        deviation.get_status_display(),
        deviation.customer.name,
        deviation.title,
        " ".join(part.part_number for part in deviation.parts.all()),
        " ".join(deviation.lot_list),
        "" if deviation.quantity_cap is None else deviation.quantity_cap,
        deviation.quantity_shipped,
        deviation.expires_on.isoformat() if deviation.expires_on else "",
        deviation.customer_authorisation,
        deviation.originating_claim.number if deviation.originating_claim_id else "",
        str(deviation.owner),
        local_iso(deviation.requested_at, zone),
        local_iso(deviation.decided_at, zone),
    ]


def deviations_csv_response(deviations: QuerySet[Deviation]) -> StreamingHttpResponse:
    rows = deviations.select_related("customer", "owner", "originating_claim")
    rows = rows.prefetch_related("parts")  # one parts query per chunk, not per row
    return streamed_response("deviations", export_columns(), rows, deviation_row)
