"""The deviation register as CSV, streamed row by row: one query, and one per chunk for the parts.

UTF-8 with a byte-order mark (Excel), comma-separated, every cell spreadsheet-safe. Only columns a
customer may see: no internal notes. Rows are built from the plain values of ``FIELDS``
(``core.csvexport.value_chunks``), not from deviations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from core.csvexport import choice_labels, local_iso, streamed_rows, value_chunks

from ..models import Deviation
from ..models.deviation import lot_list

# What a row is made of, in the order ``deviation_rows`` unpacks it.
FIELDS = (
    "pk",
    "number",
    "kind",
    "status",
    "customer__name",
    "customer__time_zone",
    "title",
    "lots",
    "quantity_cap",
    "quantity_shipped",
    "expires_on",
    "customer_authorisation",
    "originating_claim__number",
    "owner__full_name",
    "owner__email",
    "requested_at",
    "decided_at",
)


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


def deviation_rows(deviations: QuerySet[Deviation]) -> Iterator[list]:
    """One CSV row per deviation of ``deviations``, in its order.

    The labels are translated once, when the first row is asked for.
    """
    kinds = choice_labels(Deviation, "kind")
    statuses = choice_labels(Deviation, "status")
    for chunk in value_chunks(deviations, FIELDS):
        parts = part_numbers([values[0] for values in chunk])
        for (
            pk,
            number,
            kind,
            status,
            customer,
            zone_name,
            title,
            lots,
            quantity_cap,
            quantity_shipped,
            expires_on,
            customer_authorisation,
            originating_claim,
            owner_name,
            owner_email,
            requested_at,
            decided_at,
        ) in chunk:
            zone = ZoneInfo(zone_name)  # the class keeps one instance per name
            yield [
                number,
                kinds.get(kind, kind),
                statuses.get(status, status),
                customer,
                title,
                parts.get(pk, ""),
                " ".join(lot_list(lots)),
                "" if quantity_cap is None else quantity_cap,
                quantity_shipped,
                expires_on.isoformat() if expires_on else "",
                customer_authorisation,
                originating_claim or "",
                owner_name or owner_email,  # as str(user)
                local_iso(requested_at, zone),
                local_iso(decided_at, zone),
            ]


def part_numbers(deviation_ids: list[int]) -> dict[int, str]:
    """Per deviation, the numbers of its parts in the parts' own order (number, revision)."""
    rows = (
        Deviation.parts.through.objects.filter(deviation_id__in=deviation_ids)
        .order_by("part__part_number", "part__revision")
        .values_list("deviation_id", "part__part_number")
    )
    numbers = defaultdict(list)
    for deviation_id, part_number in rows:
        numbers[deviation_id].append(part_number)
    return {deviation_id: " ".join(listed) for deviation_id, listed in numbers.items()}


def deviations_csv_response(deviations: QuerySet[Deviation]) -> StreamingHttpResponse:
    return streamed_rows("deviations", export_columns(), deviation_rows(deviations))
