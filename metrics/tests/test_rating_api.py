"""The rated scorecard over the API: the card, the settings, certificates and the customer's own
scores; who may read and write them, and another customer's records as 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from metrics import rating_services
from metrics.models import CustomerRating, ScorecardSettings
from metrics.ppm import add_months, month_start

pytestmark = pytest.mark.django_db

SCORECARD = "/api/v1/metrics/scorecard/"
SETTINGS = "/api/v1/metrics/scorecard-settings/{}/"
CERTIFICATES = "/api/v1/metrics/certificates/"
RATINGS = "/api/v1/metrics/customer-ratings/"


def last_month() -> dt.date:
    return add_months(month_start(timezone.localdate()), -1)


class TestScorecard:
    def test_customer_users_get_their_own_company(self, api_client_for, user_a, customer_b):
        api = api_client_for(user_a)
        card = api.get(SCORECARD).json()
        assert card["customer"] == user_a.customer_id
        assert [line["key"] for line in card["metrics"]] == [
            "zero_km_ppm",
            "field_ppm",
            "eight_d_on_time",
            "reaction_hours",
            "csat",
        ]
        assert card["total"] is None and card["band"] is None and card["overrides"] == []
        assert card["period"] == "month" and card["to"] == f"{last_month():%Y-%m}"
        assert api.get(SCORECARD, {"customer": customer_b.pk}).status_code == 404
        assert api.get(SCORECARD, {"customer": user_a.customer_id}).status_code == 200

    def test_staff_name_the_customer(self, api_client_for, engineer, customer_a):
        api = api_client_for(engineer)
        response = api.get(SCORECARD)
        assert response.status_code == 400 and "customer" in response.json()
        assert api.get(SCORECARD, {"customer": customer_a.pk, "period": "r12"}).status_code == 200
        refused = api.get(SCORECARD, {"customer": customer_a.pk, "period": "week"})
        assert refused.status_code == 400 and "period" in refused.json()

    def test_overrides_and_the_customers_score(self, api_client_for, manager, user_a, customer_a):
        rating_services.certificate_create(
            customer=customer_a,
            actor=manager,
            name="IATF 16949",
            certificate_number="0815",
            valid_until=timezone.localdate() - dt.timedelta(days=3),
        )
        rating_services.customer_rating_create(
            customer=customer_a,
            actor=manager,
            month=last_month(),
            score=Decimal("66"),
            band="red",
            note="Buyer unhappy",
        )
        for user, note in ((user_a, None), (manager, "Buyer unhappy")):
            card = api_client_for(user).get(SCORECARD, {"customer": customer_a.pk}).json()
            assert card["band"] == "red"
            (override,) = card["overrides"]
            assert override["effect"] == "red" and "IATF 16949 expired on" in override["reason"]
            assert card["customer_rating"] == {
                "month": f"{last_month():%Y-%m}",
                "score": "66.0",
                "band": "red",
                "note": note,
            }


def _settings_body(**changes) -> dict:
    metrics = {
        key: {"rated": rated, "weight": weight, "target": None, "limit": None}
        for key, rated, weight in (
            ("zero_km_ppm", True, 30),
            ("field_ppm", True, 20),
            ("eight_d_on_time", True, 20),
            ("reaction_hours", True, 10),
            ("csat", True, 20),
            ("ppap_first_time", False, 10),
            ("delivery_on_time", False, 10),
        )
    }
    for key, values in changes.items():
        metrics[key].update(values)
    return {"metrics": metrics, "green_from": "85.0", "yellow_from": "70.0"}


class TestSettings:
    def test_staff_read_the_defaults(self, api_client_for, engineer, customer_a):
        data = api_client_for(engineer).get(SETTINGS.format(customer_a.pk)).json()
        assert data["customer"] == customer_a.pk
        assert data["metrics"]["zero_km_ppm"] == {
            "rated": True,
            "weight": 30,
            "target": None,
            "limit": None,
            "effective_target": "50.00",
            "effective_limit": "100.00",
        }
        assert data["metrics"]["csat"]["effective_limit"] == "50.00"
        assert data["metrics"]["delivery_on_time"]["rated"] is False

    def test_only_managers_change_them(self, api_client_for, engineer, manager, customer_a):
        body = _settings_body(csat={"weight": 40, "target": "85"})
        url = SETTINGS.format(customer_a.pk)
        assert api_client_for(engineer).put(url, body, format="json").status_code == 403
        response = api_client_for(manager).put(url, body, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["metrics"]["csat"]["effective_target"] == "85.00"
        settings = ScorecardSettings.objects.get(customer=customer_a)
        assert (settings.csat_weight, settings.csat_target) == (40, 85)

    def test_errors_name_the_metric(self, api_client_for, manager, customer_a):
        body = _settings_body(field_ppm={"target": "20", "limit": "10"})
        body["yellow_from"] = "90"
        response = api_client_for(manager).put(SETTINGS.format(customer_a.pk), body, format="json")
        assert response.status_code == 400
        errors = response.json()
        assert errors["metrics"]["field_ppm"]["limit"] == [
            "The limit must be above the target: a lower value is better."
        ]
        assert "yellow_from" in errors

    def test_customers_get_nothing(self, api_client_for, user_a, customer_a, customer_b):
        api = api_client_for(user_a)
        for customer in (customer_a, customer_b):
            assert api.get(SETTINGS.format(customer.pk)).status_code == 403
            body = _settings_body()
            assert api.put(SETTINGS.format(customer.pk), body, format="json").status_code == 403

    def test_an_unknown_customer_is_not_found(self, api_client_for, engineer):
        assert api_client_for(engineer).get(SETTINGS.format(999_999)).status_code == 404


class TestCertificates:
    def test_managers_add_customers_read_their_own(
        self, api_client_for, manager, user_a, user_b, customer_a
    ):
        body = {"customer": customer_a.pk, "name": "IATF 16949", "certificate_number": ""}
        created = api_client_for(manager).post(CERTIFICATES, body, format="json")
        assert created.status_code == 201, created.json()
        certificate = created.json()
        assert certificate["problem"] == "IATF 16949: no valid certificate on record"
        own = api_client_for(user_a).get(CERTIFICATES).json()["results"]
        assert [row["id"] for row in own] == [certificate["id"]]
        other = api_client_for(user_b)
        assert other.get(CERTIFICATES).json()["results"] == []
        assert other.get(f"{CERTIFICATES}{certificate['id']}/").status_code == 404
        assert api_client_for(user_a).post(CERTIFICATES, body, format="json").status_code == 403
        change = {"certificate_number": "0815", "valid_until": "2031-01-31"}
        url = f"{CERTIFICATES}{certificate['id']}/"
        assert api_client_for(user_a).patch(url, change, format="json").status_code == 403
        changed = api_client_for(manager).patch(url, change, format="json").json()
        assert changed["problem"] == "" and changed["valid_until"] == "2031-01-31"

    def test_a_required_certificate_is_there_once(self, api_client_for, manager, customer_a):
        body = {"customer": customer_a.pk, "name": "IATF 16949"}
        api = api_client_for(manager)
        assert api.post(CERTIFICATES, body, format="json").status_code == 201
        again = api.post(CERTIFICATES, body, format="json")
        assert again.status_code == 400
        assert "required company-wide already" in str(again.json())

    def test_a_certificate_stays_with_its_customer(
        self, api_client_for, manager, customer_a, customer_b
    ):
        certificate = rating_services.certificate_create(
            customer=customer_a, actor=manager, name="IATF 16949"
        )
        response = api_client_for(manager).patch(
            f"{CERTIFICATES}{certificate.pk}/", {"customer": customer_b.pk}, format="json"
        )
        assert response.status_code == 400 and "customer" in response.json()


class TestCustomerRatings:
    def test_record_read_and_refuse_a_second_of_the_month(
        self, api_client_for, manager, user_a, user_b, customer_a
    ):
        month = f"{last_month():%Y-%m}"
        body = {"customer": customer_a.pk, "month": month, "score": "77.5", "band": "yellow"}
        api = api_client_for(manager)
        created = api.post(RATINGS, {**body, "note": "From their portal"}, format="json")
        assert created.status_code == 201, created.json()
        assert created.json()["recorded_by"] == manager.pk
        assert created.json()["note"] == "From their portal"
        record = CustomerRating.objects.get()
        assert record.month == last_month()
        again = api.post(RATINGS, body, format="json")
        assert again.status_code == 400
        assert "recorded already" in str(again.json())
        (own,) = api_client_for(user_a).get(RATINGS).json()["results"]
        assert own["score"] == "77.5" and own["note"] is None
        assert api_client_for(user_b).get(f"{RATINGS}{record.pk}/").status_code == 404
        assert api_client_for(user_a).post(RATINGS, body, format="json").status_code == 403

    def test_a_month_to_come_is_refused(self, api_client_for, manager, customer_a):
        future = add_months(month_start(timezone.localdate()), 2)
        body = {
            "customer": customer_a.pk,
            "month": f"{future:%Y-%m}",
            "score": "80",
            "band": "green",
        }
        response = api_client_for(manager).post(RATINGS, body, format="json")
        assert response.status_code == 400 and "month" in response.json()
