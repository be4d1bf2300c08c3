from django import template
from django.utils import timezone

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


@register.inclusion_tag("partials/due_badge.html")
def due_badge(due, done=False):
    return {"due": due, "state": due_state(due, done)}


@register.inclusion_tag("partials/status_badge.html")
def status_badge(record, field="status"):
    value = getattr(record, field)
    label = getattr(record, f"get_{field}_display")()
    return {"value": value, "label": label}
