"""Deliveries over the API: the bulk import for staff, scoped lists for everyone."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.tests.factories import PartFactory, PlantFactory
from metrics.models import Delivery

from .factories import deliver

pytestmark = pytest.mark.django_db

BULK = "/api/v1/deliveries/bulk/"
LIST = "/api/v1/deliveries/"


@pytest.fixture
def bracket(customer_a):
    return PartFactory(part_number="4711-100", customer=customer_a, plant=PlantFactory(code="PL01"))


def record(note, **extra):
    return {
        "delivery_note": note,
        "customer_code": "AUTOWERK",
        "part_number": "4711-100",
        "ship_date": "2026-01-15",
        "quantity": 2400,
        **extra,
    }


class TestBulk:
    def test_imports_and_answers_with_counts(self, api_client_for, engineer, bracket):
        rows = [record("DN-1"), record("DN-2", ship_date="16.01.2026", plant_code="PL01")]
        response = api_client_for(engineer).post(BULK, {"rows": rows}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json() == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0}
        assert Delivery.objects.filter(imported_by=engineer).count() == 2

    def test_sending_again_changes_nothing_and_a_correction_updates(
        self, api_client_for, engineer, bracket
    ):
        api = api_client_for(engineer)
        rows = [record("DN-1"), record("DN-2")]
        api.post(BULK, {"rows": rows}, format="json")
        again = api.post(BULK, {"rows": rows}, format="json")
        assert again.json() == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2}
        rows[1]["quantity"] = 2350
        corrected = api.post(BULK, {"rows": rows}, format="json")
        assert corrected.json() == {"rows": 2, "created": 0, "updated": 1, "unchanged": 1}
        assert Delivery.objects.get(delivery_note="DN-2").quantity == 2350
        assert Delivery.objects.count() == 2

    def test_bad_rows_answer_400_with_every_error_and_store_nothing(
        self, api_client_for, engineer, bracket
    ):
        rows = [
            record("DN-1"),
            record("DN-2", quantity=0),
            record("DN-3", customer_code="BRENNER"),
            record("DN-4", ship_date="2026/01/15"),
        ]
        response = api_client_for(engineer).post(BULK, {"rows": rows}, format="json")
        assert response.status_code == 400
        assert response.json() == {
            "errors": [
                {
                    "row": 2,
                    "column": "quantity",
                    "message": "Ensure this value is greater than or equal to 1.",
                },
                {
                    "row": 3,
                    "column": "customer_code",
                    "message": "Unknown customer code “BRENNER”.",
                },
                {
                    "row": 4,
                    "column": "ship_date",
                    "message": "Enter the date as YYYY-MM-DD or DD.MM.YYYY.",
                },
            ]
        }
        assert not Delivery.objects.exists()

    def test_part_of_another_customer_is_refused(
        self, api_client_for, engineer, bracket, customer_b
    ):
        rows = [record("DN-1", customer_code="BRENNER")]
        response = api_client_for(engineer).post(BULK, {"rows": rows}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {
                "row": 1,
                "column": "part_number",
                "message": "Part 4711-100 does not belong to customer BRENNER.",
            }
        ]

    def test_ambiguous_revision_is_refused(self, api_client_for, engineer, bracket):
        PartFactory(part_number="4711-100", revision="B", customer=bracket.customer)
        response = api_client_for(engineer).post(BULK, {"rows": [record("DN-1")]}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["column"] == "revision"
        ok = api_client_for(engineer).post(
            BULK, {"rows": [record("DN-1", revision="B")]}, format="json"
        )
        assert ok.status_code == 200

    @pytest.mark.parametrize("body", [{}, {"rows": "DN-1"}, [record("DN-1")]])
    def test_a_body_without_a_list_of_rows_is_refused(self, api_client_for, engineer, body):
        response = api_client_for(engineer).post(BULK, body, format="json")
        assert response.status_code == 400
        message = "Send the rows as a list of objects."
        assert response.json() == {"errors": [{"row": None, "column": "", "message": message}]}

    def test_customer_token_is_forbidden(self, api_client_for, user_a, bracket):
        response = api_client_for(user_a).post(BULK, {"rows": [record("DN-1")]}, format="json")
        assert response.status_code == 403
        assert not Delivery.objects.exists()

    def test_anonymous_is_refused(self, client, bracket):
        response = client.post(BULK, {"rows": [record("DN-1")]}, content_type="application/json")
        assert response.status_code in (401, 403)
        assert not Delivery.objects.exists()


class TestList:
    @pytest.fixture
    def deliveries(self, bracket, customer_b):
        part_b = PartFactory(customer=customer_b, plant=bracket.plant)
        return {
            "a_jan": deliver(bracket, dt.date(2026, 1, 10), 1000, delivery_note="A-1"),
            "a_feb": deliver(bracket, dt.date(2026, 2, 10), 2000, delivery_note="A-2"),
            "b_jan": deliver(part_b, dt.date(2026, 1, 12), 500, delivery_note="B-1"),
        }

    def _notes(self, response):
        assert response.status_code == 200
        return [row["delivery_note"] for row in response.json()["results"]]

    def test_staff_see_every_delivery(self, api_client_for, engineer, deliveries):
        assert self._notes(api_client_for(engineer).get(LIST)) == ["A-2", "B-1", "A-1"]

    def test_customer_sees_only_own_deliveries(self, api_client_for, user_a, deliveries):
        response = api_client_for(user_a).get(LIST)
        assert self._notes(response) == ["A-2", "A-1"]
        first = response.json()["results"][0]
        assert first["customer_code"] == "AUTOWERK"
        assert first["part_number"] == "4711-100"
        assert first["plant_code"] == "PL01"
        assert first["quantity"] == 2000

    def test_another_customers_delivery_is_404(self, api_client_for, user_b, deliveries):
        own = api_client_for(user_b).get(f"{LIST}{deliveries['b_jan'].pk}/")
        assert own.status_code == 200
        other = api_client_for(user_b).get(f"{LIST}{deliveries['a_jan'].pk}/")
        assert other.status_code == 404

    def test_filters(self, api_client_for, engineer, bracket, deliveries):
        api = api_client_for(engineer)
        january = "?shipped_from=2026-01-01&shipped_to=2026-01-31"
        assert self._notes(api.get(LIST + january)) == ["B-1", "A-1"]
        assert self._notes(api.get(f"{LIST}?part={bracket.pk}")) == ["A-2", "A-1"]
        customer = deliveries["b_jan"].customer_id
        assert self._notes(api.get(f"{LIST}?customer={customer}")) == ["B-1"]
        assert self._notes(api.get(f"{LIST}?delivery_note=a-")) == ["A-2", "A-1"]
        assert self._notes(api.get(f"{LIST}?ordering=quantity")) == ["B-1", "A-1", "A-2"]

    def test_query_count_does_not_grow_with_rows(self, api_client_for, engineer, bracket):
        api = api_client_for(engineer)
        for n in range(5):
            deliver(bracket, dt.date(2026, 1, 1) + dt.timedelta(days=n), 100)
        with CaptureQueriesContext(connection) as few:
            api.get(LIST)
        for n in range(40):
            deliver(bracket, dt.date(2025, 1, 1) + dt.timedelta(days=n), 100)
        with CaptureQueriesContext(connection) as many:
            api.get(LIST)
        assert len(few) == len(many)


def test_the_bulk_import_is_documented_with_an_example(api_client_for, engineer):
    response = api_client_for(engineer).get("/api/schema/", HTTP_ACCEPT="application/json")
    bulk = response.json()["paths"][BULK]["post"]
    request = bulk["requestBody"]["content"]["application/json"]
    example = next(iter(request["examples"].values()))["value"]
    assert example["rows"][0]["delivery_note"]
    assert set(bulk["responses"]) >= {"200", "400", "403"}
    assert "get" in response.json()["paths"][LIST]
