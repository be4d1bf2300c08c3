"""The claims list as CSV, streamed row by row in a constant number of queries.

UTF-8 with a byte-order mark so that Excel opens umlauts correctly; comma-separated. Every listed
column is one a customer may see (the assigned engineer's name included), so customer users get
the same columns, restricted to their own claims by the queryset they pass in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import csvexport

from .models import Claim

BOM = "\ufeff"
CHUNK_SIZE = 500


def export_columns() -> list[str]:
    return [
        _("Number"),
        _("Status"),
        _("Customer"),
        _("Part number"),
        _("Customer part number"),
        _("Revision"),
        _("Kind"),
        _("Severity"),
        _("Customer reference"),
        _("Detection location"),
        _("Detection date"),
        _("Notified at"),
        _("Suspect quantity"),
        _("Nonconforming quantity"),
        _("Quantity charged to ppm"),
        _("Assigned engineer"),
        _("Next due step"),
        _("Next step due at"),
        _("Closed at"),
    ]


def claim_row(claim: Claim) -> list:
    """One CSV row; ``claim`` comes from ``selectors.claims_for_list`` (next-due annotations)."""
    zone = _zone(claim.customer.time_zone)
    return [
        claim.number,
        claim.get_status_display(),
        claim.customer.name,
        claim.part.part_number,
        claim.part.customer_part_number,
        claim.part_revision,
        claim.get_kind_display(),
        claim.get_severity_display(),
        claim.customer_reference,
        claim.get_detection_location_display(),
        claim.detection_date.isoformat() if claim.detection_date else "",
        _iso(claim.notified_at, zone),
        claim.suspect_qty,
        claim.nonconforming_qty,
        claim.ppm_qty,
        str(claim.assigned_engineer) if claim.assigned_engineer else "",
        getattr(claim, "next_due_code", None) or "",
        _iso(getattr(claim, "next_due_at", None), zone),
        _iso(claim.closed_at, zone),
    ]


def csv_lines(claims: QuerySet[Claim]) -> Iterator[str]:
    """The BOM and header, then one encoded line per claim, fetched in chunks."""
    buffer = _LineBuffer()
    writer = csvexport.writer(buffer)
    writer.writerow(export_columns())
    yield BOM + buffer.take()
    for claim in claims.iterator(chunk_size=CHUNK_SIZE):
        writer.writerow(claim_row(claim))
        yield buffer.take()


def claims_csv_response(claims: QuerySet[Claim]) -> StreamingHttpResponse:
    lines = _encoded(csv_lines(claims), translation.get_language())
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    filename = f"claims-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _encoded(lines: Iterable[str], language: str | None) -> Iterator[bytes]:
    # Rows are produced after the view has returned and the request's language was reset.
    with translation.override(language):
        for line in lines:
            yield line.encode("utf-8")


def _iso(value, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    return value.astimezone(zone).isoformat(timespec="minutes")


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


class _LineBuffer:
    """A write target for csv.writer that hands back what was written since the last take."""

    def __init__(self):
        self._parts: list[str] = []

    def write(self, text: str) -> None:
        self._parts.append(text)

    def take(self) -> str:
        text = "".join(self._parts)
        self._parts.clear()
        return text
