"""A record's simple-history rows turned into a readable timeline for detail pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    label: str
    when: object
    who: object
    reason: str = ""
    changes: list[Change] = field(default_factory=list)


def timeline(record, limit: int = 50, hide: tuple[str, ...] = ()) -> list[Entry]:
    """Newest first; each entry lists the fields that changed, with old and new values shown.

    Fields in ``hide`` are left out, and so is a change that touched nothing else (internal
    fields shown to a customer).
    """
    rows = list(
        record.history.select_related("history_user").order_by("-history_date", "-pk")[: limit + 1]
    )
    entries = []
    for newer, older in zip(rows, [*rows[1:], None], strict=False):
        if len(entries) == limit:
            break
        entry = Entry(
            label=str(_LABELS.get(newer.history_type, newer.history_type)),
            when=newer.history_date,
            who=newer.history_user,
            reason=newer.history_change_reason or "",
        )
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=list(hide))
            if hide and delta.changed_fields == [] and newer.diff_against(older).changed_fields:
                continue
            entry.changes = [
                Change(
                    field=str(_verbose_name(record, change.field)),
                    old=display_value(record, change.field, change.old),
                    new=display_value(record, change.field, change.new),
                )
                for change in delta.changes
            ]
        entries.append(entry)
    return entries


def _verbose_name(record, field_name):
    try:
        return record._meta.get_field(field_name).verbose_name
    except Exception:
        return field_name


def display_value(record, field_name, value):
    if value in (None, ""):
        return ""
    try:
        model_field = record._meta.get_field(field_name)
    except Exception:
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation and model_field.related_model is not None:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)
