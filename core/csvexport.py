"""CSV files we hand out: cells a spreadsheet would run as formulas are made plain text.

A text cell is neutralised (OWASP "CSV injection") when it starts with ``= + - @``, a tab or a
carriage return, or when such a character follows a ``,`` or ``;`` (spaces between allowed): a
spreadsheet that splits the file on the other separator than ours starts a new cell there, and
our quotes do not help it, since its cell starts in the middle of ours. A neutralised cell gets a
``'`` before the formula character at its start and after each such separator, and is always
written quoted: read with ``,`` or with ``;`` as separator, no cell starts a formula.

Numbers we write ourselves (``int``, ``Decimal``, ``float``: quantities, costs, scores) stay
numbers, also when negative; only text (what people typed) is neutralised. Write with
``writer(target)``, which does both; ``spreadsheet_safe`` alone cannot force the quoting.

A list's export is ``streamed_rows``: UTF-8 with a byte-order mark so that Excel opens
umlauts correctly, comma-separated, written a row at a time while the records are read in chunks.
Its rows come from ``value_rows``: the plain values of exactly the columns written (related
records joined through ``__`` lookups), never model instances, whose construction and unused
timestamps cost more than writing the file. Labels (choices, yes and no) are looked up in dicts
that ``choice_labels`` and ``yes_no`` translate once per export, not once per row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

from django.db.models import Model, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

BOM = "\ufeff"
# Records read per query while an export streams: memory stays flat on a list of any length.
CHUNK_SIZE = 500

# What Excel, LibreOffice and Google Sheets treat as the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A formula start at the beginning of a cell, or after a separator of either dialect.
_FORMULA = re.compile(r"(^|[,;][ ]*)(?=[=+\-@\t\r])")
# The same over a row's text cells joined by NUL (a cell start): one search tells that no cell of
# the row needs a look, which is nearly every row. A NUL inside a cell can only make it look.
_CELL_START = "\x00"
_FORMULA_IN_ROW = re.compile(r"(^|\x00|[,;][ ]*)(?=[=+\-@\t\r])")


class Neutralised(str):
    """Text made harmless with a leading ``'``; ``writer`` always quotes it."""


def spreadsheet_safe(value):
    """``value`` unchanged, unless it is text a spreadsheet would evaluate: then with a ' before
    each formula start (``;=1+1`` becomes ``';'=1+1``).

    Numbers (``-5``, ``Decimal("-0.25")``), dates and None are returned as they are.
    """
    if isinstance(value, str) and not isinstance(value, Neutralised) and _FORMULA.search(value):
        return Neutralised(_FORMULA.sub(r"\1'", value))
    return value


def spreadsheet_safe_row(values: Iterable) -> list:
    return [spreadsheet_safe(value) for value in values]


class SpreadsheetWriter:
    """``csv.writer`` with every row made spreadsheet-safe and its neutralised cells quoted."""

    def __init__(self, target, *, delimiter: str = ",", **fmtparams):
        self._target = target
        self._writer = csv.writer(target, delimiter=delimiter, **fmtparams)
        self._cell = io.StringIO()
        self._cell_writer = csv.writer(self._cell, delimiter=delimiter, **fmtparams)
        self._delimiter = delimiter
        self._quotechar = self._writer.dialect.quotechar
        self._lineterminator = self._writer.dialect.lineterminator

    def writerow(self, values: Iterable):
        values = values if isinstance(values, list | tuple) else list(values)
        texts = [value for value in values if isinstance(value, str)]
        if not _FORMULA_IN_ROW.search(_CELL_START.join(texts)) and not any(
            isinstance(text, Neutralised) for text in texts
        ):
            return self._writer.writerow(values)
        row = spreadsheet_safe_row(values)
        if not any(isinstance(value, Neutralised) for value in row):
            return self._writer.writerow(row)
        line = self._delimiter.join(map(self._field, row)) + self._lineterminator
        return self._target.write(line)

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)

    def _field(self, value) -> str:
        if isinstance(value, Neutralised):
            quote = self._quotechar
            return quote + value.replace(quote, quote * 2) + quote
        if value is None or value == "":
            return ""  # alone in a row, csv would write "" to tell it from an empty line
        self._cell.seek(0)
        self._cell.truncate()
        self._cell_writer.writerow([value])
        return self._cell.getvalue().removesuffix(self._lineterminator)


def writer(target, *, delimiter: str = ",", **fmtparams) -> SpreadsheetWriter:
    """A CSV writer onto ``target`` (a file or anything with ``write``) for spreadsheets."""
    return SpreadsheetWriter(target, delimiter=delimiter, **fmtparams)


# --- exports of a list ---------------------------------------------------------------------------


def streamed_rows(name: str, header: list, rows: Iterable[list]) -> StreamingHttpResponse:
    """The download ``<name>-<today>.csv``: ``header``, then each of ``rows``.

    ``rows`` are read while the response is sent, in the language and time zone of the request:
    a generator builds its label dicts there, once, when the first row is asked for.
    """
    lines = _encoded(
        csv_lines(header, rows), translation.get_language(), timezone.get_current_timezone()
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def streamed_response(name: str, header: list, records, row: Callable) -> StreamingHttpResponse:
    """``streamed_rows`` with ``row(record)`` per model instance of ``records`` (a queryset).

    For short lists only: a long list's export reads ``value_rows`` instead. ``records`` are read
    ``CHUNK_SIZE`` at a time; a prefetch is kept, one query per chunk.
    """
    rows = (row(record) for record in records.iterator(chunk_size=CHUNK_SIZE))
    return streamed_rows(name, header, rows)


def value_rows(records: QuerySet, fields: Sequence[str]) -> Iterator[tuple]:
    """The values of ``fields`` (``__`` lookups for related records) of each of ``records``.

    In the order of ``records``, read ``CHUNK_SIZE`` at a time from one query (a server-side
    cursor on PostgreSQL). A prefetch of ``records`` is dropped: a related list is read per
    chunk of ``value_chunks``.
    """
    values = records.prefetch_related(None).values_list(*fields)
    return values.iterator(chunk_size=CHUNK_SIZE)


def value_chunks(records: QuerySet, fields: Sequence[str]) -> Iterator[list[tuple]]:
    """``value_rows`` in lists of ``CHUNK_SIZE``: what a related list is read for in one query."""
    rows = value_rows(records, fields)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        yield chunk


def choice_labels(model: type[Model], field: str) -> dict:
    """The labels of ``field``'s choices by value, translated into the active language.

    ``labels.get(value, value)`` is what ``get_<field>_display()`` shows, without translating
    a label again for every row.
    """
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def yes_no() -> dict[bool, str]:
    """A yes/no column's words, translated into the active language."""
    return {True: _("yes"), False: _("no")}


def csv_lines(header: list, rows: Iterable[list]) -> Iterator[str]:
    """The byte-order mark and the header line, then one line per row."""
    buffer = _LineBuffer()
    out = writer(buffer)
    out.writerow(header)
    yield BOM + buffer.take()
    for values in rows:
        out.writerow(values)
        yield buffer.take()


def local_iso(moment, zone) -> str:
    """``moment`` in ``zone`` as ISO 8601 to the minute; empty when there is none."""
    if moment is None:
        return ""
    return moment.astimezone(zone).isoformat(timespec="minutes")


def _encoded(lines: Iterable[str], language: str | None, zone) -> Iterator[bytes]:
    # Rows are produced after the view has returned: in the request's language and time zone
    # (a date in the viewer's calendar), whatever the serving thread has active by then.
    with translation.override(language), timezone.override(zone):
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
