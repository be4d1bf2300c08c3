"""Claim figures for the dashboard and the management report (REFERENCE §1 and §5).

Read-only and aggregated in the database: each function is one or two grouped queries whatever
the number of claims. ``customer_id=None`` means every customer; ``plant_id`` narrows a figure to
the claims on parts made in one of our plants.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Case, Count, DurationField, ExpressionWrapper, F, Q, Sum, When
from django.db.models import DecimalField as DecimalOutput
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Action
from core.months import month_of
from special_status import selectors as special_status

from .models import Claim, ClaimCost, EightDStep
from .selectors import counted_in_ppm

# Age of an open claim since the customer notified us, in days: (label key, lower, upper).
AGE_BUCKETS = (("0-7", 0, 7), ("8-30", 8, 30), ("31-90", 31, 90), ("90+", 91, None))


def _between(field: str, start: dt.datetime, end: dt.datetime) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _scoped(queryset, customer_id, field="customer_id", *, plant_id=None, claim=""):
    """``claim`` is the path from the queryset's model to the claim ("" for claims themselves)."""
    if customer_id is not None:
        queryset = queryset.filter(**{field: customer_id})
    if plant_id is not None:
        queryset = queryset.filter(**{f"{claim}part__plant_id": plant_id})
    return queryset


@dataclass(frozen=True)
class OnTime:
    on_time: int
    late: int
    open_overdue: int

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.open_overdue

    @property
    def rate(self) -> Decimal | None:
        """Closed on time ÷ (on time + late + open and overdue); None when nothing was due."""
        if not self.due:
            return None
        return (Decimal(self.on_time) * 100 / self.due).quantize(Decimal("0.1"))


def eight_d_on_time(
    start: dt.datetime, end: dt.datetime, *, customer_id=None, plant_id=None, now=None
) -> OnTime:
    """8D on-time rate over the claims whose 8D (D8) fell due in [start, end).

    "Closed" is our closure: D8 submitted. Open 8Ds not yet due are not counted at all.
    """
    now = now or timezone.now()
    steps = EightDStep.objects.filter(
        code="D8", claim__in=counted_in_ppm().values("pk"), **_due_between(start, end)
    )
    steps = _scoped(steps, customer_id, plant_id=plant_id, claim="claim__")
    figures = steps.aggregate(
        on_time=Count("pk", filter=Q(submitted_at__isnull=False, submitted_at__lte=F("due_at"))),
        late=Count("pk", filter=Q(submitted_at__gt=F("due_at"))),
        open_overdue=Count("pk", filter=Q(submitted_at__isnull=True, due_at__lt=now)),
    )
    return OnTime(**figures)


def _due_between(start, end) -> dict:
    return {"due_at__gte": start, "due_at__lt": end}


def mean_reaction_hours(
    start: dt.datetime, end: dt.datetime, *, customer_id=None, plant_id=None
) -> Decimal | None:
    """Mean of D3 submitted − notified for claims notified in [start, end) that reacted."""
    claims = Claim.objects.filter(_between("notified_at", start, end))
    claims = _scoped(claims, customer_id, plant_id=plant_id)
    reaction = ExpressionWrapper(F("reaction_at") - F("notified_at"), output_field=DurationField())
    mean = claims.filter(reaction_at__isnull=False).aggregate(mean=Avg(reaction))["mean"]
    if mean is None:
        return None
    if not isinstance(mean, dt.timedelta):  # some backends average durations as microseconds
        mean = dt.timedelta(microseconds=float(mean))
    return (Decimal(mean.total_seconds()) / 3600).quantize(Decimal("0.1"))


def open_by_age(*, customer_id=None, plant_id=None, now=None) -> dict[str, int]:
    """Open claims (filed; not closed, closed provisionally, rejected or cancelled) by days since
    notification: the claims the "open claims" card and list filter show (``open_filed``)."""
    return standing_claims(customer_id=customer_id, plant_id=plant_id, now=now)[0]


def provisionally_closed(*, customer_id=None, plant_id=None) -> int:
    """Claims closed provisionally now: the 8D accepted, its effectiveness not yet confirmed.

    Neither open nor closed: they count apart until the customer confirms (claims.provisional).
    """
    return standing_claims(customer_id=customer_id, plant_id=plant_id)[1]


# The bucket of the claims closed provisionally, beside the age buckets of the open ones.
_PROVISIONAL = "provisional"


