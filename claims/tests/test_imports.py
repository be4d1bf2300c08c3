"""The bulk claim import: a customer's CSV or JSON file files every new row, or nothing.

Imported once, a file files its claims; imported again it changes nothing (the customer's
reference identifies a claim). One bad row refuses the whole file and is named by its line.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from claims import imports
from claims.models import Claim, ClaimEvent, ClaimImport, ClaimImportMapping
from core.errors import PermissionDenied
from core.models import Sequence
from customers.tests.factories import PartFactory
from notifications.models import Notification
from tests.test_concurrency import race

pytestmark = pytest.mark.django_db

HEADER = [
    "customer_reference",
    "part",
    "kind",
    "severity",
    "detection_location",
    "detection_date",
    "symptom",
    "suspect_qty",
    "nonconforming_qty",
    "lot",
]


def _row(of_part, number: int, **overrides) -> dict:
    row = {
        "customer_reference": f"QN-{number:05d}",
        "part": of_part.customer_part_number,
        "kind": "0km",
        "severity": "major",
        "detection_location": "line",
        "detection_date": "2026-03-02",
        "symptom": f"Burr on the mounting hole, lot {number}",
        "suspect_qty": "500",
        "nonconforming_qty": "12",
        "lot": f"L{number}",
    }
    row.update(overrides)
    return row


def _rows(part, count: int) -> list[dict]:
    return [_row(part, number) for number in range(1, count + 1)]


def _csv(rows: list[dict], *, delimiter: str = ",", header=None, bom: bool = False) -> bytes:
    buffer = io.StringIO()
    columns = header or list(dict.fromkeys(name for row in rows for name in row))
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode()


def _import(actor, customer, content: bytes, name: str = "claims.csv") -> imports.Imported:
    return imports.claims_import(actor=actor, customer=customer, content=content, file_name=name)


def _refusal(actor, customer, content: bytes, name: str = "claims.csv") -> list[str]:
    with pytest.raises(ValidationError) as refused:
        _import(actor, customer, content, name)
    return refused.value.messages


@pytest.fixture
def part_a(customer_a):
    return PartFactory(customer=customer_a, customer_part_number="A 123 456 78 90")


# --- a file imported once, and again -------------------------------------------------------------


def test_500_csv_rows_import_once_and_again_change_nothing(user_a, customer_a, part_a, manager):
    content = _csv(_rows(part_a, 500))

    first = _import(user_a, customer_a, content)

    assert Claim.objects.filter(customer=customer_a).count() == 500
    assert ClaimImport.objects.get() == first.log
    assert (first.log.rows, first.log.created, first.log.skipped) == (500, 500, 0)
    assert first.log.format == ClaimImport.Format.CSV and first.log.created_by == user_a
    assert len(first.numbers) == 500 and len(set(first.numbers)) == 500
    claim = Claim.objects.get(customer_reference="QN-00137")
    assert claim.status == Claim.Status.SUBMITTED and claim.created_by == user_a
    assert (claim.part, claim.part_revision, claim.lot) == (part_a, "A", "L137")
    assert (claim.suspect_qty, claim.nonconforming_qty, claim.ppm_qty) == (500, 12, 12)
    actions = set(claim.events.values_list("action", flat=True))
    assert actions == {"file", "submit", "import"}
    assert claim.events.get(action="import").comment == "claims.csv, Line 138"
    assert claim.history.count() >= 2  # filed, submitted: as a claim filed by hand
    # Our team hears of the file once, not 500 times.
    told = Notification.objects.filter(recipient=manager)
    assert told.count() == 1
    assert "500 new claims" in told.get().title and "claims.csv" in told.get().title

    again = _import(user_a, customer_a, content)

    assert (again.log.created, again.log.skipped, again.numbers) == (0, 500, [])
    assert Claim.objects.filter(customer=customer_a).count() == 500
    assert ClaimImport.objects.filter(customer=customer_a).count() == 2
    assert Notification.objects.filter(recipient=manager).count() == 1


def test_500_json_items_import_once_and_again_change_nothing(user_a, customer_a, part_a):
    items = _rows(part_a, 500)
    for item in items:  # JSON brings numbers as numbers
        item["suspect_qty"], item["nonconforming_qty"] = 500, 12.0
    content = json.dumps({"claims": items}).encode()

    first = _import(user_a, customer_a, content, "export.json")
    again = _import(user_a, customer_a, content, "export.json")

    assert (first.log.format, first.log.created, first.log.skipped) == ("json", 500, 0)
    assert (again.log.created, again.log.skipped) == (0, 500)
    assert Claim.objects.filter(customer=customer_a).count() == 500
    assert ClaimEvent.objects.get(
        claim__customer_reference="QN-00007", action="import"
    ).comment == ("export.json, Item 7")


def test_a_file_with_new_rows_files_only_those(user_a, customer_a, part_a):
    _import(user_a, customer_a, _csv(_rows(part_a, 3)))

    done = _import(user_a, customer_a, _csv(_rows(part_a, 5)))

    assert (done.log.rows, done.log.created, done.log.skipped) == (5, 2, 3)
    references = Claim.objects.filter(pk__in=Claim.objects.filter(number__in=done.numbers))
    assert sorted(references.values_list("customer_reference", flat=True)) == [
        "QN-00004",
        "QN-00005",
    ]


# --- one bad row refuses the file ----------------------------------------------------------------


def test_one_bad_row_imports_nothing_and_names_its_line(user_a, customer_a, part_a):
    rows = _rows(part_a, 500)
    rows[135]["part"] = "NO-SUCH-PART"  # the 136th claim: line 137, after the header

    messages = _refusal(user_a, customer_a, _csv(rows))

    assert messages == ["Line 137: “part”: “NO-SUCH-PART” is not a part number of Autowerk AG"]
    assert not Claim.objects.exists()
    assert not ClaimImport.objects.exists()
    assert not Sequence.objects.filter(prefix="CL", last_value__gt=0).exists()


def test_every_bad_row_is_listed_with_every_reason(user_a, customer_a, part_a):
    rows = _rows(part_a, 8)
    rows[1]["detection_date"] = "2026-02-30"
    rows[2].update(kind="warranty", severity="")
    rows[3]["nonconforming_qty"] = "600"
    rows[4]["lot"] = "L" * 51
    rows[5]["suspect_qty"] = "-5"
    rows[6]["customer_reference"] = rows[0]["customer_reference"]

    messages = _refusal(user_a, customer_a, _csv(rows))

    assert messages == [
        "Line 3: “detection_date”: not a date; write YYYY-MM-DD or DD.MM.YYYY",
        "Line 4: “kind”: “warranty” is not one of 0km, field (or their names); "
        "“severity”: a value is needed",
        "Line 5: The nonconforming quantity cannot exceed the suspect quantity.",
        "Line 6: “lot”: at most 50 characters (this has 51)",
        "Line 7: “suspect_qty”: “-5” is not a whole number of parts",
        "Line 8: “customer_reference”: QN-00001 is repeated (first: Line 2)",
    ]
    assert not Claim.objects.exists()


def test_a_photo_by_url_is_refused(user_a, customer_a, part_a):
    rows = [
        _row(part_a, 1, Foto="https://files.example.com/qn1.jpg"),
        _row(part_a, 2, Foto=""),
        _row(part_a, 3, Foto="www.example.com/qn3.jpg"),
    ]

    messages = _refusal(user_a, customer_a, _csv(rows))

    refused = "“Foto”: photos by URL are not accepted; upload the photos on the claim"
    assert messages == [f"Line 2: {refused}", f"Line 4: {refused}"]
    assert not Claim.objects.exists()


def test_another_customers_part_is_refused_without_naming_the_other(
    user_a, customer_a, customer_b, part_a
):
    theirs = PartFactory(customer=customer_b, customer_part_number="B-4711")
    rows = [
        _row(part_a, 1),
        _row(part_a, 2, part="B-4711"),
        _row(part_a, 3, part=theirs.part_number),
    ]

    messages = _refusal(user_a, customer_a, _csv(rows))

    assert messages == [
        "Line 3: “part”: “B-4711” is not a part number of Autowerk AG",
        f"Line 4: “part”: “{theirs.part_number}” is not a part number of Autowerk AG",
    ]
    assert "Brenner" not in " ".join(messages)


def test_the_part_by_our_number_revision_and_activity(user_a, customer_a, part_a):
    old = PartFactory(customer=customer_a, customer_part_number="X-1", revision="A")
    PartFactory(customer=customer_a, customer_part_number="X-1", revision="B")
    PartFactory(customer=customer_a, customer_part_number="GONE", active_to="2020-12-31")
    rows = [
        _row(part_a, 1, part=part_a.part_number),  # our number
        _row(part_a, 2, part="x-1", part_revision="a"),
        _row(part_a, 3, part="X-1"),
        _row(part_a, 4, part="X-1", part_revision="C"),
        _row(part_a, 5, part="GONE"),
    ]

    messages = _refusal(user_a, customer_a, _csv(rows))

    assert messages == [
        "Line 4: “part_revision”: part X-1 is active in revisions A, B: name the revision",
        "Line 5: “part_revision”: part X-1 has no revision “C” (known: A, B)",
        "Line 6: “part”: part GONE is not active",
    ]
    done = _import(user_a, customer_a, _csv(rows[:2]))
    claims = Claim.objects.filter(number__in=done.numbers).order_by("number")
    assert [claim.part for claim in claims] == [part_a, old]


# --- formats and mappings ------------------------------------------------------------------------


def test_semicolon_csv_with_german_names_and_german_dates(user_a, customer_a, part_a):
    rows = [
        _row(
            part_a,
            1,
            kind="Feld",
            severity="HAUPTFEHLER",
            detection_location="Wareneingangsprüfung",
            detection_date="02.03.2026",
            production_date="15.02.2026",
            notified_at="03.03.2026 14:30",
            symptom="Grat an der Bohrung; Teil lässt sich nicht montieren",
        ),
        _row(part_a, 2, kind="0 km", severity="Safety", detection_location="End of line"),
    ]

    done = _import(user_a, customer_a, _csv(rows, delimiter=";", bom=True), "Export.CSV")

    first, second = Claim.objects.filter(number__in=done.numbers).order_by("number")
    assert (first.kind, first.severity, first.detection_location) == (
        "field",
        "major",
        "incoming_inspection",
    )
    assert str(first.detection_date) == "2026-03-02" and str(first.production_date) == "2026-02-15"
    assert first.notified_at.isoformat() == "2026-03-03T13:30:00+00:00"  # Berlin, winter time
    assert first.symptom == "Grat an der Bohrung; Teil lässt sich nicht montieren"
    assert (second.kind, second.severity, second.detection_location) == (
        "0km",
        "safety",
        "end_of_line",
    )


def test_dates_and_times_as_systems_write_them(user_a, customer_a, part_a):
    items = [
        _row(part_a, 1, detection_date="2026-03-01T23:30:00Z", notified_at="2026-03-02T08:00"),
        _row(part_a, 2, notified_at="2999-01-01"),
    ]

    messages = _refusal(user_a, customer_a, json.dumps(items).encode(), "claims.json")
    done = _import(user_a, customer_a, json.dumps(items[:1]).encode(), "claims.json")

    assert messages == ["Item 2: “notified_at”: lies in the future"]
    claim = Claim.objects.get(number=done.numbers[0])
    assert str(claim.detection_date) == "2026-03-02"  # midnight and later in Berlin
    assert claim.notified_at.isoformat() == "2026-03-02T07:00:00+00:00"


def test_a_saved_mapping_reads_the_customers_own_headers(user_a, customer_a, part_a):
    theirs = {
        "customer_reference": "Reklamationsnummer",
        "part": "Sachnummer",
        "kind": "Art",
        "detection_date": "Fehlerdatum",
        "nonconforming_qty": "Menge n.i.O.",
    }
    imports.mapping_save(actor=user_a, customer=customer_a, columns=theirs)
    row = _row(part_a, 1)
    rows = [{theirs.get(name, name): value for name, value in row.items()}]

    done = _import(user_a, customer_a, _csv(rows, delimiter=";"))

    claim = Claim.objects.get(number=done.numbers[0])
    assert (claim.customer_reference, claim.part, claim.nonconforming_qty) == (
        "QN-00001",
        part_a,
        12,
    )
    mapping = ClaimImportMapping.objects.get(customer=customer_a)
    assert mapping.updated_by == user_a and mapping.history.count() == 1
    header = imports.template_csv(customer_a).lstrip("\ufeff").splitlines()
    assert header[0].startswith("Reklamationsnummer,Sachnummer,part_revision,Art,")
    # Named the old way now, the file lacks the customer's columns: a problem of the file.
    messages = _refusal(user_a, customer_a, _csv([_row(part_a, 2)]))
    assert "The file has no column “Reklamationsnummer” (customer reference)." in messages


@pytest.mark.parametrize(
    ("columns", "problem"),
    [
        ({"colour": "Farbe"}, {"colour": ["Not a field of the import. Fields: "]}),
        ({"part": "  "}, {"part": ["Name the column header."]}),
        ({"part": "x" * 101}, {"part": ["At most 100 characters."]}),
        ({"part": "Nummer", "lot": "nummer"}, {"lot": ["The column “nummer” is already read"]}),
        ({"symptom": "lot"}, {"lot": ["The column “lot” is already read for “symptom”."]}),
    ],
)
def test_a_mapping_is_refused_with_its_reasons(user_a, customer_a, columns, problem):
    with pytest.raises(ValidationError) as refused:
        imports.mapping_save(actor=user_a, customer=customer_a, columns=columns)
    for name, starts in problem.items():
        assert refused.value.message_dict[name][0].startswith(starts[0])
    assert not ClaimImportMapping.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "claims.csv", "The file is empty."),
        (b"  \r\n", "claims.csv", "The file is empty."),
        (b"customer_reference,part\r\n\r\n", "claims.csv", "The file holds no claims."),
        (b"[]", "claims.json", "The file holds no claims."),
        (b'{"claims": 3}', "claims.json", "The JSON must be a list of claims"),
        (b"[{", "claims.json", "The file is not valid JSON"),
        (b"PK\x03\x04\x14\x00", "claims.xlsx", "Excel workbooks are not read"),
        (b"\xff\xfeQ\x00N\x00", "claims.csv", "The file is not UTF-8 encoded text."),
        (b"%PDF-1.7", "claims.pdf", "Upload a CSV file (.csv) or a JSON file (.json)."),
        (b"a,a\r\n1,2\r\n", "claims.csv", "The column “a” appears twice in the first line."),
    ],
)
def test_files_that_are_no_claim_list_are_refused_clearly(
    user_a, customer_a, content, name, message
):
    messages = _refusal(user_a, customer_a, content, name)
    assert messages[0].startswith(message)


def test_json_items_that_are_no_claims_are_named(user_a, customer_a, part_a):
    items = [_row(part_a, 1), "QN-2", {**_row(part_a, 3), "lot": ["L1", "L2"]}, {"part": "x"}]

    messages = _refusal(user_a, customer_a, json.dumps(items).encode(), "claims.json")

    assert messages[0] == "Item 2: each claim must be an object of named values"
    assert messages[1] == "Item 3: “lot” must be a single value"
    assert messages[2].startswith("Item 4: “customer_reference”: a value is needed; “kind”: ")


@override_settings(CQM_CLAIM_IMPORT_MAX_ROWS=3, CQM_CLAIM_IMPORT_MAX_BYTES=2000)
def test_the_row_and_size_limits(user_a, customer_a, part_a):
    assert _import(user_a, customer_a, _csv(_rows(part_a, 3))).log.created == 3

    for content, name in (
        (_csv(_rows(part_a, 4)), "claims.csv"),
        (json.dumps(_rows(part_a, 4)).encode(), "claims.json"),
    ):
        messages = _refusal(user_a, customer_a, content, name)
        assert messages == ["The file has more than 3 claims. Split it into smaller files."]
    too_big = _csv([_row(part_a, 9, symptom="x" * 2000)])
    assert _refusal(user_a, customer_a, too_big)[0].startswith("The file is 2.")
    assert Claim.objects.count() == 3


# --- who may import ------------------------------------------------------------------------------


def test_a_customer_imports_only_for_their_own_company(user_b, customer_a, part_a):
    with pytest.raises(PermissionDenied):
        _import(user_b, customer_a, _csv(_rows(part_a, 1)))
    with pytest.raises(PermissionDenied):
        imports.mapping_save(actor=user_b, customer=customer_a, columns={"part": "Teil"})
    assert not Claim.objects.exists() and not ClaimImportMapping.objects.exists()


def test_our_staff_import_on_behalf_of_a_customer(engineer, customer_a, part_a):
    done = _import(engineer, customer_a, _csv(_rows(part_a, 2)))

    assert done.log.created_by == engineer
    assert set(Claim.objects.values_list("created_by", flat=True)) == {engineer.pk}


def test_safety_claims_alert_one_by_one_and_the_rest_once(user_a, customer_a, part_a, manager):
    rows = _rows(part_a, 4)
    rows[1]["severity"] = "safety"

    _import(user_a, customer_a, _csv(rows))

    told = Notification.objects.filter(recipient=manager).order_by("pk")
    assert [n.kind for n in told] == ["claims.safety_alert", "claims.submitted"]
    assert told[0].urgent and told[0].record_id == Claim.objects.get(severity="safety").pk
    assert told[1].title.startswith("3 new claims from Autowerk AG")


# --- a double submit -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the race needs PostgreSQL's row locks"
)
def test_the_same_file_sent_twice_at_once_is_filed_once(user_a, customer_a):
    part = PartFactory(customer=customer_a)
    content = _csv(_rows(part, 20))

    outcomes = race(*[lambda: _import(user_a, customer_a, content)] * 2)

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert sorted((o.log.created, o.log.skipped) for o in outcomes) == [(0, 20), (20, 0)]
    assert Claim.objects.filter(customer=customer_a).count() == 20


# --- the API -------------------------------------------------------------------------------------


def _upload(content: bytes, name: str = "claims.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _post_file(api, content: bytes, name: str = "claims.csv", **fields):
    body = {"file": _upload(content, name), **fields}
    return api.post(reverse("claim-import"), body, format="multipart")


def test_api_imports_a_file_and_again_skips_it(api_client_for, user_a, customer_a, part_a):
    api = api_client_for(user_a)
    content = _csv(_rows(part_a, 3))

    first = _post_file(api, content)
    again = _post_file(api, content)

    assert first.status_code == 201, first.content
    numbers = list(Claim.objects.order_by("customer_reference").values_list("number", flat=True))
    assert first.json() == {"rows": 3, "created": 3, "skipped": 0, "claims": numbers}
    assert again.status_code == 201
    assert again.json() == {"rows": 3, "created": 0, "skipped": 3, "claims": []}


def test_api_lists_every_bad_row_and_imports_nothing(api_client_for, user_a, customer_a, part_a):
    rows = _rows(part_a, 3)
    rows[1]["detection_date"] = "tomorrow"
    api = api_client_for(user_a)

    response = _post_file(api, _csv(rows))

    assert response.status_code == 400
    assert response.json() == {
        "errors": ["Line 3: “detection_date”: not a date; write YYYY-MM-DD or DD.MM.YYYY"]
    }
    assert not Claim.objects.exists()
    missing = api.post(reverse("claim-import"), {"customer": customer_a.pk}, format="json")
    assert missing.status_code == 400
    assert missing.json() == {
        "errors": ["Send the file as multipart/form-data in the field “file”."]
    }


@override_settings(CQM_CLAIM_IMPORT_MAX_BYTES=100)
def test_api_refuses_a_file_over_the_size_limit(api_client_for, user_a, customer_a, part_a):
    response = _post_file(api_client_for(user_a), _csv(_rows(part_a, 3)))

    assert response.status_code == 400
    assert response.json()["errors"][0].startswith("The file is ")
    assert "the largest file allowed is 100" in response.json()["errors"][0]


def test_api_customer_b_cannot_import_for_a(api_client_for, user_b, customer_a, part_a):
    api = api_client_for(user_b)
    content = _csv(_rows(part_a, 2))

    named = _post_file(api, content, customer=customer_a.pk)
    own = _post_file(api, content)  # for their own company: A's part is unknown there

    assert named.status_code == 404
    assert own.status_code == 400
    assert own.json()["errors"][0] == (
        f"Line 2: “part”: “{part_a.customer_part_number}” is not a part number of Brenner Motors"
    )
    assert not Claim.objects.exists() and not ClaimImport.objects.exists()


def test_api_staff_name_the_customer(api_client_for, engineer, customer_a, part_a):
    api = api_client_for(engineer)
    content = _csv(_rows(part_a, 2))

    unnamed = _post_file(api, content)
    named = _post_file(api, content, customer=customer_a.pk)

    assert unnamed.status_code == 400
    assert unnamed.json() == {"errors": ["customer: Name the customer (its id)."]}
    assert named.status_code == 201 and named.json()["created"] == 2
    assert ClaimImport.objects.get().created_by == engineer


def test_api_mapping_read_and_replaced(api_client_for, user_a, customer_a, part_a):
    api = api_client_for(user_a)
    url = reverse("claim-import-mapping")

    read = api.get(url)
    put = api.put(url, {"columns": {"part": "Sachnummer", "lot": "Charge"}}, format="json")
    replaced = api.put(url, {"columns": {"part": "Teil"}}, format="json")

    assert read.status_code == 200
    assert read.json()["customer"] == customer_a.pk and read.json()["updated_at"] is None
    assert read.json()["columns"]["part"] == "part" and "part" in read.json()["required"]
    assert put.status_code == 200 and put.json()["columns"]["lot"] == "Charge"
    assert replaced.json()["columns"]["part"] == "Teil"
    assert replaced.json()["columns"]["lot"] == "lot"  # left out: the field's own name again
    assert ClaimImportMapping.objects.get().history.count() == 2
    rows = [{("Teil" if name == "part" else name): v for name, v in _row(part_a, 1).items()}]
    assert _post_file(api, _csv(rows)).status_code == 201


@pytest.mark.parametrize(
    ("columns", "field"),
    [({"colour": "Farbe"}, "colour"), ({"part": ""}, "part"), ({"symptom": "lot"}, "lot")],
)
def test_api_mapping_refusals_by_field(api_client_for, user_a, customer_a, columns, field):
    response = api_client_for(user_a).put(
        reverse("claim-import-mapping"), {"columns": columns}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()["columns"]
    assert not ClaimImportMapping.objects.exists()


def test_api_mapping_of_another_customer_is_a_404(api_client_for, user_b, engineer, customer_a):
    api = api_client_for(user_b)
    url = reverse("claim-import-mapping")
    query = f"?customer={customer_a.pk}"

    assert api.get(url + query).status_code == 404
    body = {"columns": {"part": "Teil"}}
    assert api.put(url + query, body, format="json").status_code == 404
    assert api.put(url, {**body, "customer": customer_a.pk}, format="json").status_code == 404
    assert not ClaimImportMapping.objects.exists()
    staff = api_client_for(engineer)
    assert staff.get(url).status_code == 400
    assert staff.get(url + query).json()["customer"] == customer_a.pk
    saved = staff.put(url, {**body, "customer": customer_a.pk}, format="json")
    assert saved.status_code == 200 and saved.json()["columns"]["part"] == "Teil"
    other = staff.put(url + query, {**body, "customer": customer_a.pk + 1}, format="json")
    assert other.status_code == 400 and "customer" in other.json()


def test_claims_themselves_take_no_put(api_client_for, user_a, part_a):
    claim = _import(user_a, part_a.customer, _csv(_rows(part_a, 1)))
    url = reverse("claim-detail", args=[Claim.objects.get(number=claim.numbers[0]).pk])

    assert api_client_for(user_a).put(url, {}, format="json").status_code == 405


# --- the pages -----------------------------------------------------------------------------------


def test_the_claims_list_links_to_the_import(client_for, user_a):
    response = client_for(user_a).get(reverse("claims:claim-list"))

    assert reverse("claims:claim-import") in response.content.decode()


def test_page_upload_shows_the_result_and_the_log(client_for, user_a, customer_a, part_a):
    client = client_for(user_a)
    url = reverse("claims:claim-import")
    _import(user_a, customer_a, _csv(_rows(part_a, 3)))

    page = client.get(url)
    response = client.post(url, {"file": _upload(_csv(_rows(part_a, 15)))}, follow=True)

    assert page.status_code == 200 and "Sachnummer" not in page.content.decode()
    assert response.status_code == 200
    text = response.content.decode()
    assert "12 claims created, 3 already imported." in text
    assert response.context["recent"][0].created == 12
    assert Claim.objects.count() == 15


def test_page_lists_the_bad_rows(client_for, user_a, customer_a, part_a):
    rows = _rows(part_a, 4)
    rows[1]["severity"] = "blocker"
    rows[3]["Bild"] = "http://example.com/1.jpg"

    response = client_for(user_a).post(
        reverse("claims:claim-import"), {"file": _upload(_csv(rows))}
    )

    assert response.status_code == 400
    assert response.context["errors"] == [
        "Line 3: “severity”: “blocker” is not one of critical, major, minor, safety "
        "(or their names)",
        "Line 5: “Bild”: photos by URL are not accepted; upload the photos on the claim",
    ]
    assert "Nothing was imported" in response.content.decode()
    assert not Claim.objects.exists()


def test_staff_choose_the_customer_first(client_for, engineer, customer_a, part_a):
    client = client_for(engineer)
    url = reverse("claims:claim-import")

    unchosen = client.get(url)
    refused = client.post(url, {"file": _upload(_csv(_rows(part_a, 1)))})
    assert not Claim.objects.exists()
    chosen = client.post(
        url, {"customer": customer_a.pk, "file": _upload(_csv(_rows(part_a, 2)))}, follow=True
    )

    assert unchosen.status_code == 200 and unchosen.context["customer"] is None
    assert refused.status_code == 302
    assert chosen.status_code == 200 and "2 claims created." in chosen.content.decode()
    assert chosen.context["customer"] == customer_a
    assert client.get(f"{url}?customer=abc").status_code == 404


def test_page_mapping_and_template(client_for, user_a, customer_a):
    client = client_for(user_a)
    url = reverse("claims:claim-import-mapping")

    saved = client.post(url, {"part": "Sachnummer", "lot": " Charge ", "kind": ""})
    shown = client.get(url)
    clash = client.post(url, {"part": "Nummer", "lot": "nummer"})
    template = client.get(reverse("claims:claim-import-template"))

    assert saved.status_code == 302
    assert ClaimImportMapping.objects.get().columns == {"part": "Sachnummer", "lot": "Charge"}
    assert shown.context["form"].initial == {"part": "Sachnummer", "lot": "Charge"}
    assert clash.status_code == 400 and "lot" in clash.context["form"].errors
    assert template["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="claims-import-autowerk.csv"' in template["Content-Disposition"]
    header = template.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("customer_reference,Sachnummer,part_revision,kind,")


def test_customers_of_b_see_only_their_own_imports(client_for, user_a, user_b, customer_a, part_a):
    _import(user_a, customer_a, _csv(_rows(part_a, 1)), "autowerk-claims.csv")
    client = client_for(user_b)
    url = reverse("claims:claim-import")

    own = client.get(url)
    named = client.get(f"{url}?customer={customer_a.pk}")
    posted = client.post(url, {"customer": customer_a.pk, "file": _upload(b"x")})
    mapped = client.post(reverse("claims:claim-import-mapping"), {"customer": customer_a.pk})

    assert own.status_code == 200 and own.context["customer"] == user_b.customer
    assert "autowerk-claims.csv" not in own.content.decode()
    assert (named.status_code, posted.status_code, mapped.status_code) == (404, 404, 404)
    assert Claim.objects.count() == 1 and not ClaimImportMapping.objects.exists()
