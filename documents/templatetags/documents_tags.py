"""What other pages show of controlled documents: the 8D's D7 step and the change page.

Those pages include a partial that asks for the links here, so that their views need not know
this module.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from .. import forms, selectors
from ..models import Revision
from ..services import D7_LOCKED, EIGHTD_KINDS
from ..workflow import may_work

register = template.Library()

# One colour per status; the portal's own badge colours where the status exists elsewhere.
REVISION_BADGES = {
    "draft": "status-badge status-draft",
    "under_review": "status-badge status-under_review",
    "approved": "status-badge status-approved",
    "effective": "text-bg-success",
    "superseded": "text-bg-secondary",
    "obsolete": "text-bg-dark",
    "in_preparation": "status-badge status-in_preparation",
}


@register.simple_tag
def revision_badge(record):
    """The status badge of a revision or a document."""
    css = REVISION_BADGES.get(record.status, "text-bg-light")
    return format_html('<span class="badge {}">{}</span>', css, record.get_status_display())


@register.inclusion_tag("documents/_eightd_links.html", takes_context=True)
def eightd_document_updates(context, claim, step):
    user = context["request"].user
    editable = (
        may_work(user) and not claim.is_final and getattr(step, "status", None) not in D7_LOCKED
    )
    revisions = selectors.linkable_revisions(claim.customer_id, EIGHTD_KINDS)
    return {
        "request": context["request"],
        "claim": claim,
        "links": selectors.eightd_links(claim, user),
        "editable": editable,
        "form": forms.LinkForm(revisions=revisions) if editable else None,
        "in_force": (Revision.Status.EFFECTIVE, Revision.Status.SUPERSEDED),
    }


@register.inclusion_tag("documents/_change_revisions.html", takes_context=True)
def change_document_revisions(context, change):
    user = context["request"].user
    editable = may_work(user) and not change.is_final
    revisions = selectors.linkable_revisions(change.customer_id)
    return {
        "request": context["request"],
        "change": change,
        "links": selectors.change_links(change, user),
        "editable": editable,
        "form": forms.LinkForm(revisions=revisions) if editable else None,
    }
