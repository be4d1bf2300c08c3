"""Delivery import from CSV and from rows: all or nothing, idempotent on the delivery note."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import PermissionDenied
from customers.tests.factories import CustomerFactory, PartFactory, PlantFactory
from metrics import imports
from metrics.imports import COLUMNS
from metrics.models import Delivery
from metrics.services import deliveries_import

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


@pytest.fixture
def plant():
    return PlantFactory(code="PL01")


@pytest.fixture
def other_plant():
    return PlantFactory(code="PL02")


@pytest.fixture
def bracket(customer_a, plant):
    return PartFactory(part_number="4711-100", revision="A", customer=customer_a, plant=plant)


def csv_file(*lines, delimiter=",", bom=False):
    text = "\r\n".join(line.replace(",", delimiter) for line in lines) + "\r\n"
    data = ("\ufeff" if bom else "") + text
    return SimpleUploadedFile("deliveries.csv", data.encode("utf-8"), content_type="text/csv")


def row(note, part="4711-100", customer="AUTOWERK", **extra):
    values = {
        "delivery_note": note,
        "customer_code": customer,
        "part_number": part,
        "revision": "",
        "plant_code": "",
        "ship_date": "2026-01-15",
        "quantity": "2400",
        **extra,
    }
    return ",".join(values[column] for column in COLUMNS)


def record(note, part="4711-100", customer="AUTOWERK", **extra):
    return {
        "delivery_note": note,
        "customer_code": customer,
        "part_number": part,
        "ship_date": "2026-01-15",
        "quantity": 2400,
        **extra,
    }


def errors_of(result):
    return [(e.row, e.column, e.message) for e in result.row_errors]


def counts_of(result):
    return (result.created, result.updated, result.unchanged)


class TestCsv:
    def test_good_file_imports_every_row(self, engineer, customer_a, bracket, other_plant):
        upload = csv_file(
            HEADER,
            row("DN-1"),
            row("DN-2", plant_code="PL02", ship_date="16.01.2026", quantity="800"),
        )
        result = deliveries_import(file=upload, actor=engineer)
        assert result.ok, result.row_errors or result.file_errors
        assert counts_of(result) == (2, 0, 0)
        first, second = Delivery.objects.order_by("delivery_note")
        assert (first.customer, first.part, first.plant) == (customer_a, bracket, bracket.plant)
        assert (first.ship_date, first.quantity) == (dt.date(2026, 1, 15), 2400)
        assert first.imported_by == engineer
        assert second.plant == other_plant
        assert (second.ship_date, second.quantity) == (dt.date(2026, 1, 16), 800)

    def test_one_bad_row_imports_nothing_and_names_line_column_reason(self, engineer, bracket):
        upload = csv_file(
            HEADER,
            row("DN-1"),
            row("DN-2", quantity="0"),
            row("DN-3", ship_date="2026-13-01"),
            row("DN-4", quantity="12.5"),
        )
        result = deliveries_import(file=upload, actor=engineer)
        assert not result.ok
        assert counts_of(result) == (0, 0, 0)
        assert errors_of(result) == [
            (3, "quantity", "Ensure this value is greater than or equal to 1."),
            (4, "ship_date", "Enter the date as YYYY-MM-DD or DD.MM.YYYY."),
            (5, "quantity", "Enter a whole number of parts."),
        ]
        assert not Delivery.objects.exists()

    def test_missing_values_are_named_by_column(self, engineer, bracket):
        empty = row("", customer="", part="", revision="A", ship_date="", quantity="")
        upload = csv_file(HEADER, empty, ",,,,,,")  # a line of empty cells is no row at all
        result = deliveries_import(file=upload, actor=engineer)
        assert [column for _row, column, _m in errors_of(result)] == [
            "delivery_note",
            "customer_code",
            "part_number",
            "ship_date",
            "quantity",
        ]

    def test_the_same_file_twice_creates_nothing_the_second_time(self, engineer, bracket):
        lines = [HEADER, row("DN-1"), row("DN-2", quantity="800")]
        assert counts_of(deliveries_import(file=csv_file(*lines), actor=engineer)) == (2, 0, 0)
        stored = list(Delivery.objects.values_list("pk", "updated_at"))

        again = deliveries_import(file=csv_file(*lines), actor=engineer)

        assert again.ok
        assert counts_of(again) == (0, 0, 2)
        assert list(Delivery.objects.values_list("pk", "updated_at")) == stored

    def test_a_stored_note_with_other_data_is_a_correction(self, engineer, manager, bracket):
        deliveries_import(file=csv_file(HEADER, row("DN-1"), row("DN-2")), actor=engineer)
        original = Delivery.objects.get(delivery_note="DN-1")

        result = deliveries_import(
            file=csv_file(HEADER, row("DN-1", quantity="2300"), row("DN-2"), row("DN-3")),
            actor=manager,
        )

        assert counts_of(result) == (1, 1, 1)
        corrected = Delivery.objects.get(delivery_note="DN-1")
        assert corrected.pk == original.pk
        assert corrected.quantity == 2300
        assert corrected.imported_by == manager
        assert corrected.created_at == original.created_at
        assert corrected.updated_at > original.updated_at
        assert Delivery.objects.get(delivery_note="DN-2").imported_by == engineer
        assert Delivery.objects.count() == 3

    def test_semicolons_and_byte_order_mark(self, engineer, bracket):
        upload = csv_file(HEADER, row("DN-1"), row("DN-2"), delimiter=";", bom=True)
        result = deliveries_import(file=upload, actor=engineer)
        assert result.ok, result.row_errors or result.file_errors
        assert result.created == 2

    def test_part_of_another_customer_is_refused(self, engineer, bracket, customer_b):
        upload = csv_file(HEADER, row("DN-1", customer="BRENNER"))
        result = deliveries_import(file=upload, actor=engineer)
        assert errors_of(result) == [
            (2, "part_number", "Part 4711-100 does not belong to customer BRENNER.")
        ]
        assert not Delivery.objects.exists()

    def test_unknown_codes_and_part(self, engineer, bracket):
        upload = csv_file(HEADER, row("DN-1", customer="NOPE", plant_code="XX"), row("DN-2", "9"))
        result = deliveries_import(file=upload, actor=engineer)
        assert errors_of(result) == [
            (2, "customer_code", "Unknown customer code “NOPE”."),
            (2, "plant_code", "Unknown plant code “XX”."),
            (3, "part_number", "Unknown part number “9”."),
        ]

    def test_several_revisions_need_the_revision(self, engineer, customer_a, plant):
        PartFactory(part_number="4711-100", revision="A", customer=customer_a, plant=plant)
        revision_b = PartFactory(
            part_number="4711-100", revision="B", customer=customer_a, plant=plant
        )
        ambiguous = deliveries_import(file=csv_file(HEADER, row("DN-1")), actor=engineer)
        assert errors_of(ambiguous) == [
            (2, "revision", "Part 4711-100 exists in revisions A, B: name the revision.")
        ]
        upload = csv_file(HEADER, row("DN-1", revision="C"))
        unknown = deliveries_import(file=upload, actor=engineer)
        assert errors_of(unknown) == [
            (2, "revision", "Part 4711-100 has no revision “C” (known: A, B).")
        ]
        named = deliveries_import(file=csv_file(HEADER, row("DN-1", revision="B")), actor=engineer)
        assert named.ok
        assert Delivery.objects.get().part == revision_b

    def test_a_single_revision_may_be_named_or_left_out(self, engineer, bracket):
        upload = csv_file(HEADER, row("DN-1", revision="A"), row("DN-2"))
        assert deliveries_import(file=upload, actor=engineer).created == 2

    def test_same_note_twice_with_different_data_is_an_error(self, engineer, bracket):
        upload = csv_file(HEADER, row("DN-1"), row("DN-2"), row("DN-1", quantity="10"))
        result = deliveries_import(file=upload, actor=engineer)
        assert errors_of(result) == [
            (4, "delivery_note", "Delivery note DN-1 is also in row 2, with different data.")
        ]
        assert not Delivery.objects.exists()

    def test_same_note_twice_with_the_same_data_counts_once(self, engineer, bracket):
        upload = csv_file(HEADER, row("DN-1"), row("DN-1"))
        result = deliveries_import(file=upload, actor=engineer)
        assert result.ok
        assert counts_of(result) == (1, 0, 0)
        assert Delivery.objects.count() == 1

    def test_inactive_customer_still_takes_deliveries(self, engineer, plant):
        customer = CustomerFactory(code="OLDCO", is_active=False)
        PartFactory(part_number="P-OLD", customer=customer, plant=plant)
        result = deliveries_import(
            file=csv_file(HEADER, row("DN-1", "P-OLD", customer="OLDCO")), actor=engineer
        )
        assert result.ok, result.row_errors

    def test_missing_column_is_one_file_error(self, engineer, bracket):
        header = HEADER.replace(",quantity", "")
        result = deliveries_import(
            file=csv_file(header, "DN-1,AUTOWERK,4711-100,,,2026-01-15"), actor=engineer
        )
        assert len(result.file_errors) == 1
        assert "quantity" in result.file_errors[0]
        assert result.row_errors == []

    def test_too_many_rows(self, engineer, bracket, monkeypatch):
        monkeypatch.setattr(imports, "MAX_ROWS", 2)
        upload = csv_file(HEADER, row("DN-1"), row("DN-2"), row("DN-3"))
        result = deliveries_import(file=upload, actor=engineer)
        assert result.file_errors == ["The file has more than 2 rows. Split it into smaller files."]
        assert not Delivery.objects.exists()

    def test_template_imports_when_codes_exist(self, engineer, customer_a, plant):
        PartFactory(part_number="4711-100", customer=customer_a, plant=plant)
        upload = SimpleUploadedFile("t.csv", imports.template_csv().encode())
        assert deliveries_import(file=upload, actor=engineer).created == 1


class TestRows:
    def test_rows_import_like_a_file(self, engineer, bracket):
        result = deliveries_import(
            rows=[record("DN-1"), record("DN-2", quantity="800", revision=None)], actor=engineer
        )
        assert result.ok, result.row_errors
        assert (result.rows, *counts_of(result)) == (2, 2, 0, 0)

    def test_rows_are_numbered_from_one(self, engineer, bracket):
        result = deliveries_import(
            rows=[record("DN-1"), record("DN-2", quantity=-5), "DN-3", record("DN-4", colour=1)],
            actor=engineer,
        )
        assert [(row, column) for row, column, _m in errors_of(result)] == [
            (2, "quantity"),
            (3, ""),
            (4, "colour"),
        ]
        assert not Delivery.objects.exists()

    def test_rows_must_be_a_list(self, engineer):
        result = deliveries_import(rows={"delivery_note": "DN-1"}, actor=engineer)
        assert result.file_errors == ["Send the rows as a list of objects."]


class TestPermission:
    def test_customer_users_may_not_import(self, user_a, bracket):
        with pytest.raises(PermissionDenied):
            deliveries_import(rows=[record("DN-1")], actor=user_a)
        assert not Delivery.objects.exists()


class TestQueryCount:
    """Lookups are read in bulk: the queries do not grow with the rows."""

    def _queries(self, engineer, rows) -> int:
        with CaptureQueriesContext(connection) as queries:
            result = deliveries_import(rows=rows, actor=engineer)
        assert result.ok, result.row_errors
        return len(queries)

    @pytest.fixture
    def parts(self, customer_a, plant):
        return [PartFactory(customer=customer_a, plant=plant) for _ in range(5)]

    def _rows(self, parts, start, count, quantity=100):
        return [
            record(f"DN-{n}", parts[n % len(parts)].part_number, quantity=quantity)
            for n in range(start, start + count)
        ]

    def test_new_notes(self, engineer, parts):
        few = self._queries(engineer, self._rows(parts, 0, 10))
        many = self._queries(engineer, self._rows(parts, 100, 100))
        assert few == many

    def test_unchanged_and_corrected_notes(self, engineer, parts):
        self._queries(engineer, self._rows(parts, 0, 100))
        few = self._queries(engineer, self._rows(parts, 0, 10, quantity=200))
        many = self._queries(engineer, self._rows(parts, 0, 100, quantity=300))
        unchanged = self._queries(engineer, self._rows(parts, 0, 100, quantity=300))
        assert few == many
        assert unchanged < many
        assert set(Delivery.objects.values_list("quantity", flat=True)) == {300}
