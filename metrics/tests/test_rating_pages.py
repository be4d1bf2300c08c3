"""The rated scorecard's pages: the card for staff and for the customer's own users, settings,
certificates and the customer's own scores; isolation and query counts."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.tests.factories import decided_claim
from customers.tests.factories import PartFactory
from metrics import rating_services
from metrics.models import CustomerRating, RequiredCertificate, ScorecardSettings
from metrics.ppm import add_months, month_start

from .factories import deliver

pytestmark = pytest.mark.django_db


def card_url(customer, **query) -> str:
    url = reverse("metrics:rating-card", args=[customer.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def total_band(html: str) -> str:
    """The band beside our total: the first after the total's card begins."""
    card = html.split('data-testid="rating-total"', 1)[1]
    return re.search(r'data-band="(\w*)"', card)[1]


def last_month() -> dt.date:
    return add_months(month_start(timezone.localdate()), -1)


@pytest.fixture
def shipped(customer_a, engineer):
    """Last month A shipped 40,000 parts with 2 0-km defects (50 ppm: on target)."""
    part = PartFactory(customer=customer_a)
    deliver(part, last_month() + dt.timedelta(days=3), 40_000)
    decided_claim(part, last_month() + dt.timedelta(days=4), 2, actor=engineer)
    return customer_a


class TestCard:
    def test_customer_user_sees_their_own_card(self, client_for, user_a, shipped):
        response = client_for(user_a).get(card_url(shipped))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-metric="zero_km_ppm"' in html and "50.00 ppm" in html
        # 0 km 100 points (weight 30); field 0 ppm 100 (20); the rest n/a: 100.0, green.
        assert "data-total>100.0<" in html and 'data-band="green"' in html
        assert "Not recorded for this month." in html
        assert reverse("metrics:rating-settings", args=[shipped.pk]) not in html

    def test_another_companys_card_is_not_found(self, client_for, user_b, customer_a):
        assert client_for(user_b).get(card_url(customer_a)).status_code == 404

    def test_the_portal_and_the_workbench_link_the_rating(self, client_for, user_a, engineer):
        portal = client_for(user_a).get(reverse("core:home")).content.decode()
        assert f'href="{reverse("metrics:rating-overview")}"' in portal
        workbench = client_for(engineer).get(reverse("core:home")).content.decode()
        assert f'href="{reverse("metrics:rating-overview")}"' in workbench

    def test_the_ppm_scorecard_links_the_rated_one(self, client_for, user_a, customer_a):
        html = client_for(user_a).get(reverse("metrics:scorecard")).content.decode()
        assert f'href="{card_url(customer_a)}?month=' in html

    def test_the_overview_sends_customers_to_their_card(self, client_for, user_a, customer_a):
        response = client_for(user_a).get(reverse("metrics:rating-overview"))
        assert response.status_code == 302 and response["Location"] == card_url(customer_a)

    def test_staff_overview_lists_every_customer_with_band(
        self, client_for, engineer, shipped, customer_b
    ):
        html = client_for(engineer).get(reverse("metrics:rating-overview")).content.decode()
        assert (
            f'data-customer="{shipped.pk}"' in html and f'data-customer="{customer_b.pk}"' in html
        )
        assert 'data-band="green"' in html and "n/a" in html

    def test_overrides_and_the_customers_own_score_are_shown(
        self, client_for, manager, user_a, shipped
    ):
        rating_services.certificate_create(customer=shipped, actor=manager, name="IATF 16949")
        rating_services.customer_rating_create(
            customer=shipped,
            actor=manager,
            month=last_month(),
            score=Decimal("78.5"),
            band="yellow",
            note="Internal: from their portal",
        )
        for user, sees_note in ((user_a, False), (manager, True)):
            html = client_for(user).get(card_url(shipped)).content.decode()
            assert 'data-band="red"' in html  # the missing certificate
            assert "IATF 16949: no valid certificate on record" in html
            assert "By the total alone: Green." in html
            assert "data-customer-score>78.5<" in html and 'data-band="yellow"' in html
            assert ("Internal: from their portal" in html) is sees_note

    def test_open_special_statuses_override_the_band(self, client_for, engineer, user_a, shipped):
        """REFERENCE §6 through the special status register: a CS1 caps a green card at yellow,
        a new business hold makes it red; each is listed with its reason."""
        services = pytest.importorskip("special_status.services")
        fields = {"started_on": timezone.localdate(), "reason": "Burr", "customer_reference": "X"}
        cs1 = services.special_status_open(actor=engineer, customer=shipped, kind="cs1", **fields)
        html = client_for(user_a).get(card_url(shipped)).content.decode()
        assert "data-total>100.0<" in html
        overrides = html.split('data-testid="rating-overrides"', 1)[1].split("</section>", 1)[0]
        assert f"{cs1} is open" in overrides and 'data-override="at_most_yellow"' in overrides
        assert total_band(html) == "yellow"
        services.special_status_open(
            actor=engineer, customer=shipped, kind="new_business_hold", **fields
        )
        html = client_for(user_a).get(card_url(shipped)).content.decode()
        assert total_band(html) == "red"
        assert 'data-override="red"' in html

    def test_other_periods(self, client_for, engineer, shipped):
        client = client_for(engineer)
        month = f"{last_month():%Y-%m}"
        for period, label in (("quarter", " Q"), ("r12", "12 months to")):
            html = client.get(card_url(shipped, period=period, month=month)).content.decode()
            assert label in html
        assert client.get(card_url(shipped, period="week")).status_code == 200  # falls back

    def test_query_count_is_constant_in_the_months_with_data(
        self, client_for, manager, customer_a, customer_b, engineer
    ):
        def page_queries(customer) -> int:
            """The first view of the card: its 12 months are read, not taken from the cache."""
            client = client_for(manager)
            client.get(reverse("metrics:dashboard"))  # sign-in bookkeeping out of the way
            with CaptureQueriesContext(connection) as queries:
                assert client.get(card_url(customer)).status_code == 200
            return len(queries)

        for customer, months in ((customer_a, 1), (customer_b, 12)):
            part = PartFactory(customer=customer)
            for back in range(months):
                month = add_months(last_month(), -back)
                deliver(part, month + dt.timedelta(days=2), 10_000)
                decided_claim(part, month + dt.timedelta(days=3), 1, actor=engineer)
                rating_services.customer_rating_create(
                    customer=customer, actor=manager, month=month, score=80, band="yellow"
                )
            rating_services.certificate_create(
                customer=customer, actor=manager, name="IATF 16949", certificate_number="1"
            )
        assert page_queries(customer_a) == page_queries(customer_b)


