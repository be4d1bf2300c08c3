"""What the rated scorecard rates: each metric's value for one customer and period, the customer's
open special statuses and the certificates it requires (REFERENCE §5, §6).

The values come from the functions behind ``/api/v1/metrics/ppm`` and ``/api/v1/metrics/kpis``
(``metrics.ppm``, ``claims.kpis``, ``ppap.selectors.kpi_figures``), so a card never disagrees with
the figures the dashboard and the API show for the same period. A period of several months pools
its counts: ppm over all its deliveries and claims, the 8D on-time rate over every 8D due in it,
the reaction time over every claim notified in it, CSAT over every answer given in it.

CSAT and the special statuses belong to the ``surveys`` and ``special_status`` apps, read through
their selectors (``surveys.selectors.csat_for``, ``special_status.selectors.open_for``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from claims import kpis as claim_kpis
from core import data_version
from ppap import selectors as ppap_selectors
from special_status.selectors import open_for
from surveys.selectors import csat_for

from . import ppm, rating
from .kpis import month_bounds
from .models import Band, CustomerRating, RequiredCertificate, ScorecardSettings
from .ppm import Counts, Scope

MONTH, QUARTER, ROLLING_12 = "month", "quarter", "r12"
PERIODS = (MONTH, QUARTER, ROLLING_12)
TREND_MONTHS = 12
# The metrics whose value is a figure of the claims and 8Ds of a period, read per period.
_PERIOD_READS = ("eight_d_on_time", "reaction_hours", "csat", "ppap_first_time")


# --- periods -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingPeriod:
    """The months a card covers: one month, the quarter up to a month, or 12 months to a month."""

    kind: str
    first: dt.date
    last: dt.date

    @property
    def months(self) -> list[dt.date]:
        return ppm.months_between(self.first, self.last)

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return month_bounds(self.first)[0], month_bounds(self.last)[1]

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{self.last:%Y-%m}"
        if self.kind == QUARTER:
            quarter = f"{self.first.year} Q{(self.first.month - 1) // 3 + 1}"
            if self.first.month + 2 != self.last.month:  # the quarter so far
                return _("%(quarter)s to %(month)s") % {
                    "quarter": quarter,
                    "month": f"{self.last:%Y-%m}",
                }
            return quarter
        return _("12 months to %(month)s") % {"month": f"{self.last:%Y-%m}"}


def band_label(band: str | None) -> str:
    """A band as the viewer reads it; "n/a" without one."""
    return str(Band(band).label) if band else _("n/a")


def rating_period(kind: str, month: dt.date) -> RatingPeriod:
    """The period of ``kind`` that ends with ``month`` (any day in it)."""
    last = ppm.month_start(month)
    if kind == MONTH:
        first = last
    elif kind == QUARTER:
        first = ppm.period_start(last, "quarter")
    elif kind == ROLLING_12:
        first = ppm.add_months(last, 1 - 12)
    else:
        raise ValueError(f"unknown period {kind!r}")
    return RatingPeriod(kind, first, last)


# --- the customer's settings and standing --------------------------------------------------------


def settings_for(customer) -> ScorecardSettings:
    """The customer's scorecard settings; the defaults (unsaved) while it has none."""
    try:
        return customer.scorecard_settings
    except ObjectDoesNotExist:
        return ScorecardSettings(customer=customer)


def agreed_targets(customer) -> dict[str, Decimal]:
    """Targets agreed outside the scorecard: the ppm targets of the customer's requirements."""
    requirements = customer.requirements
    return {
        "zero_km_ppm": requirements.ppm_target_0km,
        "field_ppm": requirements.ppm_target_field,
    }


def csat_input(customer, start: dt.datetime, end: dt.datetime) -> Decimal | None:
    """CSAT (%) of the customer's answers given in [start, end); None ("n/a") without any."""
    return csat_for(customer_id=customer.pk, start=start, end=end).value


def status_overrides(customer) -> list[rating.OpenStatus]:
    """The customer's special statuses open now (escalations, CS1, CS2, new business hold)."""
    return [
        rating.OpenStatus(kind=status.kind, text=_status_text(status))
        for status in open_for(customer.pk)
    ]


def _status_text(status) -> str:
    kind, name = str(status.get_kind_display()), str(status)
    described = name if kind in name else f"{kind} {name}"
    return _("%(status)s is open") % {"status": described}


def certificate_states(customer) -> list[rating.CertificateState]:
    certificates = RequiredCertificate.objects.filter(customer=customer, is_active=True)
    return [certificate.state() for certificate in certificates.select_related("plant")]


# --- values --------------------------------------------------------------------------------------


def rated_keys(settings: ScorecardSettings) -> list[str]:
    return [key for key in rating.METRICS if settings.metric(key)[0]]


def period_values(
    customer, keys: Sequence[str], start: dt.datetime, end: dt.datetime, counts: Counts, *, now
) -> dict[str, Decimal | None]:
    """The value of each metric in ``keys`` over [start, end); ``counts`` are the period's pooled
    ppm counts. Only the metrics asked for are read."""
    values: dict[str, Decimal | None] = {
        "zero_km_ppm": counts.ppm_0km,
        "field_ppm": counts.ppm_field,
        "delivery_on_time": None,  # the portal records no delivery due dates
    }
    now = now or timezone.now()
    reads = {
        "eight_d_on_time": lambda: claim_kpis.eight_d_on_time(
            start, end, customer_id=customer.pk, now=now
        ).rate,
        "reaction_hours": lambda: claim_kpis.mean_reaction_hours(
            start, end, customer_id=customer.pk
        ),
        "csat": lambda: csat_input(customer, start, end),
        "ppap_first_time": lambda: _ppap_first_time(customer, start, end),
    }
    for key in keys:
        if key in reads:
            values[key] = reads[key]()
    return {key: values[key] for key in keys}


