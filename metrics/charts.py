"""The metric charts, one function each, shared by the dashboard page and the report PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from core.charts import bar_chart_svg, line_chart_svg

from .ppm import Period


def ppm_trend_svg(periods: Sequence[Period], *, kind: str, target: Decimal | None) -> str:
    """ppm per period for 0km or field, months without deliveries as gaps, the target as a line."""
    values = [p.counts.ppm_0km if kind == "0km" else p.counts.ppm_field for p in periods]
    title = _("0 km ppm") if kind == "0km" else _("Field ppm")
    return line_chart_svg([p.label for p in periods], {title: values}, title=title, target=target)


def pareto_svg(rows: Sequence[tuple[str, int]], *, title: str) -> str:
    """Bars largest first (the rows come sorted from the query)."""
    return bar_chart_svg(
        [label for label, _value in rows], [value for _label, value in rows], title=title
    )


def opened_closed_svg(months: dict[dt.date, tuple[int, int]]) -> str:
    labels = [f"{month:%Y-%m}" for month in months]
    series = {
        _("Opened"): [opened for opened, _closed in months.values()],
        _("Closed"): [closed for _opened, closed in months.values()],
    }
    return line_chart_svg(labels, series, title=_("Claims opened and closed"))
