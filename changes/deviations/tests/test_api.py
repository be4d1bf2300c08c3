"""The deviations API: scoping, create, versioned update, the signed decision and shipments."""

import datetime as dt

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD
from changes.models import Deviation, DeviationShipment
from core.models import Signature
from customers.tests.factories import PartFactory

from .factories import approved_deviation, deviation_fields, requested_deviation

pytestmark = pytest.mark.django_db
BASE = "/api/v1/deviations/"


def _body(**overrides) -> dict:
    fields = deviation_fields(**overrides)
    fields["expires_on"] = fields["expires_on"].isoformat()
    return fields


def test_engineer_creates_requests_and_patches_with_version(engineer, customer_a, api_client_for):
    part = PartFactory(customer=customer_a)
    api = api_client_for(engineer)
    created = api.post(BASE, {**_body(), "parts": [part.pk]}, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["number"].startswith("DEV-") and data["customer"] == customer_a.pk
    url = f"{BASE}{data['id']}/"
    stale = api.patch(url, {"title": "New", "version": 9}, format="json")
    assert stale.status_code == 409
    patched = api.patch(url, {"title": "New"}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert patched.status_code == 200 and patched.json()["title"] == "New"
    requested = api.post(f"{url}request/", {}, format="json")
    assert requested.status_code == 200 and requested.json()["status"] == "requested"


def test_create_refuses_another_customers_part(engineer, user_a, customer_b, api_client_for):
    foreign = PartFactory(customer=customer_b)
    response = api_client_for(user_a).post(BASE, {**_body(), "parts": [foreign.pk]}, format="json")
    assert response.status_code == 400 and "parts" in response.json()
    assert not Deviation.objects.exists()


def test_customer_approves_over_the_api_with_password(engineer, customer_a, user_a, api_client_for):
    deviation = requested_deviation(actor=engineer, customer=customer_a)
    api = api_client_for(user_a)
    url = f"{BASE}{deviation.pk}/approve/"
    wrong = api.post(url, {"password": "nope", "authorisation": "AW-1"}, format="json")
    assert wrong.status_code == 400 and "password" in wrong.json()
    assert Deviation.objects.get(pk=deviation.pk).status == "requested"
    right = api.post(url, {"password": DEFAULT_PASSWORD, "quantity_cap": 200}, format="json")
    assert right.status_code == 200, right.json()
    assert right.json()["status"] == "approved" and right.json()["quantity_cap"] == 200
    assert "internal_note" not in right.json()
    assert Signature.objects.for_owner(deviation).count() == 1


def test_shipments_over_the_api(engineer, customer_a, user_a, api_client_for):
    deviation = approved_deviation(
        actor=engineer, approver=user_a, customer=customer_a, quantity_cap=50
    )
    api = api_client_for(engineer)
    url = f"{BASE}{deviation.pk}/shipments/"
    shipment = {"shipped_on": dt.date.today().isoformat(), "lot": "L-100"}
    over = api.post(url, {**shipment, "quantity": 51, "shipping_reference": "X"}, format="json")
    assert over.status_code == 400 and "quantity" in over.json()
    made = api.post(url, {**shipment, "quantity": 50, "shipping_reference": "X"}, format="json")
    assert made.status_code == 201
    assert api.get(url).json()[0]["quantity"] == 50
    assert api.get(f"{BASE}{deviation.pk}/").json()["status"] == "exhausted"
    refused = api.post(url, {**shipment, "quantity": 1, "shipping_reference": "Y"}, format="json")
    assert refused.status_code == 409
    assert DeviationShipment.objects.count() == 1


def test_customer_b_gets_404_on_as_deviation(engineer, customer_a, user_a, user_b, api_client_for):
    deviation = approved_deviation(actor=engineer, approver=user_a, customer=customer_a)
    api = api_client_for(user_b)
    url = f"{BASE}{deviation.pk}/"
    assert api.get(url).status_code == 404
    assert api.get(f"{url}pdf/").status_code == 404
    assert api.get(f"{url}shipments/").status_code == 404
    assert (
        api.post(f"{url}reject/", {"password": DEFAULT_PASSWORD, "reason": "x"}).status_code == 404
    )
    assert api.get(BASE).json()["count"] == 0
