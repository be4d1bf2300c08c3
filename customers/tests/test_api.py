import datetime as dt

import pytest

from customers.models import Customer, CustomerRequirements, Part, Plant
from customers.tests.factories import PartFactory, PlantFactory

pytestmark = pytest.mark.django_db

PARTS = "/api/v1/parts/"
CUSTOMERS = "/api/v1/customers/"
PLANTS = "/api/v1/plants/"


@pytest.fixture
def plant():
    return PlantFactory(code="HEILBRONN")


@pytest.fixture
def part_a(customer_a, plant):
    return PartFactory(part_number="A-100", customer=customer_a, plant=plant)


def part_payload(customer, plant, **changes):
    return {
        "part_number": "API-1",
        "customer_part_number": "CUST-1",
        "revision": "B",
        "description": "Hinge",
        "customer": customer.pk,
        "plant": plant.pk,
        "commodity": "Stamping",
        "safety_relevant": True,
        **changes,
    }


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


class TestParts:
    def test_engineer_creates_a_part(self, api_client_for, engineer, customer_a, plant):
        response = api_client_for(engineer).post(PARTS, part_payload(customer_a, plant))
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["customer_code"] == "AUTOWERK"
        assert body["customer_name"] == "Autowerk AG"
        assert body["plant_code"] == "HEILBRONN"
        part = Part.objects.get(pk=body["id"])
        assert part.history.first().history_user == engineer

    def test_customer_user_cannot_create(self, api_client_for, user_a, customer_a, plant):
        response = api_client_for(user_a).post(PARTS, part_payload(customer_a, plant))
        assert response.status_code == 403
        assert not Part.objects.exists()

    def test_customer_user_cannot_update(self, api_client_for, user_a, part_a):
        response = api_client_for(user_a).patch(f"{PARTS}{part_a.pk}/", {"description": "X"})
        assert response.status_code == 403

    def test_nonexistent_customer_is_refused(self, api_client_for, engineer, plant):
        response = api_client_for(engineer).post(PARTS, part_payload(Customer(pk=987654), plant))
        assert response.status_code == 400
        assert "customer" in response.json()
        assert not Part.objects.exists()

    def test_duplicate_is_a_400_with_the_model_message(
        self, api_client_for, engineer, part_a, plant
    ):
        payload = part_payload(
            part_a.customer, plant, customer_part_number=part_a.customer_part_number.lower(),
            revision=part_a.revision, part_number="NEW",
        )  # fmt: skip
        response = api_client_for(engineer).post(PARTS, payload)
        assert response.status_code == 400
        assert "already has a part" in str(response.json())

    def test_engineer_updates_via_patch(self, api_client_for, engineer, part_a):
        response = api_client_for(engineer).patch(
            f"{PARTS}{part_a.pk}/", {"active_from": "2026-01-01", "active_to": "2025-01-01"}
        )
        assert response.status_code == 400
        response = api_client_for(engineer).patch(f"{PARTS}{part_a.pk}/", {"commodity": "Forging"})
        assert response.status_code == 200
        assert Part.objects.get(pk=part_a.pk).commodity == "Forging"

    def test_no_delete(self, api_client_for, manager, part_a):
        assert api_client_for(manager).delete(f"{PARTS}{part_a.pk}/").status_code == 405
        assert Part.objects.filter(pk=part_a.pk).exists()

    def test_user_b_gets_404_and_does_not_see_a(self, api_client_for, user_b, part_a, customer_b):
        api = api_client_for(user_b)
        assert api.get(f"{PARTS}{part_a.pk}/").status_code == 404
        own = PartFactory(customer=customer_b)
        assert ids(api.get(PARTS)) == [own.pk]

    def test_filters(self, api_client_for, engineer, customer_a, customer_b, plant):
        other = PlantFactory(code="BRNO")
        today = dt.date.today()
        p1 = PartFactory(part_number="F-1", customer=customer_a, plant=plant, safety_relevant=True)
        p2 = PartFactory(part_number="F-2", customer=customer_b, plant=other, commodity="Forging")
        p3 = PartFactory(
            part_number="F-3", customer=customer_a, plant=plant, active_from=today + dt.timedelta(1)
        )
        api = api_client_for(engineer)
        assert ids(api.get(PARTS, {"customer": customer_b.pk})) == [p2.pk]
        assert ids(api.get(PARTS, {"plant": other.pk})) == [p2.pk]
        assert ids(api.get(PARTS, {"commodity": "forging"})) == [p2.pk]
        assert ids(api.get(PARTS, {"safety_relevant": "true"})) == [p1.pk]
        assert ids(api.get(PARTS, {"active_on": today.isoformat()})) == [p1.pk, p2.pk]
        assert ids(api.get(PARTS, {"search": "f-3"})) == [p3.pk]
        assert ids(api.get(PARTS, {"ordering": "-part_number"})) == [p3.pk, p2.pk, p1.pk]
        assert api.get(PARTS, {"active_on": "not-a-date"}).status_code == 400

    def test_customer_user_cannot_filter_on_another_customer(
        self, api_client_for, user_b, part_a, customer_a
    ):
        response = api_client_for(user_b).get(PARTS, {"customer": customer_a.pk})
        assert response.status_code == 400


