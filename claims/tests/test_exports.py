import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from customers.tests.factories import PartFactory

from .factories import file_claim

EXPORT_URL = reverse("claims:claim-export")
API_EXPORT_URL = "/api/v1/claims/export/"


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def _rows(response) -> list[list[str]]:
    text = _content(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _numbers(response) -> set[str]:
    return {row[0] for row in _rows(response)[1:]}


@pytest.fixture
def claims_a(user_a, engineer):
    part = PartFactory(customer=user_a.customer, customer_part_number="OEM-77")
    submitted = file_claim(actor=user_a, part=part, customer_reference="QN-1")
    acknowledged = file_claim(actor=user_a, part=part, customer_reference="QN-2")
    services.claim_assign(claim=acknowledged, engineer=engineer, actor=engineer)
    services.claim_acknowledge(claim=acknowledged, actor=engineer)
    return submitted, acknowledged


@pytest.mark.django_db
class TestClaimsCsv:
    def test_header_rows_and_bom(self, client_for, user_a, claims_a):
        response = client_for(user_a).get(EXPORT_URL)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith('attachment; filename="claims-')
        content = _content(response)
        assert content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        header, *body = rows
        assert header[0] == "Number" and "Next due step" in header and len(header) == 19
        by_number = {row[0]: dict(zip(header, row, strict=True)) for row in body}
        assert set(by_number) == {claim.number for claim in claims_a}
        acknowledged = by_number[claims_a[1].number]
        assert acknowledged["Status"] == "Acknowledged"
        assert acknowledged["Customer part number"] == "OEM-77"
        assert acknowledged["Customer reference"] == "QN-2"
        assert acknowledged["Assigned engineer"] == "Erika Engineer"
        assert acknowledged["Next due step"] == "D0"
        assert acknowledged["Next step due at"].endswith(("+01:00", "+02:00"))
        assert by_number[claims_a[0].number]["Next due step"] == ""

    def test_status_filter_applies(self, client_for, user_a, claims_a):
        response = client_for(user_a).get(EXPORT_URL, {"status": "acknowledged"})
        assert _numbers(response) == {claims_a[1].number}

    def test_search_applies(self, client_for, user_a, claims_a):
        response = client_for(user_a).get(EXPORT_URL, {"q": "QN-1"})
        assert _numbers(response) == {claims_a[0].number}

    def test_other_customer_exports_only_their_own(self, client_for, user_b, claims_a):
        own = file_claim(actor=user_b)
        response = client_for(user_b).get(EXPORT_URL)
        assert _numbers(response) == {own.number}

    def test_staff_export_everything(self, client_for, engineer, user_b, claims_a):
        other = file_claim(actor=user_b)
        numbers = _numbers(client_for(engineer).get(EXPORT_URL))
        assert numbers == {other.number, *(claim.number for claim in claims_a)}

    def test_list_page_links_the_export_with_its_filters(self, client_for, user_a, claims_a):
        response = client_for(user_a).get(reverse("claims:claim-list"), {"status": "submitted"})
        assert f"{EXPORT_URL}?status=submitted" in response.content.decode()


@pytest.mark.django_db
class TestClaimsCsvApi:
    def test_filters_and_scoping(self, api_client_for, user_a, user_b, claims_a):
        file_claim(actor=user_b)
        response = api_client_for(user_a).get(
            API_EXPORT_URL, {"status": "acknowledged"}, HTTP_ACCEPT="text/csv"
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert _numbers(response) == {claims_a[1].number}

    def test_other_customer_sees_none_of_a(self, api_client_for, user_b, claims_a):
        response = api_client_for(user_b).get(API_EXPORT_URL)
        assert response.status_code == 200
        assert _numbers(response) == set()


def _export_queries(client, expected_rows: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(EXPORT_URL)
        assert len(_rows(response)) == expected_rows + 1
    return len(queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_rows(client_for, engineer, user_a):
    client = client_for(engineer)
    part = PartFactory(customer=user_a.customer)
    for _ in range(5):
        file_claim(actor=user_a, part=part)
    with_five = _export_queries(client, 5)
    for _ in range(45):
        file_claim(actor=user_a, part=PartFactory(customer=user_a.customer))
    assert _export_queries(client, 50) == with_five


@pytest.mark.django_db
def test_text_a_spreadsheet_would_run_is_exported_as_plain_text(client_for, user_a, engineer):
    part = PartFactory(customer=user_a.customer)
    file_claim(actor=user_a, part=part, customer_reference='=HYPERLINK("http://x.example","open")')

    header, row = _rows(client_for(engineer).get(EXPORT_URL))
    exported = dict(zip(header, row, strict=True))

    assert exported["Customer reference"] == '\'=HYPERLINK("http://x.example","open")'
    assert exported["Suspect quantity"].isdigit()
