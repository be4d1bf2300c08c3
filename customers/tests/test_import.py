import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from customers import imports
from customers.imports import COLUMNS
from customers.models import Part
from customers.services import parts_import_csv
from customers.tests.factories import CustomerFactory, PartFactory, PlantFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


@pytest.fixture
def plant():
    return PlantFactory(code="PL01")


def csv_file(*lines, delimiter=",", bom=False, name="parts.csv"):
    text = "\r\n".join(line.replace(",", delimiter) for line in lines) + "\r\n"
    data = ("\ufeff" if bom else "") + text
    return SimpleUploadedFile(name, data.encode("utf-8"), content_type="text/csv")


def row(number, customer_number="C-1", customer="AUTOWERK", plant="PL01", **extra):
    values = {
        "part_number": number,
        "customer_part_number": customer_number,
        "revision": "A",
        "description": f"Bracket {number}",
        "customer_code": customer,
        "plant_code": plant,
        "commodity": "Stamping",
        "safety_relevant": "no",
        "active_from": "2026-01-01",
        "active_to": "",
        **extra,
    }
    return ",".join(values[column] for column in COLUMNS)


def messages_of(result):
    return [(e.row, e.column, e.message) for e in result.row_errors]


class TestService:
    def test_good_file_imports_every_row(self, engineer, customer_a, customer_b, plant):
        upload = csv_file(
            HEADER,
            row("P-1", "C-1"),
            row("P-2", "C-2", safety_relevant="yes"),
            row("P-3", "C-1", customer="BRENNER", safety_relevant=""),
        )
        result = parts_import_csv(file=upload, actor=engineer)
        assert result.ok
        assert result.created == 3
        parts = {p.part_number: p for p in Part.objects.select_related("customer")}
        assert set(parts) == {"P-1", "P-2", "P-3"}
        assert parts["P-2"].safety_relevant is True
        assert parts["P-3"].customer == customer_b
        assert str(parts["P-1"].active_from) == "2026-01-01"
        assert Part.history.filter(history_user=engineer).count() == 3

    def test_one_bad_row_imports_nothing_and_names_row_and_column(
        self, engineer, customer_a, plant
    ):
        upload = csv_file(
            HEADER,
            row("P-1", "C-1"),
            row("P-2", "C-2", active_from="01.02.2026"),
            row("P-3", "C-3"),
        )
        result = parts_import_csv(file=upload, actor=engineer)
        assert not result.ok
        assert result.created == 0
        assert messages_of(result) == [(3, "active_from", "Enter the date as YYYY-MM-DD.")]
        assert not Part.objects.exists()

    def test_unknown_customer_and_plant_codes(self, engineer, customer_a, plant):
        upload = csv_file(HEADER, row("P-1"), row("P-2", customer="NOPE", plant="XX"))
        result = parts_import_csv(file=upload, actor=engineer)
        assert messages_of(result) == [
            (3, "customer_code", "Unknown customer code “NOPE”."),
            (3, "plant_code", "Unknown plant code “XX”."),
        ]
        assert not Part.objects.exists()

    def test_duplicate_rows_within_the_file(self, engineer, customer_a, plant):
        upload = csv_file(
            HEADER,
            row("P-1", "C-1"),
            row("P-1", "C-9"),
            row("P-2", "c-1"),
        )
        result = parts_import_csv(file=upload, actor=engineer)
        assert messages_of(result) == [
            (3, "part_number", "Duplicate of row 2 in this file."),
            (4, "customer_part_number", "Duplicate of row 2 in this file."),
        ]
        assert not Part.objects.exists()

    def test_duplicate_of_a_stored_part(self, engineer, customer_a, plant):
        PartFactory(part_number="P-1", revision="A", customer=customer_a, plant=plant)
        result = parts_import_csv(file=csv_file(HEADER, row("P-1", "C-77")), actor=engineer)
        assert not result.ok
        assert result.row_errors[0].row == 2
        assert "already exists" in result.row_errors[0].message
        assert Part.objects.count() == 1

    def test_model_rules_apply_per_row(self, engineer, customer_a, plant):
        upload = csv_file(
            HEADER,
            row("P-1", description="x" * 201),
            row("P-2", "C-2", active_from="2026-05-01", active_to="2026-04-01"),
        )
        result = parts_import_csv(file=upload, actor=engineer)
        assert [(e.row, e.column) for e in result.row_errors] == [
            (2, "description"),
            (3, "active_to"),
        ]
        assert "must not be before" in result.row_errors[1].message

    def test_bom_and_semicolons(self, engineer, customer_a, plant):
        upload = csv_file(
            HEADER,
            row("P-1", description="Bracket"),
            row("P-2", "C-2"),
            delimiter=";",
            bom=True,
        )
        result = parts_import_csv(file=upload, actor=engineer)
        assert result.ok, result.row_errors or result.file_errors
        assert result.created == 2

    def test_missing_required_column_is_one_file_error(self, engineer, customer_a, plant):
        header = HEADER.replace("plant_code,", "")
        line = "P-1,C-1,A,Bracket,AUTOWERK,Stamping,no,,"
        result = parts_import_csv(file=csv_file(header, line, line), actor=engineer)
        assert len(result.file_errors) == 1
        assert "plant_code" in result.file_errors[0]
        assert result.row_errors == []
        assert not Part.objects.exists()

    def test_bad_flag_and_blank_revision(self, engineer, customer_a, plant):
        upload = csv_file(
            HEADER, row("P-1", revision=""), row("P-2", "C-2", safety_relevant="maybe")
        )
        result = parts_import_csv(file=upload, actor=engineer)
        assert [(e.row, e.column) for e in result.row_errors] == [(3, "safety_relevant")]

    def test_blank_revision_means_a(self, engineer, customer_a, plant):
        result = parts_import_csv(file=csv_file(HEADER, row("P-1", revision="")), actor=engineer)
        assert result.ok
        assert Part.objects.get().revision == "A"

    def test_too_many_rows(self, engineer, customer_a, plant, monkeypatch):
        monkeypatch.setattr(imports, "MAX_ROWS", 2)
        upload = csv_file(HEADER, row("P-1", "C-1"), row("P-2", "C-2"), row("P-3", "C-3"))
        result = parts_import_csv(file=upload, actor=engineer)
        assert result.file_errors == ["The file has more than 2 rows. Split it into smaller files."]
        assert not Part.objects.exists()

    def test_too_large_file(self, engineer, monkeypatch):
        monkeypatch.setattr(imports, "MAX_BYTES", 10)
        result = parts_import_csv(file=csv_file(HEADER), actor=engineer)
        assert "largest file allowed" in result.file_errors[0]

    def test_not_utf8(self, engineer):
        upload = SimpleUploadedFile("p.csv", HEADER.encode() + "\nÄ".encode("latin-1"))
        result = parts_import_csv(file=upload, actor=engineer)
        assert "UTF-8" in result.file_errors[0]

    def test_inactive_customer_is_refused(self, engineer, plant):
        CustomerFactory(code="OLDCO", is_active=False)
        result = parts_import_csv(
            file=csv_file(HEADER, row("P-1", customer="OLDCO")), actor=engineer
        )
        assert messages_of(result) == [(2, "customer_code", "Customer “OLDCO” is inactive.")]


