"""Time zones of customers, plants and users: any zone the installed database knows, offered as a
grouped pick list in the pages, the admin and the profile."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import time_zones
from customers.forms import CustomerForm, PlantForm
from customers.models import Customer, Plant
from customers.tests.factories import CustomerFactory, PlantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newer_time_zone_database(monkeypatch):
    """The installed database as after a tzdata update that brought a new zone."""
    newer = time_zones.available_time_zones() | {"America/Nuuk_North"}
    monkeypatch.setattr(time_zones, "available_time_zones", lambda: newer)


def test_models_carry_no_list_of_zones():
    # A list frozen into the models would also be frozen into the migrations.
    for model in (Customer, Plant):
        assert model._meta.get_field("time_zone").choices is None


def test_a_zone_the_database_does_not_know_is_rejected():
    customer = CustomerFactory.build(code="CALDERA", time_zone="Mars/Base")
    with pytest.raises(ValidationError) as error:
        customer.full_clean(exclude=["responsible_engineers"])
    assert set(error.value.error_dict) == {"time_zone"}


def test_a_zone_from_a_newer_database_is_valid_without_a_code_change(newer_time_zone_database):
    plant = PlantFactory.build(code="NUUK", time_zone="America/Nuuk_North")
    plant.full_clean()
    form = PlantForm(data={"code": "NUUK", "name": "Nuuk", "time_zone": "America/Nuuk_North"})
    assert form.is_valid(), form.errors


def test_the_form_offers_regions_and_keeps_a_rare_zone_of_the_record():
    customer = CustomerFactory(time_zone="US/Eastern")
    form = CustomerForm(instance=customer)
    html = str(form["time_zone"])
    assert '<optgroup label="Europe">' in html
    assert '<option value="Europe/Berlin">Berlin</option>' in html
    assert '<option value="US/Eastern" selected>US/Eastern</option>' in html
    data = {"name": customer.name, "code": customer.code, "time_zone": "US/Eastern"}
    assert CustomerForm(data=data, instance=customer).is_valid()


def test_the_api_rejects_an_unknown_zone(api_client_for, manager):
    response = api_client_for(manager).post(
        "/api/v1/customers/", {"name": "Caldera", "code": "CALDERA", "time_zone": "Mars/Base"}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"time_zone"}


def test_the_admin_offers_the_pick_list(client_for, admin_user):
    plant = PlantFactory(code="HEILBRONN", time_zone="Europe/Berlin")
    client = client_for(admin_user)
    for url in (
        reverse("admin:customers_plant_change", args=[plant.pk]),
        reverse("admin:customers_customer_add"),
        reverse("admin:accounts_user_change", args=[admin_user.pk]),
    ):
        page = client.get(url).content.decode()
        assert '<select name="time_zone"' in page, url
        assert '<option value="Europe/Berlin" selected>Berlin</option>' in page, url
