import datetime as dt

import pytest

from customers import services
from customers.models import CustomerRequirements, Holiday

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/v1/customers/"


def requirements_url(customer) -> str:
    return f"{CUSTOMERS}{customer.pk}/requirements/"


def holidays_url(customer) -> str:
    return f"{CUSTOMERS}{customer.pk}/holidays/"


@pytest.fixture
def christmas(customer_a, manager):
    return services.holiday_add(
        customer=customer_a, date=dt.date(2026, 12, 24), name="Christmas Eve", actor=manager
    )


class TestRequirements:
    def test_staff_reads_every_requirement(self, api_client_for, engineer, customer_a):
        response = api_client_for(engineer).get(requirements_url(customer_a))
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["customer"] == customer_a.pk
        assert set(services.REQUIREMENTS_FIELDS) <= set(body)
        assert body["reaction_hours"] == customer_a.requirements.reaction_hours

    def test_manager_changes_requirements_with_history(self, api_client_for, manager, customer_a):
        changes = {"d4_days": 12, "d4_basis": "working", "default_ppap_level": 2}
        response = api_client_for(manager).patch(
            requirements_url(customer_a), changes, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["d4_days"] == 12
        requirements = CustomerRequirements.objects.get(customer=customer_a)
        assert (requirements.d4_days, requirements.d4_basis) == (12, "working")
        assert requirements.default_ppap_level == 2
        assert requirements.history.first().history_user == manager

    @pytest.mark.parametrize(
        "changes, field",
        [
            ({"default_ppap_level": 9}, "default_ppap_level"),
            ({"reaction_hours": 1000}, "reaction_hours"),
            ({"allowed_attachment_types": ["exe"]}, "allowed_attachment_types"),
            ({"report_recipients": "not an address"}, "report_recipients"),
        ],
    )
    def test_invalid_value_is_a_400_and_changes_nothing(
        self, api_client_for, manager, customer_a, changes, field
    ):
        before = CustomerRequirements.objects.get(customer=customer_a)
        response = api_client_for(manager).patch(
            requirements_url(customer_a), {**changes, "d3_days": 5}, format="json"
        )
        assert response.status_code == 400
        assert field in response.json()
        after = CustomerRequirements.objects.get(customer=customer_a)
        assert after.d3_days == before.d3_days
        assert getattr(after, field) == getattr(before, field)

    def test_engineer_without_the_capability_cannot_write(
        self, api_client_for, engineer, customer_a
    ):
        response = api_client_for(engineer).patch(
            requirements_url(customer_a), {"reaction_hours": 8}, format="json"
        )
        assert response.status_code == 403
        assert customer_a.requirements.history.count() == 1

    def test_customer_reads_own(self, api_client_for, user_a, customer_a):
        response = api_client_for(user_a).get(requirements_url(customer_a))
        assert response.status_code == 200
        assert response.json()["customer"] == customer_a.pk

    def test_other_customer_is_not_found(self, api_client_for, user_b, customer_a):
        response = api_client_for(user_b).get(requirements_url(customer_a))
        assert response.status_code == 404

    def test_customer_cannot_write_own(self, api_client_for, user_a, customer_a):
        before = customer_a.requirements.reaction_hours
        response = api_client_for(user_a).patch(
            requirements_url(customer_a), {"reaction_hours": before + 1}, format="json"
        )
        assert response.status_code == 403
        assert CustomerRequirements.objects.get(customer=customer_a).reaction_hours == before


class TestHolidays:
    def test_staff_lists_holidays_in_date_order(self, api_client_for, engineer, christmas, manager):
        services.holiday_add(
            customer=christmas.customer, date=dt.date(2026, 5, 1), name="Labour Day", actor=manager
        )
        response = api_client_for(engineer).get(holidays_url(christmas.customer))
        assert response.status_code == 200, response.content
        assert [row["name"] for row in response.json()] == ["Labour Day", "Christmas Eve"]
        assert response.json()[1] == {
            "id": christmas.pk,
            "date": "2026-12-24",
            "name": "Christmas Eve",
        }

    def test_manager_adds_a_holiday(self, api_client_for, manager, customer_a):
        payload = {"date": "2026-10-03", "name": "Unity Day"}
        response = api_client_for(manager).post(holidays_url(customer_a), payload, format="json")
        assert response.status_code == 201, response.content
        holiday = Holiday.objects.get(pk=response.json()["id"])
        assert (holiday.customer, holiday.date) == (customer_a, dt.date(2026, 10, 3))
        assert holiday.history.first().history_user == manager

    def test_second_holiday_on_a_day_is_a_400(self, api_client_for, manager, christmas):
        payload = {"date": "2026-12-24", "name": "Again"}
        response = api_client_for(manager).post(
            holidays_url(christmas.customer), payload, format="json"
        )
        assert response.status_code == 400
        assert "already has a holiday" in str(response.json())
        assert Holiday.objects.count() == 1

    def test_missing_date_is_a_400_by_field(self, api_client_for, manager, customer_a):
        response = api_client_for(manager).post(
            holidays_url(customer_a), {"name": "Someday"}, format="json"
        )
        assert response.status_code == 400
        assert "date" in response.json()
        assert not Holiday.objects.exists()

    def test_manager_removes_a_holiday(self, api_client_for, manager, christmas):
        url = f"{holidays_url(christmas.customer)}{christmas.pk}/"
        response = api_client_for(manager).delete(url)
        assert response.status_code == 204
        assert not Holiday.objects.exists()
        assert Holiday.history.filter(history_type="-").get().history_user == manager

    def test_holiday_of_another_customer_is_not_found(
        self, api_client_for, manager, christmas, customer_b
    ):
        response = api_client_for(manager).delete(f"{holidays_url(customer_b)}{christmas.pk}/")
        assert response.status_code == 404
        assert Holiday.objects.filter(pk=christmas.pk).exists()

    def test_customer_reads_own_holidays(self, api_client_for, user_a, christmas):
        response = api_client_for(user_a).get(holidays_url(christmas.customer))
        assert response.status_code == 200
        assert [row["id"] for row in response.json()] == [christmas.pk]

    def test_other_customer_is_not_found(self, api_client_for, user_b, christmas):
        response = api_client_for(user_b).get(holidays_url(christmas.customer))
        assert response.status_code == 404

    def test_customer_never_writes(self, api_client_for, user_a, christmas):
        client = api_client_for(user_a)
        url = holidays_url(christmas.customer)
        added = client.post(url, {"date": "2026-12-31", "name": "Eve"}, format="json")
        removed = client.delete(f"{url}{christmas.pk}/")
        assert (added.status_code, removed.status_code) == (403, 403)
        assert list(Holiday.objects.values_list("pk", flat=True)) == [christmas.pk]


def test_schema_lists_the_endpoints(api_client_for, engineer):
    response = api_client_for(engineer).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    paths = response.json()["paths"]
    assert set(paths["/api/v1/customers/{id}/requirements/"]) >= {"get", "patch"}
    assert set(paths["/api/v1/customers/{id}/holidays/"]) >= {"get", "post"}
    assert "delete" in paths["/api/v1/customers/{id}/holidays/{holiday_id}/"]
