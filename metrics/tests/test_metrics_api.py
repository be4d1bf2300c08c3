"""GET /api/v1/metrics/ppm/ and /api/v1/metrics/kpis/: pooled figures, validation and scoping."""

import datetime as dt

import pytest
from django.core.management import call_command

from claims import costs
from claims.tests.factories import decided_claim
from customers.tests.factories import PartFactory, PlantFactory

from .factories import deliver

pytestmark = pytest.mark.django_db

PPM = "/api/v1/metrics/ppm/"
KPIS = "/api/v1/metrics/kpis/"


@pytest.fixture
def plants():
    return PlantFactory(code="PLNORTH"), PlantFactory(code="PLSOUTH")


@pytest.fixture
def parts(customer_a, customer_b, plants):
    return (
        PartFactory(customer=customer_a, plant=plants[0]),
        PartFactory(customer=customer_b, plant=plants[1]),
    )


@pytest.fixture
def figures(parts, engineer):
    """A: Jan 2025 10,000 parts, Feb 30,000 with 3 0-km defects and 1 field defect.
    B: Feb 2025 50,000 parts with 40 0-km defects. Nothing ships in March."""
    part_a, part_b = parts
    deliver(part_a, dt.date(2025, 1, 10), 10_000)
    deliver(part_a, dt.date(2025, 2, 10), 30_000)
    deliver(part_b, dt.date(2025, 2, 11), 50_000)
    decided_claim(part_a, dt.date(2025, 2, 12), 3, actor=engineer)
    decided_claim(part_a, dt.date(2025, 2, 13), 1, actor=engineer, kind="field")
    decided_claim(part_b, dt.date(2025, 2, 14), 40, actor=engineer)
    return parts


def _get(api, url, **params):
    return api.get(url, params)


class TestPpm:
    def test_monthly_periods_with_not_applicable_months(self, api_client_for, engineer, figures):
        body = _get(api_client_for(engineer), PPM, kind="0km", to="2025-03", **{"from": "2025-01"})
        assert body.status_code == 200, body.json()
        data = body.json()
        assert [p["period"] for p in data["periods"]] == ["2025-01", "2025-02", "2025-03"]
        january, february, march = data["periods"]
        assert january == {
            "period": "2025-01",
            "from": "2025-01",
            "to": "2025-01",
            "delivered": 10_000,
            "defects": 0,
            "incidents": 0,
            "ppm": "0.00",
            "ipb": "0.00",
        }
        assert february["delivered"] == 80_000 and february["defects"] == 43
        assert february["ppm"] == "537.50" and february["incidents"] == 2
        assert march["ppm"] is None and march["ipb"] is None
        assert data["target"] == "50.00" and data["targets"]["ppm_field"] == "10.00"

    def test_figures_follow_a_new_delivery(self, api_client_for, engineer, figures):
        """The periods are computed once per data version: never older than the deliveries."""
        api = api_client_for(engineer)
        params = {"kind": "0km", "from": "2025-02", "to": "2025-02"}
        assert _get(api, PPM, **params).json()["periods"][0]["ppm"] == "537.50"
        deliver(figures[0], dt.date(2025, 2, 20), 6_000)  # 86,000 parts
        assert _get(api, PPM, **params).json()["periods"][0]["ppm"] == "500.00"
        assert _get(api, KPIS, month="2025-02").json()["figures"]["month"]["delivered"] == 86_000

    def test_kinds(self, api_client_for, engineer, figures, customer_a):
        api = api_client_for(engineer)
        params = {"customer": customer_a.pk, "from": "2025-02", "to": "2025-02"}
        field = _get(api, PPM, kind="field", **params).json()
        every = _get(api, PPM, kind="all", **params).json()
        assert field["periods"][0]["ppm"] == "33.33" and field["target"] == "10.00"
        assert every["periods"][0]["defects"] == 4 and every["periods"][0]["ppm"] == "133.33"
        assert every["target"] is None

    def test_quarters_pool_the_counts(self, api_client_for, engineer, figures, customer_a):
        body = _get(
            api_client_for(engineer),
            PPM,
            customer=customer_a.pk,
            kind="0km",
            granularity="quarter",
            **{"from": "2025-01", "to": "2025-03"},
        ).json()
        (quarter,) = body["periods"]
        # 3 defects in 40,000 parts: pooled, not the mean of 0 and 100 ppm.
        assert quarter["period"] == "2025 Q1" and quarter["ppm"] == "75.00"
        assert quarter["from"] == "2025-01" and quarter["to"] == "2025-03"

    def test_window_is_one_pooled_figure(self, api_client_for, engineer, figures, customer_a):
        body = _get(
            api_client_for(engineer), PPM, customer=customer_a.pk, kind="0km", window="ytd",
            to="2025-03",
        ).json()  # fmt: skip
        assert body["window"] == "ytd" and body["granularity"] is None
        (figure,) = body["periods"]
        assert figure["from"] == "2025-01" and figure["to"] == "2025-03"
        assert figure["delivered"] == 40_000 and figure["ppm"] == "75.00"

    def test_part_and_plant_scopes(self, api_client_for, engineer, figures, plants):
        api = api_client_for(engineer)
        month = {"from": "2025-02", "to": "2025-02", "kind": "0km"}
        by_part = _get(api, PPM, part=figures[1].pk, **month).json()
        assert by_part["periods"][0]["ppm"] == "800.00" and by_part["part"] == figures[1].pk
        by_plant = _get(api, PPM, plant=plants[0].pk, **month).json()
        assert by_plant["periods"][0]["ppm"] == "100.00"

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"from": "2025-05", "to": "2025-02"}, "from"),
            ({"granularity": "week"}, "granularity"),
            ({"kind": "km"}, "kind"),
            ({"from": "2010-01", "to": "2025-02"}, "from"),
            ({"to": "2025-13"}, "to"),
            ({"to": "2999-01"}, "to"),
            ({"window": "r5"}, "window"),
            ({"window": "r12", "from": "2025-01"}, "window"),
            ({"customer": "abc"}, "customer"),
            ({"plant": 999_999}, "plant"),
        ],
    )
    def test_validation(self, api_client_for, engineer, params, field):
        response = _get(api_client_for(engineer), PPM, **params)
        assert response.status_code == 400
        assert field in response.json()

    def test_ten_years_are_allowed(self, api_client_for, engineer):
        response = _get(api_client_for(engineer), PPM, **{"from": "2015-03", "to": "2025-02"})
        assert response.status_code == 200 and len(response.json()["periods"]) == 120

    def test_a_part_of_another_customer_than_asked_is_refused(
        self, api_client_for, engineer, figures, customer_a
    ):
        response = _get(api_client_for(engineer), PPM, customer=customer_a.pk, part=figures[1].pk)
        assert response.status_code == 400 and "part" in response.json()


