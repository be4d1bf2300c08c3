"""CSAT and NPS as REFERENCE §6 defines them: pure functions of the answers given.

- CSAT of 1–5 answers = the share of 4s and 5s (top-two-box) in %, rounded half-up to one
  decimal; the mean is shown beside it (two decimals).
- NPS of 0–10 answers = % promoters (9–10) − % detractors (0–6), each a share of all answers,
  rounded half-up to a whole number: −100…100.

No answers → ``None`` ("n/a"), never 0. Half-up is commercial rounding: a half goes away from
zero (12.5 → 13, −12.5 → −13). Each figure is computed exactly and rounded once, at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
TOP_TWO = (4, 5)
PROMOTERS = (9, 10)
DETRACTOR_MAX = 6


def _rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def csat(values: Sequence[int]) -> Decimal | None:
    """Top-two-box share of 1–5 answers, in % with one decimal; ``None`` without answers."""
    values = list(values)
    if not values:
        return None
    satisfied = sum(1 for value in values if value in TOP_TWO)
    return _rounded(Decimal(satisfied) * HUNDRED / Decimal(len(values)), 1)


def mean(values: Sequence[int]) -> Decimal | None:
    """The mean of the answers with two decimals; ``None`` without answers."""
    values = list(values)
    if not values:
        return None
    return _rounded(Decimal(sum(values)) / Decimal(len(values)), 2)


def nps(values: Sequence[int]) -> int | None:
    """Net promoter score of 0–10 answers: a whole number −100…100; ``None`` without answers."""
    values = list(values)
    if not values:
        return None
    promoters = sum(1 for value in values if value in PROMOTERS)
    detractors = sum(1 for value in values if value <= DETRACTOR_MAX)
    return int(_rounded(Decimal(promoters - detractors) * HUNDRED / Decimal(len(values)), 0))


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in % with one decimal (a response rate); ``None`` of nothing."""
    if not whole:
        return None
    return _rounded(Decimal(part) * HUNDRED / Decimal(whole), 1)


def distribution(values: Iterable[int], scale: Iterable[int]) -> list[tuple[int, int, Decimal]]:
    """(value, count, share in % with one decimal) for each value of ``scale``, in its order."""
    counts: dict[int, int] = {}
    total = 0
    for value in values:
        counts[value] = counts.get(value, 0) + 1
        total += 1
    return [
        (
            value,
            counts.get(value, 0),
            _rounded(Decimal(counts.get(value, 0)) * HUNDRED / total, 1) if total else Decimal(0),
        )
        for value in scale
    ]
