"""The change list as CSV, streamed row by row in a constant number of queries.

UTF-8 with a byte-order mark so that Excel opens umlauts correctly. Customer users get the same
list without our internal columns (the cost), restricted to their own notified changes by the
queryset passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import csvexport

from .models import ChangeRequest

BOM = "\ufeff"
CHUNK_SIZE = 500


def export_columns(internal: bool) -> list[str]:
    columns = [
        _("Number"),
        _("Status"),
        _("Customer"),
        _("Title"),
        _("Type"),
        _("Origin"),
        _("Affected parts"),
        _("Customer approval required"),
        _("Customer decision"),
        _("PPAP required"),
        _("PPAP level"),
        _("PSW reason"),
        _("Effectivity date"),
        _("Break point"),
        _("Implemented on"),
        _("Created"),
    ]
    return [*columns, _("Cost"), _("Currency")] if internal else columns


def change_row(change: ChangeRequest, internal: bool) -> list:
    row = [
        change.number,
        change.get_status_display(),
        change.customer.name,
        change.title,
        change.get_change_type_display(),
        change.get_origin_display(),
        " ".join(
            f"{row.part.part_number} {row.current_revision}>{row.new_revision}"
            for row in change.parts.all()
        ),
        _("yes") if change.customer_approval_required else _("no"),
        change.get_customer_decision_display() if change.customer_decision else "",
        _("yes") if change.ppap_required else _("no"),
        change.ppap_level or "",
        change.get_psw_reason_display() if change.psw_reason else "",
        change.effectivity_date.isoformat() if change.effectivity_date else "",
        change.break_point,
        change.implemented_on.isoformat() if change.implemented_on else "",
        timezone.localtime(change.created_at).date().isoformat(),
    ]
    if internal:
        row += [change.cost_amount if change.cost_amount is not None else "", change.cost_currency]
    return row


def csv_lines(changes: QuerySet[ChangeRequest], internal: bool) -> Iterator[str]:
    buffer = _LineBuffer()
    writer = csvexport.writer(buffer)
    writer.writerow(export_columns(internal))
    yield BOM + buffer.take()
    # Chunked iteration keeps the prefetch of the affected parts: one query per chunk.
    for change in changes.iterator(chunk_size=CHUNK_SIZE):
        writer.writerow(change_row(change, internal))
        yield buffer.take()


def changes_csv_response(changes: QuerySet[ChangeRequest], *, internal: bool):
    lines = _encoded(csv_lines(changes, internal), translation.get_language())
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    filename = f"changes-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _encoded(lines: Iterable[str], language: str | None) -> Iterator[bytes]:
    # Rows are produced after the view has returned and the request's language was reset.
    with translation.override(language):
        for line in lines:
            yield line.encode("utf-8")


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
