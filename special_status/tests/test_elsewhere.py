"""What other pages and figures show of special statuses: cost of poor quality, the dashboard
tile, the customer page and the claim page of a part concerned."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import kpis as claim_kpis
from claims.models import ClaimCost, ClaimCostSheet
from claims.tests.factories import decided_claim, file_claim
from customers.tests.factories import PartFactory, PlantFactory
from metrics import dashboard
from metrics.kpis import kpis_for
from special_status import selectors, services

from .factories import closed, open_status

pytestmark = pytest.mark.django_db
MARCH = dt.date(2025, 3, 1)


def _bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(month, dt.time.min))
    end = timezone.make_aware(dt.datetime(month.year, month.month + 1, 1))
    return start, end


def _cs2(engineer, customer, started_on, hours, rate, currency="EUR", **kwargs):
    special_status = open_status(
        actor=engineer, customer=customer, kind="cs2", started_on=started_on, **kwargs
    )
    return services.special_status_costs_save(
        special_status=special_status,
        actor=engineer,
        inspection_hours=hours,
        hourly_rate=rate,
        currency=currency,
    )


# --- cost of poor quality ------------------------------------------------------------------------


def test_cs2_cost_counts_the_cs2s_started_in_the_period_and_scope(engineer, customer_a, customer_b):
    _cs2(engineer, customer_a, dt.date(2025, 3, 4), Decimal("10"), Decimal("80.00"))
    _cs2(engineer, customer_a, dt.date(2025, 3, 31), Decimal("2.5"), Decimal("100.00"))
    _cs2(engineer, customer_a, dt.date(2025, 4, 1), Decimal("99"), Decimal("99.00"))  # next month
    _cs2(engineer, customer_b, dt.date(2025, 3, 10), Decimal("1"), Decimal("50.00"))
    _cs2(engineer, customer_b, dt.date(2025, 3, 11), Decimal("1"), Decimal("70.00"), "USD")
    open_status(actor=engineer, customer=customer_a, kind="cs1", started_on=dt.date(2025, 3, 5))
    april = dt.date(2025, 4, 1)
    assert selectors.cs2_cost(customer_id=customer_a.pk, start=MARCH, end=april) == Decimal(
        "1050.00"
    )
    assert selectors.cs2_cost(customer_id=None, start=MARCH, end=april) == Decimal("1100.00")
    assert selectors.cs2_costs(customer_id=None, start=MARCH, end=april) == {
        "EUR": Decimal("1100.00"),
        "USD": Decimal("70.00"),
    }
    assert selectors.cs2_cost(customer_id=customer_b.pk, start=april, end=MARCH) == 0


def test_cost_of_poor_quality_adds_cs2_inspection_to_the_claim_costs(
    engineer, customer_a, customer_b
):
    claim = decided_claim(PartFactory(customer=customer_a), dt.date(2025, 3, 3), 1, actor=engineer)
    sheet = ClaimCostSheet.objects.create(claim=claim, customer=claim.customer)
    ClaimCost.objects.create(
        sheet=sheet,
        claim=claim,
        customer=claim.customer,
        category="sorting",
        quantity=Decimal("4"),
        unit="h",
        rate=Decimal("45"),
        created_by=engineer,
    )
    start, end = _bounds(MARCH)
    assert claim_kpis.cost_of_poor_quality(start, end) == {"EUR": Decimal("180.00")}
    _cs2(engineer, customer_a, dt.date(2025, 3, 20), Decimal("10"), Decimal("80.00"))
    _cs2(engineer, customer_b, dt.date(2025, 3, 21), Decimal("1"), Decimal("10.00"), "CHF")
    assert claim_kpis.cost_of_poor_quality(start, end) == {
        "CHF": Decimal("10.00"),
        "EUR": Decimal("980.00"),
    }
    assert claim_kpis.cost_of_poor_quality(start, end, customer_id=customer_a.pk) == {
        "EUR": Decimal("980.00")
    }
    assert claim_kpis.cost_of_poor_quality(*_bounds(dt.date(2025, 2, 1))) == {}
    assert kpis_for(MARCH, customer=customer_b).cost_of_poor_quality == {"CHF": Decimal("10.00")}


def test_cost_of_poor_quality_of_a_plant_counts_the_cs2s_concerning_it(engineer, customer_a):
    north, south = PlantFactory(code="NORTH"), PlantFactory(code="SOUTH")
    on_part = PartFactory(customer=customer_a, plant=north)
    _cs2(engineer, customer_a, dt.date(2025, 3, 2), 1, 100, parts=[on_part])
    _cs2(engineer, customer_a, dt.date(2025, 3, 3), 1, 10, parts=[], plants=[south])
    start, end = _bounds(MARCH)
    assert claim_kpis.cost_of_poor_quality(start, end, plant_id=north.pk) == {
        "EUR": Decimal("100.00")
    }
    assert claim_kpis.cost_of_poor_quality(start, end, plant_id=south.pk) == {
        "EUR": Decimal("10.00")
    }


# --- the dashboard -------------------------------------------------------------------------------


def test_the_dashboard_tile_counts_the_statuses_in_force(
    client_for, engineer, manager, customer_a, customer_b
):
    open_status(actor=engineer, customer=customer_a)
    open_status(actor=engineer, customer=customer_b, kind="new_business_hold")
    closed(actor=engineer, signer=manager, customer=customer_a, kind="escalation_1")
    client = client_for(manager)

    def tile(**query):
        response = client.get(reverse("metrics:dashboard"), query)
        return next(t for t in response.context["tiles"] if t.key == "special_status")

    assert (tile().value, tile().alert) == ("2", True)
    assert tile(customer=customer_a.pk).value == "1"
    assert selectors.open_count() == 2 and selectors.open_count(customer_b.pk) == 1
    assert dashboard.special_status_tile(None).label == "Open special statuses"


# --- the customer page ---------------------------------------------------------------------------


def test_the_customer_page_lists_the_statuses_in_force(
    client_for, engineer, manager, customer_a, customer_b
):
    in_force = open_status(actor=engineer, customer=customer_a, kind="cs1")
    ended = closed(actor=engineer, signer=manager, customer=customer_a, kind="escalation_1")
    others = open_status(actor=engineer, customer=customer_b)
    page = client_for(engineer).get(reverse("customers:customer-detail", args=[customer_a.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert in_force.number in text and "Controlled shipping level 1 (CS1)" in text
    assert ended.number not in text and others.number not in text
    empty = client_for(engineer).get(reverse("customers:customer-detail", args=[customer_b.pk]))
    assert others.number in empty.content.decode()


# --- the claim page ------------------------------------------------------------------------------


def test_the_claim_page_warns_only_for_a_part_concerned(client_for, engineer, customer_a, user_a):
    concerned, other = PartFactory(customer=customer_a), PartFactory(customer=customer_a)
    started = timezone.localdate() - dt.timedelta(days=12)
    special_status = open_status(actor=engineer, parts=[concerned], kind="cs1", started_on=started)
    claim_on_concerned = file_claim(actor=user_a, part=concerned)
    claim_on_other = file_claim(actor=user_a, part=other)
    banner = "Controlled shipping level 1 (CS1) open for this part since"
    for viewer in (engineer, user_a):
        client = client_for(viewer)
        page = client.get(reverse("claims:claim-detail", args=[claim_on_concerned.pk]))
        text = page.content.decode()
        assert banner in text and special_status.number in text
        other_page = client.get(reverse("claims:claim-detail", args=[claim_on_other.pk]))
        assert banner not in other_page.content.decode()


def test_the_banner_goes_once_the_exit_is_signed(client_for, engineer, manager, customer_a, user_a):
    part = PartFactory(customer=customer_a)
    closed(actor=engineer, signer=manager, parts=[part], kind="cs2")
    claim = file_claim(actor=user_a, part=part)
    page = client_for(engineer).get(reverse("claims:claim-detail", args=[claim.pk]))
    assert "open for this part since" not in page.content.decode()