class TestPage:
    @property
    def url(self):
        return reverse("customers:part-import")

    def test_good_upload_redirects_with_count(self, client_for, engineer, customer_a, plant):
        response = client_for(engineer).post(
            self.url, {"file": csv_file(HEADER, row("P-1"), row("P-2", "C-2"))}, follow=True
        )
        assert response.redirect_chain[-1][0] == reverse("customers:part-list")
        assert "2 parts imported." in response.content.decode()
        assert Part.objects.count() == 2

    def test_bad_upload_shows_report_table(self, client_for, engineer, customer_a, plant):
        response = client_for(engineer).post(
            self.url, {"file": csv_file(HEADER, row("P-1"), row("P-2", customer="NOPE"))}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Nothing was imported" in html
        assert "<td>3</td>" in html
        assert "Unknown customer code “NOPE”." in html
        assert not Part.objects.exists()

    def test_template_download_is_a_valid_header(self, client_for, engineer):
        response = client_for(engineer).get(reverse("customers:part-import-template"))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response.content.decode().splitlines()[0] == HEADER

    def test_template_imports_when_codes_exist(self, engineer):
        CustomerFactory(code="AUTOWERK")
        PlantFactory(code="PL01")
        upload = SimpleUploadedFile("t.csv", imports.template_csv().encode())
        assert parts_import_csv(file=upload, actor=engineer).created == 1

    @pytest.mark.parametrize("name", ["customers:part-import", "customers:part-import-template"])
    def test_customer_users_are_forbidden(self, client_for, user_a, name):
        assert client_for(user_a).get(reverse(name)).status_code == 403

    def test_customer_user_cannot_post(self, client_for, user_a, customer_a, plant):
        response = client_for(user_a).post(self.url, {"file": csv_file(HEADER, row("P-1"))})
        assert response.status_code == 403
        assert not Part.objects.exists()
