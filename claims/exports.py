"""The claims list as CSV, streamed row by row from one query, whatever its length.

UTF-8 with a byte-order mark so that Excel opens umlauts correctly; comma-separated. Every listed
column is one a customer may see (the assigned engineer's name included), so customer users get
the same columns, restricted to their own claims by the queryset they pass in. Rows are built
from the plain values of ``FIELDS`` (``core.csvexport.value_rows``), not from claims.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import CharField, DateTimeField, QuerySet, Value
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from core.csvexport import choice_labels, local_iso, streamed_rows, value_rows

from .models import Claim

# What a row is made of, in the order ``claim_rows`` unpacks it. ``next_due_*`` are the
# annotations of ``selectors.with_next_due``.
FIELDS = (
    "number",
    "status",
    "customer__name",
    "customer__time_zone",
    "part__part_number",
    "part__customer_part_number",
    "part_revision",
    "kind",
    "severity",
    "customer_reference",
    "detection_location",
    "detection_date",
    "notified_at",
    "suspect_qty",
    "nonconforming_qty",
    "ppm_qty",
    "assigned_engineer__full_name",
    "assigned_engineer__email",
    "next_due_code",
    "next_due_at",
    "closed_at",
)
# Without the next deadline annotated, those columns stay empty.
NO_NEXT_DUE = {
    "next_due_code": Value(None, output_field=CharField()),
    "next_due_at": Value(None, output_field=DateTimeField()),
}


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


def claim_rows(claims: QuerySet[Claim]) -> Iterator[list]:
    """One CSV row per claim of ``claims`` (from ``selectors.claims_for_list``), in its order.

    The labels are translated once, when the first row is asked for.
    """
    statuses = choice_labels(Claim, "status")
    kinds = choice_labels(Claim, "kind")
    severities = choice_labels(Claim, "severity")
    locations = choice_labels(Claim, "detection_location")
    missing = {
        name: value for name, value in NO_NEXT_DUE.items() if name not in claims.query.annotations
    }
    for (
        number,
        status,
        customer,
        zone_name,
        part_number,
        customer_part_number,
        revision,
        kind,
        severity,
        customer_reference,
        location,
        detection_date,
        notified_at,
        suspect_qty,
        nonconforming_qty,
        ppm_qty,
        engineer_name,
        engineer_email,
        next_due_code,
        next_due_at,
        closed_at,
    ) in value_rows(claims.annotate(**missing), FIELDS):
        zone = _zone(zone_name)
        yield [
            number,
            statuses.get(status, status),
            customer,
            part_number,
            customer_part_number,
            revision,
            kinds.get(kind, kind),
            severities.get(severity, severity),
            customer_reference,
            locations.get(location, location),
            detection_date.isoformat() if detection_date else "",
            local_iso(notified_at, zone),
            suspect_qty,
            nonconforming_qty,
            ppm_qty,
            engineer_name or engineer_email or "",  # as str(user)
            next_due_code or "",
            local_iso(next_due_at, zone),
            local_iso(closed_at, zone),
        ]


def claims_csv_response(claims: QuerySet[Claim]) -> StreamingHttpResponse:
    return streamed_rows("claims", export_columns(), claim_rows(claims))


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
