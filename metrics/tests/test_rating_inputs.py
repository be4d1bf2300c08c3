"""The scorecard's values are the figures of /api/v1/metrics/kpis and /ppm for the same months,
counts pooled over a period (REFERENCE §5); defaults, settings and certificates reach the card."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from claims import kpis as claim_kpis
from claims.models import Claim, EightDStep
from claims.tests.factories import decided_claim
from customers.tests.factories import PartFactory
from metrics import rating, rating_inputs, rating_services
from metrics.rating_inputs import MONTH, QUARTER, ROLLING_12

from .factories import deliver

pytestmark = pytest.mark.django_db

KPIS, PPM, SCORECARD = "/api/v1/metrics/kpis/", "/api/v1/metrics/ppm/", "/api/v1/metrics/scorecard/"


def at(year, month, day, hour=10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def with_d8(claim, due, submitted=None):
    EightDStep.objects.create(
        claim=claim,
        customer=claim.customer,
        code="D8",
        due_at=due,
        submitted_at=submitted,
        status="submitted" if submitted else "draft",
    )


def reacted(claim, hours: int) -> None:
    Claim.objects.filter(pk=claim.pk).update(
        reaction_at=claim.notified_at + dt.timedelta(hours=hours)
    )


@pytest.fixture
def world(customer_a, customer_b, engineer):
    """Three months of A (and some of B, which must not count): deliveries, claims charged to
    ppm, 8Ds due on time and late, reactions."""
    part, other = PartFactory(customer=customer_a), PartFactory(customer=customer_b)
    deliver(part, dt.date(2025, 1, 8), 20_000)
    deliver(part, dt.date(2025, 2, 8), 40_000)
    deliver(part, dt.date(2025, 3, 8), 10_000)
    deliver(other, dt.date(2025, 2, 9), 99_000)
    january = decided_claim(part, dt.date(2025, 1, 10), 1, actor=engineer)
    february = decided_claim(part, dt.date(2025, 2, 10), 3, actor=engineer)
    field = decided_claim(part, dt.date(2025, 2, 11), 1, actor=engineer, kind="field")
    march = decided_claim(part, dt.date(2025, 3, 12), 2, actor=engineer)
    decided_claim(other, dt.date(2025, 2, 12), 50, actor=engineer)
    with_d8(january, due=at(2025, 2, 9), submitted=at(2025, 2, 8))
    with_d8(february, due=at(2025, 3, 12), submitted=at(2025, 3, 14))
    with_d8(field, due=at(2025, 3, 13), submitted=at(2025, 3, 1))
    with_d8(march, due=at(2025, 4, 11))
    reacted(january, 12)
    reacted(february, 30)
    reacted(field, 18)
    return customer_a


def rate_of(on_time: int, due: int) -> Decimal | None:
    return None if not due else (Decimal(on_time) * 100 / due).quantize(Decimal("0.1"))


def test_a_month_is_the_kpis_of_that_month(world, api_client_for, engineer):
    api = api_client_for(engineer)
    for month in ("2025-01", "2025-02", "2025-03"):
        kpis = api.get(KPIS, {"customer": world.pk, "month": month}).json()
        card = api.get(SCORECARD, {"customer": world.pk, "month": month}).json()
        values = {line["key"]: line["value"] for line in card["metrics"]}
        assert values["zero_km_ppm"] == _two(kpis["figures"]["month"]["ppm_0km"]), month
        assert values["field_ppm"] == _two(kpis["figures"]["month"]["ppm_field"]), month
        assert values["eight_d_on_time"] == _two(kpis["eight_d_on_time"]["rate"]), month
        assert values["reaction_hours"] == _two(kpis["mean_reaction_hours"]), month
    # February: 3 of 40,000 (75 ppm) 0 km, 1 field (25 ppm); the January 8D due and on time.
    february = api.get(SCORECARD, {"customer": world.pk, "month": "2025-02"}).json()
    by_key = {line["key"]: line for line in february["metrics"]}
    assert by_key["zero_km_ppm"]["value"] == "75.00" and by_key["field_ppm"]["value"] == "25.00"
    assert by_key["eight_d_on_time"]["value"] == "100.00"


def test_a_quarter_and_twelve_months_pool_the_counts(world, api_client_for, engineer):
    api = api_client_for(engineer)
    for period, first, months in ((QUARTER, "2025-01", 3), (ROLLING_12, "2024-04", 12)):
        card = api.get(SCORECARD, {"customer": world.pk, "month": "2025-03", "period": period})
        card = card.json()
        assert (card["period"], card["from"], card["to"]) == (period, first, "2025-03")
        values = {line["key"]: line["value"] for line in card["metrics"]}
        for kind, key in (("0km", "zero_km_ppm"), ("field", "field_ppm")):
            query = {"customer": world.pk, "kind": kind, "from": first, "to": "2025-03"}
            if period == QUARTER:
                query["granularity"] = "quarter"
            else:
                query = {"customer": world.pk, "kind": kind, "window": "r12", "to": "2025-03"}
            (pooled,) = api.get(PPM, query).json()["periods"]
            assert values[key] == pooled["ppm"], (period, kind)
        # 8Ds due in the period: the sum of each month's counts of /kpis, never a mean of rates.
        month_kpis = [
            api.get(KPIS, {"customer": world.pk, "month": f"{m:%Y-%m}"}).json()["eight_d_on_time"]
            for m in rating_inputs.rating_period(period, dt.date(2025, 3, 1)).months
        ]
        assert len(month_kpis) == months
        on_time = sum(m["on_time"] for m in month_kpis)
        due = sum(m["due"] for m in month_kpis)
        assert values["eight_d_on_time"] == _two(rate_of(on_time, due))
    # Q1: 6 parts 0 km of 70,000 = 85.71 ppm; 2 of 3 8Ds on time = 66.7 %.
    quarter = rating_inputs.scorecard(world, QUARTER, dt.date(2025, 3, 1), trend=False)
    assert quarter.values["zero_km_ppm"] == Decimal("85.71")
    assert quarter.values["eight_d_on_time"] == Decimal("66.7")
    # The reaction time is the mean of every claim notified in the quarter, not of months.
    start, end = quarter.period.bounds
    expected = claim_kpis.mean_reaction_hours(start, end, customer_id=world.pk)
    assert quarter.values["reaction_hours"] == expected == Decimal("20.0")


def _two(value) -> str | None:
    """A figure of /kpis as the scorecard writes values: two decimals."""
    if value is None:
        return None
    return str(Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def test_ppap_first_time_approval_is_the_kpis_figure(
    customer_a, engineer, manager, user_a, api_client_for
):
    from ppap import services
    from ppap.tests.factories import PASSWORD, interim, sent

    rating_services.scorecard_settings_update(
        customer=customer_a, actor=manager, ppap_first_time_enabled=True
    )
    approved = sent(engineer, manager, part=PartFactory(customer=customer_a))
    services.submission_dispose(
        submission=approved, actor=user_a, disposition="approve", password=PASSWORD
    )
    interim(engineer, manager, user_a, part=PartFactory(customer=customer_a))
    month = f"{timezone.localdate():%Y-%m}"
    api = api_client_for(engineer)
    kpis = api.get(KPIS, {"customer": customer_a.pk, "month": month}).json()
    card = api.get(SCORECARD, {"customer": customer_a.pk, "month": month}).json()
    line = next(line for line in card["metrics"] if line["key"] == "ppap_first_time")
    assert kpis["modules"]["ppap"]["first_time_approval_rate"] == "50.0"
    assert line["value"] == "50.00" and line["score"] == "0.00"  # at or below the 75 % limit


def test_the_trend_month_is_the_month_card(world):
    card = rating_inputs.scorecard(world, MONTH, dt.date(2025, 3, 1))
    assert [point.month for point in card.trend][-3:] == [
        dt.date(2025, 1, 1),
        dt.date(2025, 2, 1),
        dt.date(2025, 3, 1),
    ]
    assert len(card.trend) == rating_inputs.TREND_MONTHS
    for point in card.trend[-3:]:
        month_card = rating_inputs.month_rating(world, point.month)
        assert point.total == month_card.rating.total is not None
        assert point.band == month_card.rating.score_band
    assert card.trend[0].total is None  # no deliveries, claims or 8Ds: n/a, not 0


def test_defaults_take_the_customers_agreed_ppm_targets(customer_a):
    customer_a.requirements.ppm_target_0km = Decimal(25)
    customer_a.requirements.save()
    card = rating_inputs.scorecard(customer_a, MONTH, dt.date(2025, 3, 1), trend=False)
    lines = {line.key: line for line in card.rating.lines}
    assert list(lines) == ["zero_km_ppm", "field_ppm", "eight_d_on_time", "reaction_hours", "csat"]
    assert (lines["zero_km_ppm"].target, lines["zero_km_ppm"].limit) == (25, 50)
    assert (lines["field_ppm"].target, lines["field_ppm"].limit) == (10, 20)
    assert (lines["reaction_hours"].target, lines["reaction_hours"].limit) == (24, 48)
    assert (lines["csat"].target, lines["csat"].limit) == (80, 50)
    assert [line.weight for line in lines.values()] == [30, 20, 20, 10, 20]
    assert card.rating.total is None and card.rating.band is None  # nothing to rate yet


def test_settings_decide_what_is_rated(world, manager):
    rating_services.scorecard_settings_update(
        customer=world,
        actor=manager,
        reaction_hours_enabled=False,
        zero_km_ppm_target=Decimal(100),
        zero_km_ppm_limit=Decimal(300),
        green_from=Decimal(95),
        yellow_from=Decimal(60),
    )
    world.refresh_from_db()
    card = rating_inputs.scorecard(world, MONTH, dt.date(2025, 2, 1), trend=False)
    lines = {line.key: line for line in card.rating.lines}
    assert "reaction_hours" not in lines
    assert (lines["zero_km_ppm"].target, lines["zero_km_ppm"].limit) == (100, 300)
    assert lines["zero_km_ppm"].score == 100  # 75 ppm within its own target of 100
    # 0 km 100 × 30, field 25 ppm (t 10, l 20) 0 × 20, on time 100 × 20; CSAT n/a.
    assert card.rating.total == Decimal("71.4")
    assert card.rating.band == rating.YELLOW  # yellow from 60 for this customer


def test_a_missing_or_expired_certificate_makes_the_card_red(world, manager):
    certificate = rating_services.certificate_create(
        customer=world, actor=manager, name="IATF 16949", certificate_number="0815"
    )
    card = rating_inputs.scorecard(world, MONTH, dt.date(2025, 2, 1), trend=False)
    assert card.rating.band == rating.RED
    assert [o.reason for o in card.rating.overrides] == [
        "IATF 16949: no valid certificate on record"
    ]
    rating_services.certificate_update(
        certificate=certificate, actor=manager, valid_until=timezone.localdate()
    )
    card = rating_inputs.scorecard(world, MONTH, dt.date(2025, 2, 1), trend=False)
    assert card.rating.overrides == [] and card.rating.band == card.rating.score_band
    rating_services.certificate_update(certificate=certificate, actor=manager, is_active=False)
    rating_services.certificate_create(
        customer=world,
        actor=manager,
        name="IATF 16949",
        certificate_number="0816",
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    card = rating_inputs.scorecard(world, MONTH, dt.date(2025, 2, 1), trend=False)
    assert card.rating.band == rating.RED
    assert "expired on" in card.rating.overrides[0].reason


def test_without_the_customer_voice_apps_csat_is_na_and_nothing_overrides(world, settings):
    settings.INSTALLED_APPS = [
        app for app in settings.INSTALLED_APPS if app not in ("surveys", "special_status")
    ]
    start, end = rating_inputs.rating_period(MONTH, dt.date(2025, 2, 1)).bounds
    assert rating_inputs.csat_input(world, start, end) is None
    assert rating_inputs.status_overrides(world) == []