def standing_claims(*, customer_id=None, plant_id=None, now=None) -> tuple[dict[str, int], int]:
    """``open_by_age`` and ``provisionally_closed`` in one query: both read the claims filed and
    not closed, rejected or cancelled."""
    now = now or timezone.now()
    buckets = [When(status=Claim.Status.PROVISIONALLY_CLOSED, then=_value(_PROVISIONAL))]
    for key, low, high in AGE_BUCKETS:
        condition = Q(notified_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            condition &= Q(notified_at__gt=now - dt.timedelta(days=high + 1))
        buckets.append(When(condition, then=_value(key)))
    claims = Claim.objects.open().exclude(status=Claim.Status.DRAFT)
    rows = (
        _scoped(claims, customer_id, plant_id=plant_id)
        .annotate(bucket=Case(*buckets, default=_value("0-7")))
        .values("bucket")
        .annotate(count=Count("*"))
        .order_by()
    )
    counts = {key: 0 for key, _low, _high in AGE_BUCKETS}
    counts.update({row["bucket"]: row["count"] for row in rows})
    return counts, counts.pop(_PROVISIONAL, 0)


def _value(text: str):
    from django.db.models import CharField, Value

    return Value(text, output_field=CharField())


def cost_of_poor_quality(
    start: dt.datetime, end: dt.datetime, *, customer_id=None, plant_id=None
) -> dict[str, Decimal]:
    """Cost of poor quality by currency, rounded at the end: the costs of the claims notified in
    [start, end) and the inspection costs of the CS2s started then (REFERENCE §6)."""
    amount = ExpressionWrapper(
        F("quantity") * F("rate") * F("technical_factor_percent") / 100,
        output_field=DecimalOutput(max_digits=30, decimal_places=8),
    )
    lines = _scoped(
        ClaimCost.objects.filter(_between("claim__notified_at", start, end)),
        customer_id,
        plant_id=plant_id,
        claim="claim__",
    )
    rows = lines.order_by().values("currency").annotate(total=Sum(amount))
    # CS2 inspection at our cost is poor quality too (REFERENCE §6): read in the same query.
    period = {"start": timezone.localdate(start), "end": timezone.localdate(end)}
    cs2 = special_status.cs2_cost_rows(customer_id=customer_id, plant_id=plant_id, **period)
    totals: dict[str, Decimal] = {}
    for row in rows.union(cs2, all=True):
        if row["total"]:
            totals[row["currency"]] = totals.get(row["currency"], 0) + Decimal(row["total"])
    return {currency: totals[currency].quantize(Decimal("0.01")) for currency in sorted(totals)}


def opened_and_closed_by_month(
    start: dt.datetime, end: dt.datetime, *, customer_id=None, plant_id=None
) -> dict[dt.date, tuple[int, int]]:
    """Claims filed (notified) and closed per month in [start, end): (opened, closed)."""
    claims = _scoped(
        Claim.objects.exclude(status=Claim.Status.DRAFT), customer_id, plant_id=plant_id
    )
    opened = _per_month(claims, "notified_at", start, end)
    closed = _per_month(claims, "closed_at", start, end)
    months = sorted(set(opened) | set(closed))
    return {month: (opened.get(month, 0), closed.get(month, 0)) for month in months}


def _per_month(claims, field: str, start: dt.datetime, end: dt.datetime) -> dict[dt.date, int]:
    """How many of ``claims`` have ``field`` in each month of [start, end)."""
    rows = (
        claims.filter(_between(field, start, end))
        .annotate(month=month_of(Claim, field, start, end))
        .values("month")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {row["month"]: row["n"] for row in rows}


def pareto(
    dimension: str,
    start: dt.datetime,
    end: dt.datetime,
    *,
    customer_id=None,
    plant_id=None,
    limit: int = 10,
) -> list[tuple[str, int]]:
    """Nonconforming quantity charged to ppm by defect source, part, kind or detection location.

    Largest first; choice codes come back as their labels ("Not classified" for no source yet).
    """
    fields = {
        "part": "part__part_number",
        "kind": "kind",
        "detection": "detection_location",
        "source": "defect_source",
    }
    claims = counted_in_ppm().filter(_between("notified_at", start, end))
    claims = _scoped(claims, customer_id, plant_id=plant_id)
    rows = (
        claims.values(fields[dimension])
        .annotate(quantity=Sum("ppm_qty"), incidents=Count("*"))
        .order_by("-quantity", fields[dimension])[:limit]
    )
    labels = _CHOICE_LABELS.get(dimension, {})
    return [
        (str(labels.get(row[fields[dimension]], row[fields[dimension]])), row["quantity"] or 0)
        for row in rows
    ]


_CHOICE_LABELS = {
    "kind": dict(Claim.Kind.choices),
    "detection": dict(Claim.DetectionLocation.choices),
    "source": {"": _("Not classified"), **dict(Claim.DefectSource.choices)},
}


def overdue_eight_d(*, customer_id=None, now=None, limit: int = 50):
    """Open claims with an overdue step, the oldest deadline first (the report's table)."""
    from .selectors import with_next_due

    now = now or timezone.now()
    claims = _scoped(Claim.objects.overdue(now).with_related(), customer_id)
    return with_next_due(claims).order_by("next_due_at", "pk")[:limit]


def overdue_actions(*, customer_id, plant_id=None, today=None) -> int:
    """Open actions past their due date on the claims of one customer (``None``: all customers)."""
    claim_type = ContentType.objects.get_for_model(Claim)
    claim_ids = _scoped(Claim.objects.all(), customer_id, plant_id=plant_id).values("pk")
    actions = Action.objects.overdue(today).filter(content_type=claim_type)
    return actions.filter(object_id__in=claim_ids).count()
