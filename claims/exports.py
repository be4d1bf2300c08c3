"""The claims list as CSV, streamed row by row in a constant number of queries.

UTF-8 with a byte-order mark so that Excel opens umlauts correctly; comma-separated. Every listed
column is one a customer may see (the assigned engineer's name included), so customer users get
the same columns, restricted to their own claims by the queryset they pass in.
"""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from core.csvexport import local_iso, streamed_response

from .models import Claim


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
        local_iso(claim.notified_at, zone),
        claim.suspect_qty,
        claim.nonconforming_qty,
        claim.ppm_qty,
        str(claim.assigned_engineer) if claim.assigned_engineer else "",
        getattr(claim, "next_due_code", None) or "",
        local_iso(getattr(claim, "next_due_at", None), zone),
        local_iso(claim.closed_at, zone),
    ]


def claims_csv_response(claims: QuerySet[Claim]) -> StreamingHttpResponse:
    return streamed_response("claims", export_columns(), claims, claim_row)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