class TestSettings:
    def url(self, customer) -> str:
        return reverse("metrics:rating-settings", args=[customer.pk])

    def form(self, **changes) -> dict:
        data = {"green_from": "85", "yellow_from": "70"}
        for key, enabled, weight in (
            ("zero_km_ppm", True, 30),
            ("field_ppm", True, 20),
            ("eight_d_on_time", True, 20),
            ("reaction_hours", True, 10),
            ("csat", True, 20),
            ("ppap_first_time", False, 10),
            ("delivery_on_time", False, 10),
        ):
            if enabled:
                data[f"{key}_enabled"] = "on"
            data[f"{key}_weight"] = str(weight)
            data[f"{key}_target"] = data[f"{key}_limit"] = ""
        data.update(changes)
        return {key: value for key, value in data.items() if value is not None}

    def test_only_managers_change_settings(self, client_for, engineer, user_a, customer_a):
        assert client_for(engineer).get(self.url(customer_a)).status_code == 403
        assert client_for(user_a).get(self.url(customer_a)).status_code == 403

    def test_a_manager_saves_settings_with_history(self, client_for, manager, customer_a):
        client = client_for(manager)
        page = client.get(self.url(customer_a)).content.decode()
        assert 'placeholder="50.00"' in page and 'placeholder="100.00"' in page  # agreed target
        response = client.post(
            self.url(customer_a), self.form(csat_weight="40", zero_km_ppm_target="20")
        )
        assert response.status_code == 302 and response["Location"] == card_url(customer_a)
        settings = ScorecardSettings.objects.get(customer=customer_a)
        assert (settings.csat_weight, settings.zero_km_ppm_target) == (40, 20)
        assert settings.history.get().history_user == manager
        page = client.get(self.url(customer_a)).content.decode()
        assert "Scorecard settings created" in page

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            (
                {"field_ppm_target": "20", "field_ppm_limit": "10"},
                "The limit must be above the target: a lower value is better.",
            ),
            (
                {"csat_target": "50", "csat_limit": "60"},
                "The limit must be below the target: a higher value is better.",
            ),
            (
                {"reaction_hours_target": "0"},
                "A target of 0 leaves no room below the default limit",
            ),
            ({"csat_weight": "0"}, "Give a rated metric a weight of at least 1"),
            ({"csat_target": "101"}, "Ensure this value is less than or equal to 100."),
            ({"yellow_from": "90"}, "Yellow must begin below green (green from 85"),
            (
                {"delivery_on_time_enabled": "on"},
                "Delivery on time cannot be rated yet: the portal records nothing",
            ),
        ],
    )
    def test_wrong_settings_are_refused_with_a_clear_error(
        self, client_for, manager, customer_a, changes, message
    ):
        response = client_for(manager).post(self.url(customer_a), self.form(**changes))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not ScorecardSettings.objects.filter(customer=customer_a).exists()

    def test_at_least_one_metric_is_rated(self, client_for, manager, customer_a):
        off = {f"{key}_enabled": None for key in ("zero_km_ppm", "field_ppm", "eight_d_on_time")}
        off.update({"reaction_hours_enabled": None, "csat_enabled": None})
        response = client_for(manager).post(self.url(customer_a), self.form(**off))
        assert (
            response.status_code == 400 and "Rate at least one metric." in response.content.decode()
        )


