"""Reading a parts CSV: decoding, header and per-row validation. Nothing here writes."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Customer, Part, Plant

COLUMNS = (
    "part_number",
    "customer_part_number",
    "revision",
    "description",
    "customer_code",
    "plant_code",
    "commodity",
    "safety_relevant",
    "active_from",
    "active_to",
)
REQUIRED_COLUMNS = (
    "part_number",
    "customer_part_number",
    "description",
    "customer_code",
    "plant_code",
)
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
DEFAULT_REVISION = "A"
_TRUE = {"yes", "true", "1", "y", "ja", "j"}
_FALSE = {"no", "false", "0", "n", "nein", ""}
# Form field -> CSV column, for error messages
_COLUMN_OF = {"customer": "customer_code", "plant": "plant_code"}
_MODEL_FIELDS = [
    "part_number",
    "customer_part_number",
    "revision",
    "description",
    "commodity",
    "active_from",
    "active_to",
]
_CUSTOMER = "customers_part_unique_customer_number_revision"
_ACTIVE_RANGE = "customers_part_active_range"
_CHUNK = 500


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    rows: int = 0
    file_errors: list[str] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.row_errors


def template_csv() -> str:
    example = [
        "4711-100",
        "A 123 456 78 90",
        "A",
        "Bracket, left",
        "AUTOWERK",
        "PL01",
        "Stamping",
        "no",
        "2026-01-01",
        "",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(example)
    return buffer.getvalue()


def parse_parts_csv(file) -> tuple[ImportResult, list[Part]]:
    """Validate the whole file; return the result and the unsaved parts when every row is good."""
    result = ImportResult()
    text = _decode(file, result)
    if text is None:
        return result, []
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    if not _check_header(reader, result):
        return result, []
    parts = _validate_rows(reader, result)
    return result, parts if result.ok else []


def _decode(file, result: ImportResult) -> str | None:
    if file.size > MAX_BYTES:
        result.file_errors.append(
            _("The file is %(size)s; the largest file allowed is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(MAX_BYTES)}
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


def _check_header(reader: csv.DictReader, result: ImportResult) -> bool:
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    if missing:
        result.file_errors.append(
            _(
                "Required columns are missing: %(missing)s. "
                "The first line must name the columns: %(all)s."
            )
            % {"missing": ", ".join(missing), "all": ",".join(COLUMNS)}
        )
    if unknown:
        result.file_errors.append(
            _("Unknown columns: %(unknown)s. Allowed columns: %(all)s.")
            % {"unknown": ", ".join(unknown), "all": ",".join(COLUMNS)}
        )
    return not result.file_errors


def _validate_rows(reader: csv.DictReader, result: ImportResult) -> list[Part]:
    lookups = _Lookups()
    seen_numbers: dict[tuple, int] = {}
    seen_customer_numbers: dict[tuple, int] = {}
    rows: list[tuple[int, Part]] = []
    for values in reader:
        row = reader.line_num
        result.rows += 1
        if result.rows > MAX_ROWS:
            result.file_errors.append(
                _("The file has more than %(max)s rows. Split it into smaller files.")
                % {"max": MAX_ROWS}
            )
            return []
        if values.get(None):
            result.row_errors.append(RowError(row, "", _("This row has more values than columns.")))
            continue
        if not any((v or "").strip() for v in values.values()):
            result.rows -= 1  # blank lines at the end of spreadsheet exports are no data
            continue
        form = PartImportRowForm(_form_data(values), lookups=lookups)
        if not form.is_valid():
            result.row_errors.extend(_row_errors(row, form))
            continue
        part = form.part
        number_key, customer_key = _number_key(part), _customer_number_key(part)
        if number_key in seen_numbers:
            result.row_errors.append(_duplicate(row, "part_number", seen_numbers[number_key]))
        elif customer_key in seen_customer_numbers:
            result.row_errors.append(
                _duplicate(row, "customer_part_number", seen_customer_numbers[customer_key])
            )
        seen_numbers.setdefault(number_key, row)
        seen_customer_numbers.setdefault(customer_key, row)
        rows.append((row, part))
    result.row_errors.extend(_stored_duplicates(rows))
    result.row_errors.sort(key=lambda error: error.row)
    return [part for _row, part in rows]


# The same keys as the model's unique constraints.
def _number_key(part: Part) -> tuple:
    return (part.part_number, part.revision)


def _customer_number_key(part: Part) -> tuple:
    return (part.customer_id, part.customer_part_number.lower(), part.revision)


def _stored_duplicates(rows: list[tuple[int, Part]]) -> list[RowError]:
    """Rows that clash with parts already stored: a few queries per file, not per row."""
    parts = [part for _row, part in rows]
    stored_numbers, stored_customer_numbers = set(), set()
    for start in range(0, len(parts), _CHUNK):
        chunk = parts[start : start + _CHUNK]
        stored_numbers |= set(
            Part.objects.filter(part_number__in={p.part_number for p in chunk}).values_list(
                "part_number", "revision"
            )
        )
        stored_customer_numbers |= set(
            Part.objects.annotate(number=Lower("customer_part_number"))
            .filter(number__in={p.customer_part_number.lower() for p in chunk})
            .values_list("customer_id", "number", "revision")
        )
    errors = []
    for row, part in rows:
        if _number_key(part) in stored_numbers:
            message = _("A part with this number and revision already exists.")
            errors.append(RowError(row, "part_number", message))
        elif _customer_number_key(part) in stored_customer_numbers:
            errors.append(RowError(row, "customer_part_number", _constraint_message(_CUSTOMER)))
    return errors


def _constraint_message(name: str) -> str:
    constraint = next(c for c in Part._meta.constraints if c.name == name)
    return str(constraint.violation_error_message)


def _form_data(values: dict) -> dict:
    data = {name: (values.get(name) or "").strip() for name in COLUMNS}
    data["customer"] = data.pop("customer_code")
    data["plant"] = data.pop("plant_code")
    data["revision"] = data["revision"] or DEFAULT_REVISION
    return data


def _row_errors(row: int, form: forms.Form) -> list[RowError]:
    errors = []
    for name, messages in form.errors.items():
        column = "" if name == NON_FIELD_ERRORS else _COLUMN_OF.get(name, name)
        errors.extend(RowError(row, column, message) for message in messages)
    return errors


def _duplicate(row: int, column: str, first_row: int) -> RowError:
    return RowError(
        row, column, _("Duplicate of row %(first)s in this file.") % {"first": first_row}
    )


class _Lookups:
    """Customers and plants by code, read once per file instead of once per row."""

    def __init__(self):
        self.customers = {c.code: c for c in Customer.objects.all()}
        self.plants = {p.code: p for p in Plant.objects.all()}


class _CodeField(forms.Field):
    def __init__(self, *, records: dict, unknown: str, inactive: str, **kwargs):
        super().__init__(**kwargs)
        self.records = records
        self.unknown = unknown
        self.inactive = inactive

    def clean(self, value):
        value = super().clean(value)
        record = self.records.get(value.strip().upper())
        if record is None:
            raise forms.ValidationError(self.unknown % {"code": value})
        if not record.is_active:
            raise forms.ValidationError(self.inactive % {"code": value})
        return record


class PartImportRowForm(forms.Form):
    """One CSV row: field rules come from the model; uniqueness is checked per file."""

    safety_relevant = forms.CharField(required=False)

    def __init__(self, data, *, lookups: _Lookups):
        super().__init__(data)
        self.fields.update(forms.fields_for_model(Part, fields=_MODEL_FIELDS))
        self.fields["customer"] = _CodeField(
            records=lookups.customers,
            unknown=_("Unknown customer code “%(code)s”."),
            inactive=_("Customer “%(code)s” is inactive."),
        )
        self.fields["plant"] = _CodeField(
            records=lookups.plants,
            unknown=_("Unknown plant code “%(code)s”."),
            inactive=_("Plant “%(code)s” is inactive."),
        )
        for name in ("active_from", "active_to"):
            self.fields[name].input_formats = ["%Y-%m-%d"]
            self.fields[name].error_messages["invalid"] = gettext_lazy(
                "Enter the date as YYYY-MM-DD."
            )
        self.part = None

    def clean_safety_relevant(self):
        value = self.cleaned_data["safety_relevant"].strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise forms.ValidationError(_("Use yes or no (or true/false, 1/0)."))

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        part = Part(**cleaned)
        try:
            # Customer and plant come from the lookups; per-row queries would make big files slow.
            part.full_clean(
                exclude=["customer", "plant"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self.add_error(None, error)
            return cleaned
        if part.active_from and part.active_to and part.active_to < part.active_from:
            self.add_error("active_to", _constraint_message(_ACTIVE_RANGE))
            return cleaned
        self.part = part
        return cleaned
