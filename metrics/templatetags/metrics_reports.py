"""Template checks for the management report links."""

from django import template

from customers.permissions import has

register = template.Library()


@register.filter
def has_capability(user, capability: str) -> bool:
    """``{% if user|has_capability:"reports.view" %}``: links only for those who may follow them."""
    return has(user, capability)