class TestCustomers:
    def test_manager_creates_with_requirements(self, api_client_for, manager):
        response = api_client_for(manager).post(
            CUSTOMERS, {"name": "Caldera", "code": "CALDERA", "time_zone": "Europe/Stockholm"}
        )
        assert response.status_code == 201, response.content
        assert CustomerRequirements.objects.filter(customer__code="CALDERA").exists()

    def test_invalid_code_is_400(self, api_client_for, manager):
        response = api_client_for(manager).post(CUSTOMERS, {"name": "X", "code": "bad code"})
        assert response.status_code == 400
        assert "code" in response.json()

    def test_engineer_and_customer_user_cannot_write(
        self, api_client_for, engineer, user_a, customer_a
    ):
        for user in (engineer, user_a):
            api = api_client_for(user)
            assert api.post(CUSTOMERS, {"name": "X", "code": "XCODE"}).status_code == 403
            url = f"{CUSTOMERS}{customer_a.pk}/"
            assert api.patch(url, {"name": "Renamed"}).status_code == 403
        assert Customer.objects.get(pk=customer_a.pk).name == "Autowerk AG"

    def test_manager_updates(self, api_client_for, manager, customer_a):
        response = api_client_for(manager).patch(
            f"{CUSTOMERS}{customer_a.pk}/", {"city": "Ingolstadt"}
        )
        assert response.status_code == 200
        assert response.json()["address"].endswith("Ingolstadt, Germany")

    def test_customer_user_sees_only_own(self, api_client_for, user_a, customer_a, customer_b):
        api = api_client_for(user_a)
        assert ids(api.get(CUSTOMERS)) == [customer_a.pk]
        assert api.get(f"{CUSTOMERS}{customer_b.pk}/").status_code == 404


class TestPlants:
    def test_manager_creates_engineer_cannot(self, api_client_for, manager, engineer):
        payload = {"code": "BRNO", "name": "Brno"}
        assert api_client_for(engineer).post(PLANTS, payload).status_code == 403
        assert api_client_for(manager).post(PLANTS, payload).status_code == 201
        assert Plant.objects.filter(code="BRNO").exists()

    def test_everyone_signed_in_reads(self, api_client_for, user_a, plant):
        assert ids(api_client_for(user_a).get(PLANTS)) == [plant.pk]


def test_schema_documents_part_filters_and_404(api_client_for, engineer):
    schema = api_client_for(engineer).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/parts/"]["get"]["parameters"]}
    assert {
        "customer",
        "plant",
        "commodity",
        "safety_relevant",
        "active_on",
        "search",
    } <= parameters
    assert "404" in schema["paths"]["/api/v1/parts/{id}/"]["get"]["responses"]
    assert "delete" not in schema["paths"]["/api/v1/parts/{id}/"]
