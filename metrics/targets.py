"""Targets of the key figures on the monthly report's first page, and their traffic lights.

**ppm** targets are agreed with each customer (``CustomerRequirements.ppm_target_0km`` and
``ppm_target_field``; ``customers.defaults`` for the company as a whole) and reach the report
through ``kpis.targets``. Their amber band ends at twice the target, the default limit of
REFERENCE §6.

The **other figures** are not agreed per customer; their company-wide targets live in the table
below. Each has a target *t*, a limit *l* and a direction, read as in the scorecard of REFERENCE §6:

* lower is better: green when the value is at most *t*, red from *l* on, amber between;
* higher is better: green from *t* on, red at *l* or below, amber between.

=====================  ======  =====  ====================================================
figure                 target  limit  why
=====================  ======  =====  ====================================================
8D on-time rate        95 %    75 %   REFERENCE §6 defaults for on-time rates
PPAP first-time        95 %    75 %   REFERENCE §6 defaults for approval rates
mean reaction time     24 h    48 h   containment (D3) is due one working day after notice
overdue findings       0       3      a nonconformity past its deadline is one too many
overdue actions        0       5      the same for actions, which are more numerous
=====================  ======  =====  ====================================================

Counts that are volumes rather than goals (claims opened and closed, open findings) and the cost of
poor quality (one amount per currency) have no target: they show their value and its change only.

A deployment may change any row in its settings, e.g.
``CQM_REPORT_TARGETS = {"reaction_hours": {"target": "16", "limit": "40"}}``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings

LOWER, HIGHER = "lower", "higher"
GREEN, AMBER, RED = "green", "amber", "red"
PPM_LIMIT_FACTOR = 2  # REFERENCE §6: the default limit is twice the target


@dataclass(frozen=True)
class Target:
    target: Decimal
    limit: Decimal
    better: str  # LOWER or HIGHER

    def light(self, value) -> str:
        """GREEN, AMBER or RED for ``value``; "" when there is no value ("n/a")."""
        if value is None:
            return ""
        value = Decimal(value)
        if self.better == LOWER:
            if value <= self.target:
                return GREEN
            return RED if value >= self.limit else AMBER
        if value >= self.target:
            return GREEN
        return RED if value <= self.limit else AMBER


DEFAULTS = {
    "on_time_rate": Target(Decimal(95), Decimal(75), HIGHER),
    "first_time_approval_rate": Target(Decimal(95), Decimal(75), HIGHER),
    "reaction_hours": Target(Decimal(24), Decimal(48), LOWER),
    "overdue_findings": Target(Decimal(0), Decimal(3), LOWER),
    "overdue_actions": Target(Decimal(0), Decimal(5), LOWER),
}


def company_target(key: str) -> Target | None:
    """The company-wide target of figure ``key`` with the settings' overrides; None: no target."""
    default = DEFAULTS.get(key)
    if default is None:
        return None
    override = getattr(settings, "CQM_REPORT_TARGETS", {}).get(key, {})
    return replace(
        default,
        **{name: Decimal(str(value)) for name, value in override.items() if name != "better"},
    )


def ppm_target(target: Decimal) -> Target:
    """A customer's (or the company's) ppm target, amber up to twice the target."""
    return Target(target, target * PPM_LIMIT_FACTOR, LOWER)