def _ppap_first_time(customer, start, end) -> Decimal | None:
    figures = ppap_selectors.kpi_figures(start, end, customer_id=customer.pk)
    return next(f.value for f in figures if f.key == "first_time_approval_rate")


def metric_lines(settings, customer, values: dict[str, Decimal | None]) -> list[rating.MetricLine]:
    """A card's lines: every rated metric with its value, target, limit and weight."""
    agreed = agreed_targets(customer)
    lines = []
    for key, value in values.items():
        _enabled, weight, _target, _limit = settings.metric(key)
        target, limit = settings.target_and_limit(key, agreed.get(key))
        lines.append(rating.MetricLine(key, value, target, limit, weight))
    return lines


# --- the card ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    month: dt.date
    total: Decimal | None
    band: str | None  # of the total alone: the overrides are today's, not that month's
    customer_rating: CustomerRating | None


@dataclass(frozen=True)
class Scorecard:
    customer: object
    period: RatingPeriod
    settings: ScorecardSettings
    rating: rating.Rating
    values: dict[str, Decimal | None]
    counts: Counts
    customer_rating: CustomerRating | None  # the customer's own, for the period's last month
    trend: list[TrendPoint]
    today: dt.date


def scorecard(customer, kind: str, month: dt.date, *, now=None, trend: bool = True) -> Scorecard:
    """The card of ``customer`` for the period ``kind`` ending with ``month``.

    With ``trend`` also the total of each of the 12 months to ``month``: every month's figures are
    read by the same functions as the card's, a fixed number of reads however much data there is.
    Overrides are as of today: the statuses open and the certificates valid now.
    """
    period = rating_period(kind, month)
    settings = settings_for(customer)
    keys = rated_keys(settings)
    first = ppm.add_months(period.last, 1 - TREND_MONTHS) if trend else period.first
    months = monthly_values(customer, keys, first, period.last, now=now)
    ratings = _customer_ratings(customer, first, period.last)
    today = timezone.localdate(now)
    points = []
    if trend:
        for point_month, (_counts, values) in months.items():
            card = _rated(settings, customer, values, on=today)
            points.append(
                TrendPoint(point_month, card.total, card.score_band, ratings.get(point_month))
            )
    counts = ppm.pooled(months[m][0] for m in period.months)
    if kind == MONTH:
        values = months[period.last][1]
    else:
        values = _figures(
            "rating-period",
            (customer.pk, *period.bounds, *keys),
            lambda: period_values(customer, keys, *period.bounds, counts, now=now),
            now=now,
        )
    card = _rated(
        settings,
        customer,
        values,
        statuses=status_overrides(customer),
        certificates=certificate_states(customer),
        on=today,
    )
    return Scorecard(
        customer=customer,
        period=period,
        settings=settings,
        rating=card,
        values=values,
        counts=counts,
        customer_rating=ratings.get(period.last),
        trend=points,
        today=today,
    )


def _rated(settings, customer, values, **overrides) -> rating.Rating:
    return rating.rate(
        metric_lines(settings, customer, values),
        green_from=settings.green_from,
        yellow_from=settings.yellow_from,
        **overrides,
    )


def monthly_values(
    customer, keys: Sequence[str], first: dt.date, last: dt.date, *, now=None
) -> dict[dt.date, tuple[Counts, dict[str, Decimal | None]]]:
    """The ppm counts and the value of each metric in ``keys``, month by month."""

    def read() -> dict:
        monthly = ppm.monthly_counts(Scope(customer_id=customer.pk), first, last)
        return {
            month: (counts, period_values(customer, keys, *month_bounds(month), counts, now=now))
            for month, counts in monthly.items()
        }

    return _figures("rating-months", (customer.pk, first, last, *keys), read, now=now)


def _figures(name: str, key: tuple, read, *, now):
    """``read()``, kept until the data it read changes (``core.data_version``): a card reads each
    of its 12 months with the functions of the KPIs, about 50 small queries, and every viewer of
    the customer's card would repeat them. A caller's own ``now`` is not the clock: not cached."""
    if now is not None:
        return read()
    return data_version.cached(name, key, read)


def _customer_ratings(customer, first: dt.date, last: dt.date) -> dict[dt.date, CustomerRating]:
    rows = CustomerRating.objects.filter(customer=customer, month__gte=first, month__lte=last)
    return {row.month: row for row in rows}


def month_rating(customer, month: dt.date, *, now=None) -> Scorecard:
    """One month's card without the trend: for the dashboard and the monthly report."""
    return scorecard(customer, MONTH, month, now=now, trend=False)


def rating_summary(customer, month: dt.date) -> dict:
    """The month's total and band in a few words: the dashboard's tile of one customer."""
    card = month_rating(customer, month)
    own = card.customer_rating
    return {
        "customer_id": customer.pk,
        "month": card.period.last,
        "total": card.rating.total,
        "band": card.rating.band or "",
        "band_label": band_label(card.rating.band),
        "overrides": [override.reason for override in card.rating.overrides],
        "customer_score": own.score if own else None,
        "customer_band": own.band if own else "",
        "customer_band_label": band_label(own.band) if own else "",
    }
