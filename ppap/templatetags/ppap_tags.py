"""Template tags showing PPAP state on other apps' pages (the part page) without imports."""

from django import template

from ppap.selectors import part_ppap_status as _part_ppap_status

register = template.Library()


@register.inclusion_tag("ppap/_part_status.html")
def part_ppap_status(part):
    return {"part_status": _part_ppap_status(part)}
