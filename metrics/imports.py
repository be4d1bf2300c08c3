"""Reading deliveries from a CSV file or a list of records: columns and per-row checks.

Nothing here writes. Customers, plants and the parts named in the file are read in bulk before
the rows are checked, so a file costs the same few queries whether it has ten rows or 50,000.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import csvimport
from core.csvimport import ImportResult, RowError
from customers.imports import customer_code_field, plant_code_field
from customers.models import Customer, Part, Plant

COLUMNS = (
    "delivery_note",
    "customer_code",
    "part_number",
    "revision",
    "plant_code",
    "ship_date",
    "quantity",
)
REQUIRED_COLUMNS = ("delivery_note", "customer_code", "part_number", "ship_date", "quantity")
MAX_ROWS = 50_000
MAX_BYTES = 10 * 1024 * 1024
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
MAX_QUANTITY = 2_147_483_647  # the largest value the quantity column holds
# Values per IN (…) query: well below the smallest database limit on query parameters.
QUERY_CHUNK = 900


@dataclass(frozen=True)
class CheckedDelivery:
    """A row that passed every check, ready to be compared with what is stored."""

    row: int
    delivery_note: str
    customer_id: int
    part_id: int
    plant_id: int
    ship_date: dt.date
    quantity: int

    @property
    def values(self) -> dict:
        """The stored fields that the delivery note identifies."""
        return {
            "customer_id": self.customer_id,
            "part_id": self.part_id,
            "plant_id": self.plant_id,
            "ship_date": self.ship_date,
            "quantity": self.quantity,
        }


def layout() -> csvimport.Layout:
    return csvimport.Layout(COLUMNS, REQUIRED_COLUMNS, MAX_ROWS, MAX_BYTES)


def template_csv() -> str:
    example = ["LS-2026-004711", "AUTOWERK", "4711-100", "", "", "2026-01-15", "2400"]
    return csvimport.template_csv(COLUMNS, example)


def parse_deliveries_csv(file) -> tuple[ImportResult, list[CheckedDelivery]]:
    """Check a whole CSV upload; the deliveries are returned only when every row is good."""
    result = ImportResult()
    return result, _check(csvimport.read_csv(file, layout(), result), result)


def parse_deliveries(records) -> tuple[ImportResult, list[CheckedDelivery]]:
    """Check rows given as a list of objects with the CSV's column names (numbered from 1)."""
    result = ImportResult()
    return result, _check(csvimport.read_records(records, layout(), result), result)


def _check(rows: list[csvimport.Row], result: ImportResult) -> list[CheckedDelivery]:
    if result.file_errors:
        return []
    lookups = _Lookups(rows)
    valid = csvimport.valid_forms(
        rows,
        lambda values: DeliveryImportRowForm(values, lookups=lookups),
        result,
    )
    deliveries = _without_repeats([replace(form.delivery, row=row) for row, form in valid], result)
    result.row_errors.sort(key=_in_file_order)
    return deliveries if result.ok else []


def _in_file_order(error: RowError) -> tuple[int, int]:
    position = COLUMNS.index(error.column) if error.column in COLUMNS else -1
    return error.row, position


def _without_repeats(
    deliveries: list[CheckedDelivery], result: ImportResult
) -> list[CheckedDelivery]:
    """A note repeated with the same data counts once; repeated with other data, it is an error."""
    first: dict[str, CheckedDelivery] = {}
    for delivery in deliveries:
        earlier = first.setdefault(delivery.delivery_note, delivery)
        if earlier is not delivery and earlier.values != delivery.values:
            message = _("Delivery note %(note)s is also in row %(first)s, with different data.") % {
                "note": delivery.delivery_note,
                "first": earlier.row,
            }
            result.row_errors.append(RowError(delivery.row, "delivery_note", message))
    return list(first.values())


class _Lookups:
    """Customers, plants and the parts the rows name, each read once per file."""

    def __init__(self, rows: list[csvimport.Row]):
        customers = {c.code: c for c in Customer.objects.only("pk", "code", "is_active")}
        plants = {p.code: p for p in Plant.objects.only("pk", "code", "is_active")}
        # Deliveries are history: they may name a customer or plant that is inactive by now.
        self.customer_field = customer_code_field(customers, refuse_inactive=False)
        self.plant_field = plant_code_field(plants, refuse_inactive=False, required=False)
        self.parts = _parts_by_number({values["part_number"] for _row, values in rows})


def _parts_by_number(numbers: set[str]) -> dict[str, list[Part]]:
    numbers = sorted(number for number in numbers if number)
    parts = defaultdict(list)
    for start in range(0, len(numbers), QUERY_CHUNK):
        chunk = numbers[start : start + QUERY_CHUNK]
        for part in Part.objects.filter(part_number__in=chunk).only(
            "pk", "part_number", "revision", "customer_id", "plant_id"
        ):
            parts[part.part_number].append(part)
    return parts


class DeliveryImportRowForm(csvimport.RowForm):
    """One row: the delivery note, who got which part from which plant, when, and how many."""

    delivery_note = forms.CharField(max_length=50)
    part_number = forms.CharField(max_length=50)
    revision = forms.CharField(max_length=20, required=False)
    ship_date = forms.DateField(
        input_formats=DATE_FORMATS,
        error_messages={"invalid": gettext_lazy("Enter the date as YYYY-MM-DD or DD.MM.YYYY.")},
    )
    quantity = forms.IntegerField(
        min_value=1,
        max_value=MAX_QUANTITY,
        error_messages={"invalid": gettext_lazy("Enter a whole number of parts.")},
    )

    def __init__(self, data, *, lookups: _Lookups):
        super().__init__(data)
        # Built once per file, like the shared declared fields: checking a row changes no field.
        self.fields["customer_code"] = lookups.customer_field
        self.fields["plant_code"] = lookups.plant_field
        self.order_fields(COLUMNS)
        self.parts = lookups.parts
        self.delivery: CheckedDelivery | None = None

    def clean(self):
        cleaned = super().clean()
        customer, number = cleaned.get("customer_code"), cleaned.get("part_number")
        if customer is None or not number:
            return cleaned
        part = self._part(customer, number, cleaned.get("revision", ""))
        if part is None or self.errors:
            return cleaned
        plant = cleaned.get("plant_code")
        self.delivery = CheckedDelivery(
            row=0,  # the caller knows the row
            delivery_note=cleaned["delivery_note"],
            customer_id=customer.pk,
            part_id=part.pk,
            plant_id=plant.pk if plant else part.plant_id,
            ship_date=cleaned["ship_date"],
            quantity=cleaned["quantity"],
        )
        return cleaned

    def _part(self, customer: Customer, number: str, revision: str) -> Part | None:
        """The customer's part with this number; the revision is needed only to choose one."""
        known = self.parts.get(number, [])
        own = [part for part in known if part.customer_id == customer.pk]
        if not own:
            message = (
                _("Part %(number)s does not belong to customer %(code)s.")
                if known
                else _("Unknown part number “%(number)s”.")
            )
            self.add_error("part_number", message % {"number": number, "code": customer.code})
            return None
        revisions = ", ".join(sorted(part.revision for part in own))
        if revision:
            part = next((part for part in own if part.revision == revision), None)
            if part is None:
                self.add_error(
                    "revision",
                    _("Part %(number)s has no revision “%(revision)s” (known: %(revisions)s).")
                    % {"number": number, "revision": revision, "revisions": revisions},
                )
            return part
        if len(own) > 1:
            self.add_error(
                "revision",
                _("Part %(number)s exists in revisions %(revisions)s: name the revision.")
                % {"number": number, "revisions": revisions},
            )
            return None
        return own[0]
