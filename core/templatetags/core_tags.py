from django import template
from django.urls import NoReverseMatch
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

register = template.Library()


@register.simple_tag(takes_context=True)
def query_transform(context, **changes):
    """The current query string with ``changes`` applied (keeps filters while paging)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def page_range(paginator, number):
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


@register.simple_tag
def due_state(due, done=False):
    """Traffic light for a due date or datetime: "ok", "soon" (within 24 h) or "overdue"."""
    if due is None or done:
        return "none"
    now = timezone.now()
    if not hasattr(due, "hour"):
        today = timezone.localdate()
        if due < today:
            return "overdue"
        return "soon" if (due - today).days <= 1 else "ok"
    if due < now:
        return "overdue"
    return "soon" if (due - now).total_seconds() <= 24 * 3600 else "ok"


# Badges are built here rather than by an included template: a list shows one or two per row,
# and a template per badge was the most expensive part of rendering a list page.
_DUE_BADGES = {
    "overdue": (gettext_lazy("Overdue"), "bi-exclamation-octagon-fill"),
    "soon": (gettext_lazy("Due within 24 hours"), "bi-hourglass-split"),
    "ok": (gettext_lazy("On time"), "bi-check-circle"),
}


@register.simple_tag
def due_badge(due, done=False):
    """A due date with its traffic light; a dash when there is none."""
    if not due:
        return mark_safe('<span class="text-body-tertiary">–</span>')
    state = due_state(due, done)
    title, icon = _DUE_BADGES.get(state, _DUE_BADGES["ok"])
    if hasattr(due, "hour") and timezone.is_aware(due):
        due = timezone.localtime(due)  # what the template filter did: the viewer's day
    return format_html(
        '<span class="badge due-badge due-{}" title="{}"><i class="bi {}" aria-hidden="true">'
        "</i> {}</span>",
        state,
        title,
        icon,
        formats.date_format(due, "SHORT_DATE_FORMAT"),
    )


@register.simple_tag
def status_badge(record, field="status"):
    """The same badge as ``partials/status_badge.html``, for a record's choice field."""
    value = getattr(record, field)
    label = getattr(record, f"get_{field}_display")()
    return format_html('<span class="badge status-badge status-{}">{}</span>', value, label)


@register.simple_tag
def action_transitions(action, user):
    """The transitions ``user`` may apply to ``action``, with the input each one needs.

    Each item has ``name``, ``label``, ``needs_input`` and ``field``: the input it needs
    ("note", "evidence", "reason", or "" for none).
    """
    from core.action_workflow import ACTION_WORKFLOW
    from core.services import action_transitions_for

    buttons = []
    for name in action_transitions_for(action, user):
        transition = ACTION_WORKFLOW[name]
        field = transition.extra.get("field", "")
        buttons.append(
            {
                "name": name,
                "label": transition.label,
                "field": field,
                "needs_input": bool(field),
            }
        )
    return buttons


@register.filter
def record_url(record):
    """The record's page, or "" when it has none (generic owners of actions and attachments)."""
    get_url = getattr(record, "get_absolute_url", None)
    if get_url is None:
        return ""
    try:
        return get_url()
    except NoReverseMatch:  # a record without a page must not break the list it appears in
        return ""
