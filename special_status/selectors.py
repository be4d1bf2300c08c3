"""Reads of special statuses: the register, the page, and what other modules ask.

The contract other modules use (claims' cost of poor quality, the dashboard, the scorecard, the
customer and claim pages): ``open_for``, ``open_count``, ``open_for_part``, ``cs2_cost`` and
``cs2_costs``. "Open" means still in force: opened and not yet ended by the customer's signed exit
(an exit asked for but not signed yet is still in force).

A CS2's inspection cost counts in cost of poor quality in the period of its start date, as a
claim's costs count in the period the claim was notified: a later hour recorded on it adds to that
period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum

from core.models import Attachment
from core.signatures import signatures_of
from core.tenancy import is_internal

from .models import DEFAULT_CURRENCY, ExitCriterion, SpecialStatus, SpecialStatusEvent

CENT = Decimal("0.01")


def in_force() -> Q:
    """A status the customer has not ended yet, as a condition."""
    return Q(status__in=SpecialStatus.IN_FORCE)


# --- the register and the page -------------------------------------------------------------------


def statuses_for_list(user) -> QuerySet[SpecialStatus]:
    """The statuses ``user`` may see, with what the register shows (no query per row)."""
    return (
        SpecialStatus.objects.visible_to(user)
        .with_related()
        .with_criteria_counts()
        .prefetch_related("parts", "plants")
    )


def only_in_force(statuses: QuerySet[SpecialStatus]) -> QuerySet[SpecialStatus]:
    return statuses.filter(in_force())


def criteria_of(special_status: SpecialStatus) -> list[ExitCriterion]:
    criteria = list(special_status.criteria.select_related("met_by").order_by("position"))
    for criterion in criteria:
        criterion.special_status = special_status
    return criteria


def evidence_files(criteria: list[ExitCriterion], user) -> dict[int, list[Attachment]]:
    """Each criterion's files ``user`` may see, by criterion id: one query for all of them."""
    if not criteria:
        return {}
    files = (
        Attachment.objects.visible_to(user)
        .filter(
            content_type=ContentType.objects.get_for_model(ExitCriterion),
            object_id__in=[criterion.pk for criterion in criteria],
        )
        .select_related("uploaded_by")
    )
    by_criterion = defaultdict(list)
    for attachment in files:
        by_criterion[attachment.object_id].append(attachment)
    return dict(by_criterion)


def files_of(special_status: SpecialStatus, user) -> QuerySet[Attachment]:
    """The status's own files (the customer's letters, its written exit confirmation)."""
    return (
        Attachment.objects.visible_to(user).for_owner(special_status).select_related("uploaded_by")
    )


# Timeline lines that carry our own figures (the CS2 inspection costs): staff only.
INTERNAL_EVENTS = ("costs",)


def events_for(special_status: SpecialStatus, user=None) -> QuerySet[SpecialStatusEvent]:
    """The status's timeline as ``user`` may read it (without a user: all of it)."""
    events = SpecialStatusEvent.objects.filter(special_status=special_status)
    if user is not None and not is_internal(user):
        events = events.exclude(action__in=INTERNAL_EVENTS)
    return events.select_related("actor")


def signatures_for(special_status: SpecialStatus):
    return signatures_of(special_status)


# --- the contract -------------------------------------------------------------------------------


def _in_force_of(customer_id: int | None) -> QuerySet[SpecialStatus]:
    statuses = SpecialStatus.objects.filter(in_force())
    return statuses if customer_id is None else statuses.filter(customer_id=customer_id)


def open_for(customer_id: int | None) -> list[SpecialStatus]:
    """The statuses in force of one customer (every customer: None), oldest first, with their
    parts and plants."""
    statuses = _in_force_of(customer_id).select_related("customer")
    return list(statuses.prefetch_related("parts", "plants").order_by("started_on", "pk"))


def open_count(customer_id: int | None = None) -> int:
    return _in_force_of(customer_id).count()


def open_for_part(part) -> list[SpecialStatus]:
    """The statuses in force that name ``part`` among the parts concerned, oldest first."""
    if part is None:
        return []
    statuses = _in_force_of(part.customer_id).filter(parts=part.pk)
    return list(statuses.order_by("started_on", "pk"))


def cs2_cost_rows(
    *, customer_id: int | None, start: dt.date, end: dt.date, plant_id: int | None = None
) -> QuerySet:
    """The inspection costs of the CS2s started in [start, end) as rows of ``currency`` and
    exact ``total`` (a query not run yet, so that a sum of costs can read it with its own).

    ``plant_id`` narrows them to the CS2s that name the plant, or a part made there.
    """
    statuses = SpecialStatus.objects.filter(
        kind=SpecialStatus.Kind.CS2, started_on__gte=start, started_on__lt=end
    )
    if customer_id is not None:
        statuses = statuses.filter(customer_id=customer_id)
    if plant_id is not None:
        concerned = SpecialStatus.objects.filter(Q(plants=plant_id) | Q(parts__plant=plant_id))
        statuses = statuses.filter(pk__in=concerned.values("pk"))
    amount = ExpressionWrapper(
        F("inspection_hours") * F("hourly_rate"),
        output_field=DecimalField(max_digits=30, decimal_places=8),
    )
    return statuses.order_by().values("currency").annotate(total=Sum(amount))


def cs2_costs(
    *, customer_id: int | None, start: dt.date, end: dt.date, plant_id: int | None = None
) -> dict[str, Decimal]:
    """The inspection costs of the CS2s started in [start, end), per currency, rounded at the end.

    Currencies without a cost yet are left out, as a claim without cost lines adds nothing.
    """
    rows = cs2_cost_rows(customer_id=customer_id, start=start, end=end, plant_id=plant_id)
    return {
        row["currency"]: Decimal(row["total"]).quantize(CENT)
        for row in rows.order_by("currency")
        if row["total"]
    }


def cs2_cost(
    *,
    customer_id: int | None,
    start: dt.date,
    end: dt.date,
    currency: str = DEFAULT_CURRENCY,
    plant_id: int | None = None,
) -> Decimal:
    """The inspection cost of the CS2s started in [start, end) in ``currency`` (0 for none)."""
    costs = cs2_costs(customer_id=customer_id, start=start, end=end, plant_id=plant_id)
    return costs.get(currency, Decimal("0.00"))
