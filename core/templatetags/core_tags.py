from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy, pgettext

from core import limits
from core import waiting as waiting_kernel
from core.renditions import PAGE_SIZE, PDF_SIZE, has_renditions
from core.tenancy import is_internal

register = template.Library()


# Dates people read: never 12/07/2026. The format itself is translated: "7 Dec 2026" in English,
# "07.12.2026" in German (DESIGN §14).
def unambiguous_date_format() -> str:
    return pgettext("unambiguous date format", "j M Y")


def unambiguous_datetime_format() -> str:
    return pgettext("unambiguous date and time format", "j M Y, H:i")


@register.filter
def plain_date(value) -> str:
    """A date (or a datetime's day, in the viewer's time zone) as ``7 Dec 2026``."""
    if not value:
        return ""
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, unambiguous_date_format())


@register.filter
def plain_datetime(value) -> str:
    """A datetime in the viewer's time zone as ``7 Dec 2026, 14:30``; a date as ``plain_date``."""
    if not value:
        return ""
    if not hasattr(value, "hour"):
        return plain_date(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, unambiguous_datetime_format())


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
def due_badge(due, done=False, unambiguous=False):
    """A due date with its traffic light; a dash when there is none.

    ``unambiguous`` writes the day as ``7 Dec 2026`` instead of the locale's short format.
    """
    if not due:
        return mark_safe('<span class="text-body-tertiary">–</span>')
    state = due_state(due, done)
    title, icon = _DUE_BADGES.get(state, _DUE_BADGES["ok"])
    if hasattr(due, "hour") and timezone.is_aware(due):
        due = timezone.localtime(due)  # what the template filter did: the viewer's day
        # A deadline to the hour says in which zone: the customer's and ours may differ.
        moment = formats.date_format(due, "SHORT_DATETIME_FORMAT")
        title = f"{title} · {moment} {due.tzname()}"
    shown = plain_date(due) if unambiguous else formats.date_format(due, "SHORT_DATE_FORMAT")
    return format_html(
        '<span class="badge due-badge due-{}" title="{}"><i class="bi {}" aria-hidden="true">'
        "</i> {}</span>",
        state,
        title,
        icon,
        shown,
    )


def _viewer_is_internal(context) -> bool:
    # Without a request (a mail, a PDF) the text is written as a customer may read it.
    return is_internal(getattr(context.get("request"), "user", None))


@register.simple_tag(takes_context=True)
def waiting_for(context, record):
    """Who must act next on ``record`` (``core.waiting``), or None: ``{% waiting_for x as w %}``.

    As the viewer may read it: a customer learns which of our teams acts, not who of us.
    """
    return waiting_kernel.waiting_for(record, internal=_viewer_is_internal(context))


_WAITING_ICONS = {
    waiting_kernel.Party.US.value: "bi-people",
    waiting_kernel.Party.CUSTOMER.value: "bi-building",
}


@register.simple_tag(takes_context=True)
def waiting_badge(context, record):
    """A list cell: whose turn it is on ``record`` (party badge and who), a dash for nobody.

    Built here like the other badges: a list shows one per row.
    """
    waiting = waiting_for(context, record)
    if waiting is None:
        return mark_safe('<span class="text-body-tertiary">–</span>')
    return format_html(
        '<span class="badge waiting-badge waiting-{}" title="{}"><i class="bi {}" '
        'aria-hidden="true"></i> {}</span> <span class="small">{}</span>',
        waiting.party,
        waiting.action,
        _WAITING_ICONS[waiting.party],
        waiting.party_label,
        waiting.who,
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


@register.filter
def pictures_and_files(attachments) -> tuple[list, list]:
    """(images shown as pictures, every other file), each in the given order."""
    pictures, files = [], []
    for attachment in attachments:
        (pictures if has_renditions(attachment) else files).append(attachment)
    return pictures, files


@register.simple_tag
def picture_url(attachment, use="thumbnail"):
    """The address of an image attachment's rendition: "thumbnail" for the page, "large" to view."""
    size = PDF_SIZE if use == "large" else PAGE_SIZE
    return reverse("core:attachment-picture", args=[attachment.pk, size])


@register.filter
def excerpt(text) -> str:
    """A timeline or review comment in a PDF: the first ``limits.PDF_EXCERPT`` characters.

    A document is read on paper; the full text stays in the portal, and the note says so.
    """
    text = str(text or "")
    if len(text) <= limits.PDF_EXCERPT:
        return text
    note = gettext("… (shortened; %(count)s characters in the portal)") % {
        "count": formats.number_format(len(text), force_grouping=True)
    }
    return f"{text[: limits.PDF_EXCERPT].rstrip()} {note}"
