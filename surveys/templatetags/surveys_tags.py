"""``{% rate_8d_link claim %}``: the claim page's link to the 8D rating.

For the claim's customer once they accepted or rejected the 8D and that decision is not rated
yet; for our staff once the customer rated it. Nothing otherwise.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.tenancy import customer_id_of, is_internal

from .. import selectors
from ..models import EightDRating
from ..workflow import ANSWER

register = template.Library()


@register.simple_tag(takes_context=True)
def rate_8d_link(context, claim):
    request = context.get("request")
    user = getattr(request, "user", None)
    if claim is None or user is None or not user.is_authenticated:
        return ""
    url = reverse("surveys:claim-rate", args=[claim.pk])
    if is_internal(user):
        if not EightDRating.objects.filter(claim=claim).exists():
            return ""
        label, icon, style = _("The customer's 8D rating"), "bi-star-half", "btn-outline-secondary"
    elif customer_id_of(user) == claim.customer_id and user.has_capability(ANSWER):
        if not selectors.rating_state(claim).open:
            return ""
        label, icon, style = _("Rate this 8D"), "bi-star", "btn-outline-primary"
    else:
        return ""
    return format_html(
        '<a class="btn {}" href="{}"><i class="bi {}" aria-hidden="true"></i> {}</a>',
        style,
        url,
        icon,
        label,
    )
