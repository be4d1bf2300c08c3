"""One figure of a key-figure panel: what the dashboard, the API and the monthly report show.

Modules report their own figures (``<app>.selectors.kpi_figures``) as a list of these, so metrics
can show them without knowing each module's records.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Figure:
    key: str  # stable name for the API
    label: str
    value: int | Decimal | str | None  # None: "n/a" (nothing to compute it from)
    unit: str = ""

    @property
    def api_value(self):
        return str(self.value) if isinstance(self.value, Decimal) else self.value


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, one decimal; None without a whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