class TestPpmIsolation:
    def test_customer_user_gets_their_own_company_by_default(self, api_client_for, user_a, figures):
        body = _get(api_client_for(user_a), PPM, kind="0km", **{"from": "2025-02", "to": "2025-02"})
        data = body.json()
        assert data["customer"] == user_a.customer_id
        assert data["periods"][0]["delivered"] == 30_000 and data["periods"][0]["ppm"] == "100.00"

    def test_foreign_customer_or_part_is_not_found(
        self, api_client_for, user_a, customer_b, figures
    ):
        api = api_client_for(user_a)
        assert _get(api, PPM, customer=customer_b.pk).status_code == 404
        assert _get(api, PPM, part=figures[1].pk).status_code == 404
        assert _get(api, KPIS, customer=customer_b.pk).status_code == 404

    def test_plant_filter_cannot_widen_a_customer_users_scope(
        self, api_client_for, user_a, plants, figures
    ):
        body = _get(
            api_client_for(user_a), PPM, plant=plants[1].pk, **{"from": "2025-02", "to": "2025-02"}
        ).json()
        assert body["customer"] == user_a.customer_id
        assert body["periods"][0]["delivered"] == 0 and body["periods"][0]["ppm"] is None

    def test_anonymous_is_refused(self, client):
        assert client.get(PPM).status_code in (401, 403)
        assert client.get(KPIS).status_code in (401, 403)


class TestKpis:
    def test_company_kpis_of_a_month(self, api_client_for, manager, figures):
        body = _get(api_client_for(manager), KPIS, month="2025-02")
        assert body.status_code == 200, body.json()
        data = body.json()
        assert data["customer"] is None and data["month"] == "2025-02"
        month = data["figures"]["month"]
        assert month["delivered"] == 80_000 and month["defects_0km"] == 43
        assert month["ppm_0km"] == "537.50" and month["ppm_field"] == "12.50"
        assert data["figures"]["ytd"]["delivered"] == 90_000
        assert data["open_claims"] == 3 and set(data["open_by_age"]) == {
            "0-7",
            "8-30",
            "31-90",
            "90+",
        }
        assert data["overdue_actions"] == 0 and data["cost_of_poor_quality"] == {}
        assert set(data["modules"]) == {"ppap", "changes", "audits"}
        assert data["modules"]["ppap"]["first_time_approval_rate"] is None
        assert data["modules"]["changes"]["open_changes"] == 0
        assert data["modules"]["audits"]["latest_grade"] is None
        assert data["eight_d_on_time"]["rate"] is None

    def test_cost_of_poor_quality_per_currency(self, api_client_for, manager, engineer, figures):
        claim = decided_claim(figures[0], dt.date(2025, 2, 20), 1, actor=engineer)
        costs.cost_line_add(
            claim=claim, actor=engineer, category="sorting", quantity="2.5", unit="h", rate="40"
        )
        data = _get(api_client_for(manager), KPIS, month="2025-02").json()
        assert data["cost_of_poor_quality"] == {"EUR": "100.00"}

    def test_customer_user_gets_own_figures_without_internal_ones(
        self, api_client_for, user_a, customer_a, figures, engineer
    ):
        claim = decided_claim(figures[0], dt.date(2025, 2, 20), 1, actor=engineer)
        costs.cost_line_add(
            claim=claim, actor=engineer, category="scrap", quantity=1, unit="pcs", rate=9
        )
        data = _get(api_client_for(user_a), KPIS, month="2025-02").json()
        assert data["customer"] == customer_a.pk
        assert data["figures"]["month"]["delivered"] == 30_000
        assert data["targets"] == {"ppm_0km": "50.00", "ppm_field": "10.00"}
        assert data["overdue_actions"] is None and data["cost_of_poor_quality"] is None

    def test_month_is_validated(self, api_client_for, manager):
        response = _get(api_client_for(manager), KPIS, month="March")
        assert response.status_code == 400 and "month" in response.json()

    def test_an_early_year_is_written_back_with_four_digits(self, api_client_for, manager):
        response = _get(api_client_for(manager), KPIS, month="0358-07")
        assert response.status_code == 200 and response.json()["month"] == "0358-07"


def test_endpoints_are_documented_with_examples(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    assert "/api/v1/metrics/ppm/" in schema and "/api/v1/metrics/kpis/" in schema
    assert "Two months of one customer" in schema and "The company in March" in schema
    assert "from must not be after to." in schema
