"""Charts are drawn once per set of figures: a change in the figures is never served stale."""

from decimal import Decimal

from django.utils import translation

from core import charts


def test_the_same_figures_are_drawn_once_and_new_figures_anew():
    charts._bar_chart_svg.cache_clear()
    first = charts.bar_chart_svg(["Jan", "Feb"], [Decimal("12.5"), None], title="ppm", target=10)
    again = charts.bar_chart_svg(["Jan", "Feb"], [Decimal("12.5"), None], title="ppm", target=10)
    assert again == first
    assert charts._bar_chart_svg.cache_info().hits == 1

    changed = charts.bar_chart_svg(["Jan", "Feb"], [Decimal("12.5"), 3], title="ppm", target=10)
    assert changed != first
    assert charts._bar_chart_svg.cache_info().misses == 2


def test_the_language_is_part_of_the_figures():
    charts._line_chart_svg.cache_clear()
    with translation.override("en"):
        english = charts.line_chart_svg([], {}, title="Claims")
    with translation.override("de"):
        german = charts.line_chart_svg([], {}, title="Claims")
    assert "No data" in english
    assert german != english
