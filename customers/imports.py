"""Reading a parts CSV: the columns, per-row validation and duplicates. Nothing here writes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import csvimport
from core.csvimport import CodeField, ImportResult, RowError

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
    return csvimport.template_csv(COLUMNS, example)


def parse_parts_csv(file) -> tuple[ImportResult, list[Part]]:
    """Validate the whole file; return the result and the unsaved parts when every row is good."""
    result = ImportResult()
    # The limits are read on each call, so that a changed limit applies at once.
    layout = csvimport.Layout(COLUMNS, REQUIRED_COLUMNS, MAX_ROWS, MAX_BYTES)
    rows = csvimport.read_csv(file, layout, result)
    if result.file_errors:
        return result, []
    parts = _validate_rows(rows, result)
    return result, parts if result.ok else []


def _validate_rows(rows: list[csvimport.Row], result: ImportResult) -> list[Part]:
    lookups = _Lookups()
    valid = csvimport.valid_forms(
        rows,
        lambda values: PartImportRowForm(_form_data(values), lookups=lookups),
        result,
        column_of=_COLUMN_OF,
    )
    seen_numbers: dict[tuple, int] = {}
    seen_customer_numbers: dict[tuple, int] = {}
    parts: list[tuple[int, Part]] = []
    for row, form in valid:
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
        parts.append((row, part))
    result.row_errors.extend(_stored_duplicates(parts))
    result.row_errors.sort(key=lambda error: error.row)
    return [part for _row, part in parts]


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


def _duplicate(row: int, column: str, first_row: int) -> RowError:
    return RowError(
        row, column, _("Duplicate of row %(first)s in this file.") % {"first": first_row}
    )


class _Lookups:
    """Customers and plants by code, read once per file instead of once per row."""

    def __init__(self):
        self.customers = {c.code: c for c in Customer.objects.all()}
        self.plants = {p.code: p for p in Plant.objects.all()}


def customer_code_field(customers: dict, *, refuse_inactive: bool = True, **kwargs) -> CodeField:
    """An import column naming a customer by its code; ``customers`` maps codes to customers."""
    return CodeField(
        records=customers,
        unknown=_("Unknown customer code “%(code)s”."),
        inactive=_("Customer “%(code)s” is inactive.") if refuse_inactive else None,
        **kwargs,
    )


def plant_code_field(plants: dict, *, refuse_inactive: bool = True, **kwargs) -> CodeField:
    """An import column naming a plant by its code; ``plants`` maps codes to plants."""
    return CodeField(
        records=plants,
        unknown=_("Unknown plant code “%(code)s”."),
        inactive=_("Plant “%(code)s” is inactive.") if refuse_inactive else None,
        **kwargs,
    )


class PartImportRowForm(forms.Form):
    """One CSV row: field rules come from the model; uniqueness is checked per file."""

    safety_relevant = forms.CharField(required=False)

    def __init__(self, data, *, lookups: _Lookups):
        super().__init__(data)
        self.fields.update(forms.fields_for_model(Part, fields=_MODEL_FIELDS))
        self.fields["customer"] = customer_code_field(lookups.customers)
        self.fields["plant"] = plant_code_field(lookups.plants)
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