class TestCertificates:
    def test_a_manager_adds_and_changes_a_certificate(self, client_for, manager, customer_a):
        client = client_for(manager)
        url = reverse("metrics:certificate-create", args=[customer_a.pk])
        response = client.post(
            url, {"name": "IATF 16949", "certificate_number": "", "is_active": "on"}
        )
        listing = reverse("metrics:certificate-list", args=[customer_a.pk])
        assert response.status_code == 302 and response["Location"] == listing
        certificate = RequiredCertificate.objects.get(customer=customer_a)
        html = client.get(listing).content.decode()
        assert "Not valid" in html and "no valid certificate on record" in html
        edit = reverse("metrics:certificate-update", args=[customer_a.pk, certificate.pk])
        valid = {"name": "IATF 16949", "certificate_number": "0815", "is_active": "on"}
        valid["valid_until"] = "2031-06-30"
        assert client.post(edit, valid).status_code == 302
        html = client.get(listing).content.decode()
        assert "0815" in html and ">Valid<" in html
        assert client.post(url, {"name": "IATF 16949", "is_active": "on"}).status_code == 400

    def test_engineers_read_customers_do_not(self, client_for, engineer, user_a, customer_a):
        listing = reverse("metrics:certificate-list", args=[customer_a.pk])
        assert client_for(engineer).get(listing).status_code == 200
        assert client_for(user_a).get(listing).status_code == 403
        create = reverse("metrics:certificate-create", args=[customer_a.pk])
        assert client_for(engineer).post(create, {"name": "X"}).status_code == 403

    def test_a_certificate_of_another_customer_is_not_found(
        self, client_for, manager, customer_a, customer_b
    ):
        certificate = rating_services.certificate_create(
            customer=customer_a, actor=manager, name="IATF 16949"
        )
        edit = reverse("metrics:certificate-update", args=[customer_b.pk, certificate.pk])
        assert client_for(manager).get(edit).status_code == 404


class TestCustomerScores:
    def test_a_manager_records_the_customers_score(self, client_for, manager, user_a, customer_a):
        client = client_for(manager)
        url = reverse("metrics:customer-rating-create", args=[customer_a.pk])
        month = f"{last_month():%Y-%m}"
        data = {"month": month, "score": "81.5", "band": "yellow", "note": "Portal"}
        response = client.post(url, data)
        assert response.status_code == 302
        record = CustomerRating.objects.get(customer=customer_a)
        assert (record.month, record.score, record.recorded_by) == (last_month(), 81.5, manager)
        listing = client.get(reverse("metrics:customer-rating-list", args=[customer_a.pk]))
        assert "81.5" in listing.content.decode()
        again = client.post(url, {**data, "score": "90"})
        assert again.status_code == 400
        assert "recorded already: change that one" in again.content.decode()
        future = f"{add_months(month_start(timezone.localdate()), 1):%Y-%m}"
        refused = client.post(url, {**data, "month": future})
        assert "Choose a month that has begun." in refused.content.decode()
        card = client_for(user_a).get(card_url(customer_a)).content.decode()
        assert "data-customer-score>81.5<" in card and "Portal" not in card

    def test_a_manager_corrects_a_score(self, client_for, manager, customer_a):
        record = rating_services.customer_rating_create(
            customer=customer_a, actor=manager, month=last_month(), score=70, band="yellow"
        )
        edit = reverse("metrics:customer-rating-update", args=[customer_a.pk, record.pk])
        data = {"month": f"{last_month():%Y-%m}", "score": "65", "band": "red", "note": ""}
        assert client_for(manager).post(edit, data).status_code == 302
        record.refresh_from_db()
        assert (record.score, record.band) == (65, "red")
        assert record.history.count() == 2
