"""Every write to deliveries goes through here."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import PermissionDenied
from customers.permissions import has

from .imports import (
    QUERY_CHUNK,
    CheckedDelivery,
    ImportResult,
    parse_deliveries,
    parse_deliveries_csv,
)
from .models import Delivery

DELIVERIES_IMPORT = "deliveries.import"
BATCH_SIZE = 500
_STORED_FIELDS = ("customer_id", "part_id", "plant_id", "ship_date", "quantity")
_UPDATED_FIELDS = (*_STORED_FIELDS, "imported_by", "updated_at")


def deliveries_import(*, actor, rows=None, file=None) -> ImportResult:
    """Import deliveries from a CSV ``file`` or a list of ``rows``: all of them or none.

    ``rows`` are mappings with the CSV's column names (a JSON body), numbered from 1.

    The delivery note identifies a delivery: a new note is created, a stored one with the same
    data is left unchanged, a stored one with other data is corrected (updated). Importing the
    same file again therefore changes nothing. When any row is bad, nothing is stored and the
    result lists every problem by row and column.
    """
    if rows is not None and file is not None:
        raise TypeError("pass either rows or a file, not both")
    if actor is not None and not has(actor, DELIVERIES_IMPORT):
        raise PermissionDenied(_("You are not allowed to import deliveries."))
    result, deliveries = parse_deliveries_csv(file) if file is not None else parse_deliveries(rows)
    if not result.ok:
        return result
    try:
        with transaction.atomic():
            counts = _store(deliveries, actor)
    except IntegrityError:
        # A customer, plant or part named in the file was removed between the check and the writes.
        result.file_errors.append(
            _(
                "Master data was changed while the file was checked. "
                "Nothing was imported; try again."
            )
        )
        return result
    result.created, result.updated, result.unchanged = counts
    return result


def _store(deliveries: list[CheckedDelivery], actor) -> tuple[int, int, int]:
    stored = _stored_by_note([delivery.delivery_note for delivery in deliveries])
    new, corrected = [], []
    for delivery in deliveries:
        record = stored.get(delivery.delivery_note)
        if record is None:
            new.append(delivery)
        elif _values_of(record) != delivery.values:
            corrected.append(delivery)
    # One upsert for new and corrected notes: an UPDATE … CASE per field and row (bulk_update)
    # takes seconds for a few thousand corrections, an INSERT … ON CONFLICT no longer than
    # the inserts. A correction keeps its "imported" time and gets a new "updated" time.
    Delivery.objects.bulk_create(
        [
            Delivery(delivery_note=delivery.delivery_note, imported_by=actor, **delivery.values)
            for delivery in new + corrected
        ],
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["delivery_note"],
        update_fields=_UPDATED_FIELDS,
    )
    unchanged = len(deliveries) - len(new) - len(corrected)
    return len(new), len(corrected), unchanged


def _stored_by_note(notes: list[str]) -> dict[str, Delivery]:
    """The stored deliveries with these notes, locked until the import commits."""
    stored = {}
    for start in range(0, len(notes), QUERY_CHUNK):
        chunk = notes[start : start + QUERY_CHUNK]
        records = (
            Delivery.objects.select_for_update()
            .filter(delivery_note__in=chunk)
            .only("pk", "delivery_note", *_STORED_FIELDS)
        )
        stored.update((record.delivery_note, record) for record in records)
    return stored


def _values_of(record: Delivery) -> dict:
    return {name: getattr(record, name) for name in _STORED_FIELDS}
