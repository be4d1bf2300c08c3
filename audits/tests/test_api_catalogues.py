"""Question catalogues through the API: the page's import and export, for API clients."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audits.models import Catalogue
from audits.tests import factories as f
from audits.workflow import PLAN, WORK

pytestmark = pytest.mark.django_db

API = "/api/v1/audit-catalogues"
CSV_HEADER = b"code,element,sub_element,star,text\n"
GOOD_CSV = CSV_HEADER + b"P2.1,P2,,yes,Project plan?\nP6.1,P6,U1,no,Inputs correct?\n"
# Row 2 is a P6 question without its sub-element and without a text.
BAD_CSV = CSV_HEADER + b"P2.1,P2,,no,Fine\nP6.1,P6,,no,\n"


def _csv_upload(content: bytes, **fields) -> dict:
    upload = SimpleUploadedFile("catalogue.csv", content, content_type="text/csv")
    return {"file": upload, "format": "csv", "name": "Mine", "version": "1", "kind": "vda63"} | (
        fields
    )


def _contents(catalogue: Catalogue) -> tuple:
    questions = catalogue.questions.order_by("position").values_list(
        "position", "code", "element", "sub_element", "star", "text"
    )
    return (catalogue.name, catalogue.version, catalogue.kind, catalogue.notes, list(questions))


def test_a_csv_import_through_the_api_equals_the_page_import(manager, client_for, api_client_for):
    page = client_for(manager).post(reverse("audits:catalogue-import"), _csv_upload(GOOD_CSV))
    assert page.status_code == 302
    by_page = Catalogue.objects.get(version="1")

    response = api_client_for(manager).post(
        f"{API}/import/", _csv_upload(GOOD_CSV, version="2"), format="multipart"
    )

    assert response.status_code == 201, response.json()
    by_api = Catalogue.objects.get(version="2")
    assert response.json()["id"] == by_api.pk
    assert [q["code"] for q in response.json()["questions"]] == ["P2.1", "P6.1"]
    assert _contents(by_api)[2:] == _contents(by_page)[2:]
    assert by_api.history.get().history_user == manager


def test_a_json_import_through_the_api_stores_the_file_as_given(manager, api_client_for):
    data = {
        "name": "Process audit",
        "version": "2027",
        "kind": "vda63",
        "notes": "Yearly review",
        "questions": f.SMALL_VDA,
    }
    upload = SimpleUploadedFile("c.json", json.dumps(data).encode(), "application/json")

    response = api_client_for(manager).post(
        f"{API}/import/", {"file": upload, "format": "json"}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    catalogue = Catalogue.objects.get(pk=response.json()["id"])
    assert (catalogue.name, catalogue.version, catalogue.notes) == (
        "Process audit",
        "2027",
        "Yearly review",
    )
    assert list(catalogue.questions.order_by("position").values_list("code", flat=True)) == [
        row["code"] for row in f.SMALL_VDA
    ]


def test_a_bad_file_is_a_400_with_the_row_messages_and_nothing_written(manager, api_client_for):
    response = api_client_for(manager).post(
        f"{API}/import/", _csv_upload(BAD_CSV), format="multipart"
    )

    assert response.status_code == 400
    messages = response.json()["detail"]
    assert "Row 2: the question text is missing." in messages
    assert "Row 2: a P6 question needs its sub-element U1 to U6." in messages
    assert not Catalogue.objects.exists()


def test_an_existing_version_and_a_missing_file_are_refused(manager, api_client_for):
    api = api_client_for(manager)
    catalogue = f.vda_catalogue(version="7")
    again = _csv_upload(GOOD_CSV, name=catalogue.name, version="7")

    duplicate = api.post(f"{API}/import/", again, format="multipart")
    no_file = api.post(f"{API}/import/", {"format": "csv"}, format="multipart")
    no_kind = _csv_upload(GOOD_CSV, version="8")
    del no_kind["kind"]
    without_kind = api.post(f"{API}/import/", no_kind, format="multipart")

    assert duplicate.status_code == 400 and "exists already" in duplicate.json()["detail"][0]
    assert no_file.status_code == 400 and "file" in no_file.json()
    assert without_kind.json() == {"detail": ["Choose the kind of catalogue."]}
    assert Catalogue.objects.count() == 1


def test_an_oversized_file_is_refused_like_on_the_page(manager, api_client_for):
    too_large = GOOD_CSV + b"#" * (2 * 1024 * 1024)

    response = api_client_for(manager).post(
        f"{API}/import/", _csv_upload(too_large), format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["file"] == ["A catalogue file has at most 2 MB."]
    assert not Catalogue.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_export_is_the_page_export_byte_for_byte(fmt, manager, client_for, api_client_for):
    catalogue = f.vda_catalogue(version="3")
    page = client_for(manager).get(reverse("audits:catalogue-export", args=[catalogue.pk, fmt]))

    response = api_client_for(manager).get(f"{API}/{catalogue.pk}/export/?format={fmt}")

    assert response.status_code == 200
    assert response.content == page.content
    assert response["Content-Type"] == page["Content-Type"]
    assert response["Content-Disposition"] == page["Content-Disposition"]


def test_the_export_without_a_format_is_json_that_imports_again(manager, api_client_for):
    catalogue = f.vda_catalogue(version="4")
    api = api_client_for(manager)

    exported = api.get(f"{API}/{catalogue.pk}/export/")
    exported_data = exported.json() | {"version": "5"}
    upload = SimpleUploadedFile("c.json", json.dumps(exported_data).encode())
    imported = api.post(f"{API}/import/", {"file": upload, "format": "json"}, format="multipart")

    assert exported.status_code == 200 and exported["Content-Type"] == "application/json"
    assert imported.status_code == 201
    copy = Catalogue.objects.get(pk=imported.json()["id"])
    assert _contents(copy)[4] == _contents(catalogue)[4]


def test_an_unknown_export_format_or_catalogue_is_a_404(manager, api_client_for):
    catalogue = f.vda_catalogue()
    api = api_client_for(manager)

    assert api.get(f"{API}/{catalogue.pk}/export/?format=pdf").status_code == 404
    assert api.get(f"{API}/{catalogue.pk + 1000}/export/").status_code == 404


def test_customer_users_are_refused_reads_and_writes(user_a, api_client_for):
    catalogue = f.vda_catalogue()
    api = api_client_for(user_a)

    imported = api.post(f"{API}/import/", _csv_upload(GOOD_CSV, version="9"), format="multipart")

    assert imported.status_code == 403
    assert api.get(f"{API}/{catalogue.pk}/export/?format=csv").status_code == 403
    assert api.get(f"{API}/").status_code == 403
    assert Catalogue.objects.count() == 1


def test_staff_without_the_planning_capability_may_export_but_not_import(engineer, api_client_for):
    catalogue = f.vda_catalogue()
    api = api_client_for(engineer)
    assert engineer.has_capability(WORK) and not engineer.has_capability(PLAN)

    imported = api.post(f"{API}/import/", _csv_upload(GOOD_CSV, version="9"), format="multipart")

    assert imported.status_code == 403
    assert api.get(f"{API}/{catalogue.pk}/export/").status_code == 200
    assert Catalogue.objects.count() == 1


def test_the_schema_documents_import_and_export(api_client_for, engineer):
    schema = api_client_for(engineer).get("/api/schema/", HTTP_ACCEPT="application/json").json()

    imported = schema["paths"][f"{API}/import/"]["post"]
    exported = schema["paths"][f"{API}/{{id}}/export/"]["get"]

    assert "multipart/form-data" in imported["requestBody"]["content"]
    assert {"201", "400", "403"} <= set(imported["responses"])
    assert set(exported["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    format_parameter = next(p for p in exported["parameters"] if p["name"] == "format")
    assert sorted(format_parameter["schema"]["enum"]) == ["csv", "json"]
