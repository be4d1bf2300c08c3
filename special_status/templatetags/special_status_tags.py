"""What other pages show of special statuses: the customer page, the claim page of a part.

The pages include a partial that asks for the statuses here, so that their views need not know
this module; each is one query.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from .. import selectors

register = template.Library()

# The badge of a kind: escalations and controlled shipping by severity, the hold the gravest.
KIND_BADGES = {
    "escalation_1": "text-bg-warning",
    "escalation_2": "text-bg-danger",
    "escalation_3": "text-bg-danger",
    "cs1": "text-bg-warning",
    "cs2": "text-bg-danger",
    "new_business_hold": "text-bg-dark",
}


@register.simple_tag
def kind_badge(special_status):
    css = KIND_BADGES.get(special_status.kind, "text-bg-secondary")
    return format_html(
        '<span class="badge special-kind {}">{}</span>', css, special_status.get_kind_display()
    )


@register.simple_tag
def special_statuses_of_customer(customer):
    """The statuses in force of ``customer`` (a customer the page may show)."""
    return selectors.open_for(customer.pk) if customer is not None else []


@register.simple_tag
def special_statuses_of_part(part):
    """The statuses in force that concern ``part``."""
    return selectors.open_for_part(part)
