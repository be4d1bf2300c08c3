"""The rated scorecard of REFERENCE §6: each metric's score, the weighted total, the band and the
overrides. Pure: plain values in, plain values out, no database.

* A metric's **score** (0–100) comes from its value *v*, its target *t* and its limit *l*. Lower is
  better (ppm, reaction hours): 100 at or below *t*, 0 at or above *l*, linear between. Higher is
  better (on-time rates, CSAT, approval rates): 100 at or above *t*, 0 at or below *l*, linear
  between. A limit that does not lie on the worse side of the target leaves no room between the
  two, so the score jumps from 100 to 0 past the target.
* The **total** is Σ weight × score ÷ Σ weight over the metrics that have a value; a metric
  without one ("n/a") drops out with its weight. Scores are never rounded: only the total, half-up
  to one decimal, at the very end.
* The **band** is read from the total as shown (one decimal), so a card never says "85.0, yellow":
  green from ``green_from`` (85) on, yellow from ``yellow_from`` (70), red below.
* **Overrides** come after the band: an open new business hold or controlled shipping level 2
  makes it red; an open controlled shipping level 1 or escalation caps it at yellow; a required
  certificate that expired or is missing makes it red. Each one is listed with its reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LOWER, HIGHER = "lower", "higher"
GREEN, YELLOW, RED = "green", "yellow", "red"
# Best first: a band "at most yellow" is yellow or anything after it.
BANDS = (GREEN, YELLOW, RED)
HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")
GREEN_FROM = Decimal(85)
YELLOW_FROM = Decimal(70)
# REFERENCE §6: a lower-is-better metric's limit is twice its target unless agreed otherwise.
LIMIT_FACTOR = 2

# How an open special status (``special_status.models.SpecialStatus.Kind``) moves the band.
TO_RED, AT_MOST_YELLOW = "red", "at_most_yellow"
STATUS_EFFECTS = {
    "new_business_hold": TO_RED,
    "cs2": TO_RED,
    "cs1": AT_MOST_YELLOW,
    "escalation_1": AT_MOST_YELLOW,
    "escalation_2": AT_MOST_YELLOW,
    "escalation_3": AT_MOST_YELLOW,
}


@dataclass(frozen=True)
class MetricSpec:
    """One metric the scorecard can rate, with the defaults of REFERENCE §6."""

    key: str
    label: str
    better: str  # LOWER or HIGHER
    unit: str  # "ppm", "%" or "h"
    weight: int
    # None: no fixed default (the ppm targets are the customer's agreed ones).
    target: Decimal | None
    # None for lower-is-better metrics: twice the target.
    limit: Decimal | None
    enabled: bool = True
    # False: the portal records nothing to compute it from yet.
    has_data: bool = True

    def default_limit(self, target: Decimal) -> Decimal:
        if self.limit is not None:
            return self.limit
        return target * LIMIT_FACTOR

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


def _spec(key, label, better, unit, weight, target=None, limit=None, **options) -> MetricSpec:
    target = None if target is None else Decimal(target)
    limit = None if limit is None else Decimal(limit)
    return MetricSpec(key, label, better, unit, weight, target, limit, **options)


METRICS: dict[str, MetricSpec] = {
    spec.key: spec
    for spec in (
        _spec("zero_km_ppm", gettext_lazy("0 km ppm"), LOWER, "ppm", 30),
        _spec("field_ppm", gettext_lazy("Field ppm"), LOWER, "ppm", 20),
        _spec("eight_d_on_time", gettext_lazy("8D on time"), HIGHER, "%", 20, 95, 75),
        # Containment (D3) is due one working day after the notice: 24 h, limit twice that.
        _spec("reaction_hours", gettext_lazy("Mean reaction time"), LOWER, "h", 10, 24),
        _spec("csat", gettext_lazy("Customer satisfaction (CSAT)"), HIGHER, "%", 20, 80, 50),
        _spec(
            "ppap_first_time",
            gettext_lazy("PPAP first-time approval"),
            HIGHER,
            "%",
            10,
            95,
            75,
            enabled=False,
        ),
        _spec(
            "delivery_on_time",
            gettext_lazy("Delivery on time"),
            HIGHER,
            "%",
            10,
            95,
            75,
            enabled=False,
            has_data=False,
        ),
    )
}


# --- one metric ----------------------------------------------------------------------------------


def metric_score(value, target, limit, better: str) -> Decimal | None:
    """The score 0–100 of ``value`` against ``target`` and ``limit``; None for "n/a"."""
    if value is None:
        return None
    value, target, limit = Decimal(value), Decimal(target), Decimal(limit)
    if better == LOWER:
        if value <= target:
            return HUNDRED
        if value >= limit or limit <= target:
            return Decimal(0)
        return HUNDRED * (limit - value) / (limit - target)
    if value >= target:
        return HUNDRED
    if value <= limit or limit >= target:
        return Decimal(0)
    return HUNDRED * (value - limit) / (target - limit)


@dataclass(frozen=True)
class MetricLine:
    """One metric of the card: its value, what it is rated against, and its score."""

    key: str
    value: Decimal | None
    target: Decimal
    limit: Decimal
    weight: int

    @property
    def spec(self) -> MetricSpec:
        return METRICS[self.key]

    @property
    def label(self) -> str:
        return str(self.spec.label)

    @property
    def score(self) -> Decimal | None:
        return metric_score(self.value, self.target, self.limit, self.spec.better)

    @property
    def counts(self) -> bool:
        """Whether it is part of the total: it has a value (and a weight)."""
        return self.value is not None and self.weight > 0


def weighted_total(lines: Iterable[tuple[int, Decimal | None]]) -> Decimal | None:
    """Σ weight × score ÷ Σ weight over (weight, score) pairs with a score, half-up to 0.1."""
    weights = points = Decimal(0)
    for weight, score in lines:
        if score is None or not weight:
            continue
        weights += weight
        points += weight * score
    if not weights:
        return None
    return (points / weights).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def band_for(total, green_from=GREEN_FROM, yellow_from=YELLOW_FROM) -> str | None:
    """GREEN from ``green_from`` on, YELLOW from ``yellow_from``, else RED; None without a total."""
    if total is None:
        return None
    if total >= green_from:
        return GREEN
    return YELLOW if total >= yellow_from else RED


# --- overrides -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenStatus:
    """A special status the customer has us in, open now: its kind and how the card names it."""

    kind: str  # a SpecialStatus.Kind value
    text: str


@dataclass(frozen=True)
class CertificateState:
    """A certificate the customer requires of us, as far as we have one on record."""

    name: str
    number: str = ""
    valid_until: dt.date | None = None
    plant: str = ""

    @property
    def title(self) -> str:
        return f"{self.name} ({self.plant})" if self.plant else self.name

    def problem(self, on: dt.date) -> str:
        """Why it does not count as valid on day ``on``; "" when it does."""
        if not self.number or self.valid_until is None:
            return _("%(certificate)s: no valid certificate on record") % {
                "certificate": self.title
            }
        if self.valid_until < on:
            return _("%(certificate)s expired on %(date)s") % {
                "certificate": self.title,
                "date": date_format(self.valid_until, "DATE_FORMAT"),
            }
        return ""


@dataclass(frozen=True)
class Override:
    effect: str  # TO_RED or AT_MOST_YELLOW
    reason: str
    changed: bool  # whether it moved the band (an open CS1 on a yellow card changes nothing)

    @property
    def effect_text(self) -> str:
        return _("red") if self.effect == TO_RED else _("at most yellow")


def _worse(band: str | None, floor: str) -> str | None:
    """``band``, or ``floor`` when ``band`` is better; no band (n/a) stays n/a."""
    if band is None:
        return None
    return floor if BANDS.index(band) < BANDS.index(floor) else band


def apply_overrides(
    band: str | None,
    statuses: Sequence[OpenStatus],
    certificates: Sequence[CertificateState],
    *,
    on: dt.date,
) -> tuple[str | None, list[Override]]:
    """The band after the overrides, and each override with its reason.

    Caps first, then the red ones, so that every override says truthfully whether it changed the
    band. A red override makes even a card without a total ("n/a") red: the customer has told us
    where we stand.
    """
    caps = [s for s in statuses if STATUS_EFFECTS.get(s.kind) == AT_MOST_YELLOW]
    reds = [(s.text, TO_RED) for s in statuses if STATUS_EFFECTS.get(s.kind) == TO_RED]
    reds += [(problem, TO_RED) for c in certificates if (problem := c.problem(on))]
    overrides = []
    for status in caps:
        capped = _worse(band, YELLOW)
        overrides.append(Override(AT_MOST_YELLOW, status.text, capped != band))
        band = capped
    for reason, effect in reds:
        overrides.append(Override(effect, reason, band != RED))
        band = RED
    return band, overrides


# --- the card ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    lines: list[MetricLine]
    total: Decimal | None
    score_band: str | None  # the band of the total alone
    band: str | None  # after the overrides
    overrides: list[Override]
    green_from: Decimal
    yellow_from: Decimal

    @property
    def weights_counted(self) -> int:
        return sum(line.weight for line in self.lines if line.counts)


def rate(
    lines: Sequence[MetricLine],
    *,
    green_from=GREEN_FROM,
    yellow_from=YELLOW_FROM,
    statuses: Sequence[OpenStatus] = (),
    certificates: Sequence[CertificateState] = (),
    on: dt.date,
) -> Rating:
    """The whole card: the total of ``lines``, its band, then the overrides as of day ``on``."""
    total = weighted_total((line.weight, line.score) for line in lines)
    score_band = band_for(total, green_from, yellow_from)
    band, overrides = apply_overrides(score_band, statuses, certificates, on=on)
    return Rating(
        lines=list(lines),
        total=total,
        score_band=score_band,
        band=band,
        overrides=overrides,
        green_from=Decimal(green_from),
        yellow_from=Decimal(yellow_from),
    )
