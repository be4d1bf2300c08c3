"""Template tags of the training register shown on other modules' pages."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.tenancy import is_internal

from ..models import Qualification, QualificationKind

register = template.Library()


def _moderator_emails(context) -> set[str]:
    """The e-mail addresses of everyone holding a valid 8D moderator qualification today, read
    once per page."""
    cache = context.render_context
    if "training_moderators" not in cache:
        valid = Qualification.objects.filter(kind=QualificationKind.EIGHTD_MODERATOR).valid_on(
            timezone.localdate()
        )
        emails = valid.values_list("person__email", flat=True)
        cache["training_moderators"] = {email.lower() for email in emails if email}
    return cache["training_moderators"]


@register.simple_tag(takes_context=True)
def moderator_badge(context, member) -> str:
    """A badge beside an 8D team member who holds a valid 8D moderator qualification (matched
    by e-mail). Our staff see it; the qualification register is internal."""
    request = context.get("request")
    email = (getattr(member, "email", "") or "").lower()
    if request is None or not is_internal(request.user) or not email:
        return ""
    if email not in _moderator_emails(context):
        return ""
    return format_html(
        '<span class="badge text-bg-success ms-1" title="{}"><i class="bi bi-patch-check"'
        ' aria-hidden="true"></i> {}</span>',
        _("Holds a valid 8D moderator qualification"),
        _("8D moderator"),
    )
