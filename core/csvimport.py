"""Tabular imports: reading rows from a CSV upload or a list of records, checking them with a form.

Nothing here writes. An import checks every row first and reports each problem with its row and
column, so that the caller can store the whole file or nothing at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.forms import DeclarativeFieldsMetaclass
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A row as read: its number (the line in a CSV file, the position in a list) and its values.
Row = tuple[int, dict[str, str]]


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    file_errors: list[str] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.row_errors


@dataclass(frozen=True)
class Layout:
    """The columns an import knows, the ones it needs, and how much it accepts at once."""

    columns: tuple[str, ...]
    required: tuple[str, ...]
    max_rows: int
    max_bytes: int


def template_csv(columns: Iterable[str], example: Iterable[str]) -> str:
    """A file with the header line and one example row, as offered for download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerow(example)
    return buffer.getvalue()


def upload_field(layout: Layout) -> forms.FileField:
    """The file input of an import page, telling what the file must look like."""
    return forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=format_lazy(
            gettext_lazy(
                "UTF-8, comma or semicolon separated, first line with the column names; "
                "at most {rows} rows and {mb} MB."
            ),
            rows=layout.max_rows,
            mb=layout.max_bytes // (1024 * 1024),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


# --- reading -------------------------------------------------------------------------------------


def read_csv(file, layout: Layout, result: ImportResult) -> list[Row]:
    """The non-blank rows of an uploaded CSV file, numbered by their line in the file.

    Accepts UTF-8 with or without a byte order mark, separated by commas or semicolons (as
    spreadsheets save it in many locales). Problems with the file as a whole go to
    ``result.file_errors`` and no rows are returned.
    """
    text = _decode(file, layout.max_bytes, result)
    if text is None:
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    if not _check_header(reader, layout, result):
        return []
    rows = []
    for values in reader:
        extra = values.pop(None, None)
        if not extra and not any((v or "").strip() for v in values.values()):
            continue  # blank lines at the end of spreadsheet exports are no data
        result.rows += 1
        if result.rows > layout.max_rows:
            result.file_errors.append(
                _("The file has more than %(max)s rows. Split it into smaller files.")
                % {"max": layout.max_rows}
            )
            return []
        if extra:
            message = _("This row has more values than columns.")
            result.row_errors.append(RowError(reader.line_num, "", message))
            continue
        rows.append((reader.line_num, {c: (values.get(c) or "").strip() for c in layout.columns}))
    return rows


def read_records(records, layout: Layout, result: ImportResult) -> list[Row]:
    """Rows given as a list of objects (a JSON body), numbered from 1 in the order given."""
    if not isinstance(records, list):
        result.file_errors.append(_("Send the rows as a list of objects."))
        return []
    if len(records) > layout.max_rows:
        result.file_errors.append(
            _("Send at most %(max)s rows at once.") % {"max": layout.max_rows}
        )
        return []
    rows = []
    for number, record in enumerate(records, start=1):
        result.rows += 1
        if not isinstance(record, Mapping):
            message = _("This row is not an object of named values.")
            result.row_errors.append(RowError(number, "", message))
            continue
        unknown = [str(name) for name in record if name not in layout.columns]
        for name in unknown:
            message = _("Unknown column. Allowed columns: %(all)s.") % {
                "all": ", ".join(layout.columns)
            }
            result.row_errors.append(RowError(number, name, message))
        if not unknown:
            rows.append((number, {c: _as_text(record.get(c)) for c in layout.columns}))
    return rows


def _as_text(value) -> str:
    return "" if value is None else str(value).strip()


def _decode(file, max_bytes: int, result: ImportResult) -> str | None:
    if file.size > max_bytes:
        result.file_errors.append(
            _("The file is %(size)s; the largest file allowed is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(max_bytes)}
        )
        return None
    file.seek(0)
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        result.file_errors.append(
            _("The file is not UTF-8 encoded text. Save it as “CSV UTF-8” and upload it again.")
        )
        return None
    if not text.strip():
        result.file_errors.append(_("The file is empty."))
        return None
    return text


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _check_header(reader: csv.DictReader, layout: Layout, result: ImportResult) -> bool:
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in layout.required if c not in header]
    unknown = [c for c in header if c and c not in layout.columns]
    if missing:
        result.file_errors.append(
            _(
                "Required columns are missing: %(missing)s. "
                "The first line must name the columns: %(all)s."
            )
            % {"missing": ", ".join(missing), "all": ",".join(layout.columns)}
        )
    if unknown:
        result.file_errors.append(
            _("Unknown columns: %(unknown)s. Allowed columns: %(all)s.")
            % {"unknown": ", ".join(unknown), "all": ",".join(layout.columns)}
        )
    return not result.file_errors


# --- checking ------------------------------------------------------------------------------------


def valid_forms(
    rows: Iterable[Row],
    make_form: Callable[[dict[str, str]], forms.Form],
    result: ImportResult,
    *,
    column_of: Mapping[str, str] | None = None,
) -> Iterator[tuple[int, forms.Form]]:
    """Check each row with its own form; yields the valid ones, errors go to ``result``.

    ``column_of`` names the column behind a form field where the two differ. Take what is
    needed from each form as it comes: keeping thousands of forms alive costs much memory.
    """
    for row, values in rows:
        form = make_form(values)
        if form.is_valid():
            yield row, form
        else:
            result.row_errors.extend(form_errors(row, form, column_of or {}))


def form_errors(row: int, form: forms.Form, column_of: Mapping[str, str]) -> list[RowError]:
    errors = []
    for name, messages in form.errors.items():
        column = "" if name == NON_FIELD_ERRORS else column_of.get(name, name)
        errors.extend(RowError(row, column, message) for message in messages)
    return errors


class _SharedFields(dict):
    """Fields that every row's form uses as they are: checking a row changes no field."""

    def __deepcopy__(self, memo):
        return dict(self)


class _RowFormMetaclass(DeclarativeFieldsMetaclass):
    def __new__(mcs, name, bases, attrs):
        form_class = super().__new__(mcs, name, bases, attrs)
        form_class.base_fields = _SharedFields(form_class.base_fields)
        return form_class


class RowForm(forms.BaseForm, metaclass=_RowFormMetaclass):
    """A form that checks one imported row and is never rendered.

    A file makes thousands of them, so the declared fields are shared between instances instead
    of deep-copied for each one (which Django does so that a rendered form may change its own
    widgets, and which would cost more than the checks themselves).
    """


class CodeField(forms.Field):
    """A record named by its code, found in a mapping read once per file instead of once per row.

    ``unknown`` and ``inactive`` are messages with a ``%(code)s`` placeholder; without an
    ``inactive`` message, inactive records are accepted.
    """

    def __init__(self, *, records: Mapping, unknown: str, inactive: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.records = records
        self.unknown = unknown
        self.inactive = inactive

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        record = self.records.get(value.strip().upper())
        if record is None:
            raise forms.ValidationError(self.unknown % {"code": value})
        if self.inactive and not record.is_active:
            raise forms.ValidationError(self.inactive % {"code": value})
        return record
