"""Charts as inline SVG strings (matplotlib, Agg), the same for dashboard pages and PDFs.

The SVG has no XML prologue so it can be placed straight into HTML; text stays text (searchable,
selectable, scaled with the page). Values may be ``Decimal`` or ``None`` (a gap, e.g. ppm "n/a").
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

import matplotlib
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

matplotlib.use("Agg")

from matplotlib.figure import Figure

PALETTE = ["#1f4e79", "#2f8fce", "#e07b39", "#3f9c6d", "#8e5ea2", "#c0392b", "#7f8c8d"]
TARGET_COLOUR = "#b42318"
TEXT_COLOUR = "#334155"
GRID_COLOUR = "#e3e8ef"
FIGSIZE = (7.2, 3.2)
CACHED_CHARTS = 128

_RC = {
    "svg.fonttype": "none",
    "font.family": ["DejaVu Sans", "sans-serif"],  # DejaVu ships with matplotlib
    "font.size": 9,
    "axes.edgecolor": GRID_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
    "axes.titlesize": 11,
    "axes.titleweight": "semibold",
    "axes.titlecolor": TEXT_COLOUR,
}


def bar_chart_svg(
    labels: Sequence,
    values: Sequence,
    *,
    title: str = "",
    target=None,
    unit: str = "",
) -> str:
    return _bar_chart_svg(
        tuple(str(label) for label in labels),
        tuple(_number(value) for value in values),
        str(title),
        _number(target),
        str(unit),
        get_language(),
    )


def line_chart_svg(
    labels: Sequence,
    series: dict[str, Sequence],
    *,
    title: str = "",
    target=None,
) -> str:
    lines = tuple(
        (str(name), tuple(_number(value) for value in values))
        for name, values in (series or {}).items()
    )
    return _line_chart_svg(
        tuple(str(label) for label in labels), lines, str(title), _number(target), get_language()
    )


# Drawing a chart costs a tenth of a second of CPU; the same figures (and language) always give
# the same SVG, so each worker keeps the latest ones. The key is the data itself: a new claim or
# delivery changes the figures and so the key, and a stale chart can never be served.
@lru_cache(maxsize=CACHED_CHARTS)
def _bar_chart_svg(labels, numbers, title, target, unit, language) -> str:
    labels, numbers = list(labels), list(numbers)
    if not labels or all(math.isnan(n) for n in numbers):
        return _no_data_svg(title)
    with matplotlib.rc_context(_RC):
        figure, axes = _figure(title)
        positions = range(len(labels))
        heights = [0 if math.isnan(n) else n for n in numbers]
        bars = axes.bar(positions, heights, color=PALETTE[0], width=0.6, zorder=2)
        for bar, number in zip(bars, numbers, strict=False):
            text = "n/a" if math.isnan(number) else _format(number, unit)
            axes.annotate(
                text,
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7.5,
                color=TEXT_COLOUR,
            )
        axes.set_xticks(list(positions), labels, rotation=_rotation(labels))
        _draw_target(axes, target)
        if unit:
            axes.set_ylabel(unit)
        return _to_svg(figure)


@lru_cache(maxsize=CACHED_CHARTS)
def _line_chart_svg(labels, series, title, target, language) -> str:
    labels = list(labels)
    lines = {name: list(values) for name, values in series}
    if not labels or not any(not math.isnan(n) for values in lines.values() for n in values):
        return _no_data_svg(title)
    with matplotlib.rc_context(_RC):
        figure, axes = _figure(title)
        positions = list(range(len(labels)))
        for index, (name, values) in enumerate(lines.items()):
            padded = (values + [math.nan] * len(labels))[: len(labels)]
            axes.plot(
                positions,
                padded,
                marker="o",
                markersize=3.5,
                linewidth=1.8,
                color=PALETTE[index % len(PALETTE)],
                label=name,
                zorder=3,
            )
        axes.set_xticks(positions, labels, rotation=_rotation(labels))
        _draw_target(axes, target)
        if len(lines) > 1 or target is not None:
            axes.legend(frameon=False, fontsize=8, loc="best")
        return _to_svg(figure)


def _figure(title: str):
    figure = Figure(figsize=FIGSIZE, layout="constrained")
    axes = figure.add_subplot()
    if title:
        axes.set_title(title, loc="left")
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.8, zorder=0)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def _draw_target(axes, target) -> None:
    value = _number(target)
    if math.isnan(value):
        return
    axes.axhline(
        value, color=TARGET_COLOUR, linestyle="--", linewidth=1.2, zorder=4, label=_("Target")
    )
    axes.annotate(
        _("Target %s") % _format(value, ""),
        (1, value),
        xycoords=("axes fraction", "data"),
        xytext=(-2, 3),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=7.5,
        color=TARGET_COLOUR,
    )
    low, high = axes.get_ylim()
    if value > high * 0.95:
        axes.set_ylim(low, value * 1.12 if value > 0 else high)


def _no_data_svg(title: str) -> str:
    with matplotlib.rc_context(_RC):
        figure, axes = _figure(title)
        axes.set_xticks([])
        axes.set_yticks([])
        axes.grid(False)
        for spine in axes.spines.values():
            spine.set_visible(False)
        axes.text(0.5, 0.5, _("No data"), ha="center", va="center", fontsize=12, color="#8a94a3")
        return _to_svg(figure)


def _to_svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", transparent=True, metadata={"Date": None})
    svg = buffer.getvalue()
    # Drop the XML prologue and DOCTYPE: the SVG is inlined into HTML documents.
    return svg[svg.index("<svg") :].strip()


def _number(value) -> float:
    if value is None or value == "":
        return math.nan
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _format(number: float, unit: str) -> str:
    text = f"{number:,.0f}" if abs(number) >= 100 or number == int(number) else f"{number:,.2f}"
    text = re.sub(r"\.?0+$", "", text) if "." in text else text
    return f"{text} {unit}".strip() if unit and unit != "%" else f"{text}{unit}"


def _rotation(labels: list[str]) -> int:
    return 45 if len(labels) > 8 or max((len(label) for label in labels), default=0) > 10 else 0


# --- on a page ---------------------------------------------------------------------------------

_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)
_ROOT_SIZE = re.compile(r'(<svg\b[^>]*?)\s(?:width|height)="[^"]*"')


def page_svg(svg: str, label: str) -> SafeString:
    """A chart SVG made fit for a page under our Content-Security-Policy (no inline styles).

    Matplotlib writes CSS into ``style`` attributes and a ``<style>`` element, which the policy
    refuses; every property it uses is also an SVG presentation attribute, so they move there.
    Without a fixed width and height the chart scales with its card.
    """
    svg = _METADATA.sub("", svg)
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(_presentation_attributes, svg)
    while _ROOT_SIZE.search(svg):
        svg = _ROOT_SIZE.sub(r"\1", svg, count=1)
    root = (
        f'<svg role="img" aria-label="{escape(label)}" class="chart-svg w-100 h-auto" '
        'stroke-linejoin="round" stroke-linecap="butt"'
    )
    return mark_safe(svg.replace("<svg", root, 1))  # matplotlib escapes its text


def _presentation_attributes(match: re.Match) -> str:
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _colon, value = declaration.partition(":")
        if name.strip() and value.strip():
            attributes.append(f'{name.strip()}="{escape(value.strip())}"')
    return " " + " ".join(attributes) if attributes else ""
