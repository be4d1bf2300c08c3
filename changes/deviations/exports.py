"""The deviation register as CSV, streamed row by row in a constant number of queries.

UTF-8 with a byte-order mark (Excel), comma-separated, every cell spreadsheet-safe. Only columns a
customer may see: no internal notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import csvexport

from ..models import Deviation

BOM = "\ufeff"
CHUNK_SIZE = 500


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
        _iso(deviation.requested_at, zone),
        _iso(deviation.decided_at, zone),
    ]


def csv_lines(deviations: QuerySet[Deviation]) -> Iterator[str]:
    buffer = _LineBuffer()
    writer = csvexport.writer(buffer)
    writer.writerow(export_columns())
    yield BOM + buffer.take()
    rows = deviations.select_related("customer", "owner", "originating_claim").prefetch_related(
        "parts"
    )
    # iterator() with a chunk size keeps prefetching: one parts query per chunk, not per row.
    for deviation in rows.iterator(chunk_size=CHUNK_SIZE):
        writer.writerow(deviation_row(deviation))
        yield buffer.take()


def deviations_csv_response(deviations: QuerySet[Deviation]) -> StreamingHttpResponse:
    lines = _encoded(csv_lines(deviations), translation.get_language())
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    filename = f"deviations-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _encoded(lines: Iterable[str], language: str | None) -> Iterator[bytes]:
    with translation.override(language):
        for line in lines:
            yield line.encode("utf-8")


def _iso(value, zone) -> str:
    if value is None:
        return ""
    return value.astimezone(zone).isoformat(timespec="minutes")


class _LineBuffer:
    def __init__(self):
        self._parts: list[str] = []

    def write(self, text: str) -> None:
        self._parts.append(text)

    def take(self) -> str:
        text = "".join(self._parts)
        self._parts.clear()
        return text
