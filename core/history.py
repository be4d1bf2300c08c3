"""A record's simple-history rows turned into a readable timeline for detail pages.

Every value reads the way the pages show it: a choice by its label, a related record by its name,
a list as a sentence, a dictionary (structured content) as one line per labelled entry — never a
stored name or a Python literal.

A record whose JSON field holds labelled entries tells the timeline their labels with
``history_rows(field_name, value) -> [(label, text), …]`` (the 8D step's structured content);
without it, an entry's key is shown as words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_reverse_field_name

from core.records.events import RecordEvent

_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
# Between the items of a list shown as a sentence; the items may contain commas themselves.
_ITEM_SEPARATOR = "; "


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
            reason=_reason(record, newer.history_change_reason or ""),
        )
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=list(hide))
            if hide and delta.changed_fields == [] and newer.diff_against(older).changed_fields:
                continue
            entry.changes = [
                shown
                for change in delta.changes
                for shown in field_changes(record, change.field, change.old, change.new)
            ]
        entries.append(entry)
    return entries


def field_changes(record, field_name, old, new) -> list[Change]:
    """What the timeline shows for one field's change: one line, or one line per entry of a
    dictionary that changed (``structured content – Symptom: … → …``)."""
    name = str(_verbose_name(record, field_name))
    if isinstance(old, dict) or isinstance(new, dict):
        old_rows = dict(_labelled_rows(record, field_name, old))
        new_rows = dict(_labelled_rows(record, field_name, new))
        labels = [*old_rows, *(label for label in new_rows if label not in old_rows)]
        pairs = ((label, old_rows.get(label, ""), new_rows.get(label, "")) for label in labels)
        return [
            Change(field=f"{name} – {label}", old=before, new=after)
            for label, before, after in pairs
            if before != after
        ]
    return [
        Change(
            field=name,
            old=display_value(record, field_name, old),
            new=display_value(record, field_name, new),
        )
    ]


def _reason(record, reason: str) -> str:
    """The history's reason; a transition that had no label of its own saved its action's name
    (``to_review_board``), which reads as the action's timeline label."""
    return str(_action_labels(type(record)._meta.concrete_model).get(reason, reason))


@cache
def _action_labels(model) -> dict[str, object]:
    """Action name → timeline label for the actions on ``model``: a record's own actions, or for
    a part of a record (a finding) the record's actions on its parts, without their prefix."""
    labels = {}
    for event_model in apps.get_models():
        if not issubclass(event_model, RecordEvent) or not event_model.record_field:
            continue
        if event_model._meta.get_field(event_model.record_field).related_model is model:
            labels.update(event_model.labels)
        for prefix, part_model in event_model.part_states.items():
            if apps.get_model(part_model) is model:
                labels.update(
                    (action.removeprefix(prefix), label)
                    for action, label in event_model.labels.items()
                    if action.startswith(prefix)
                )
    return labels


def _verbose_name(record, field_name):
    try:
        return record._meta.get_field(field_name).verbose_name
    except FieldDoesNotExist:
        return field_name


def display_value(record, field_name, value) -> str:
    """``value`` of ``record``'s field as the pages show it; "" for nothing."""
    if value in (None, "") or value == [] or value == {}:
        return ""
    try:
        model_field = record._meta.get_field(field_name)
    except FieldDoesNotExist:
        return _plain(value)
    if model_field.many_to_many:
        return _related_names(model_field, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation and model_field.related_model is not None:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    if isinstance(value, dict):
        return _ITEM_SEPARATOR.join(
            f"{label}: {text}" for label, text in _labelled_rows(record, field_name, value)
        )
    return _plain(value)


def _plain(value) -> str:
    """A value without a model field to explain it: lists as a sentence, dates localised."""
    if value in (None, ""):
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal | float):
        return number_format(value)
    if isinstance(value, list | tuple | set):
        return _ITEM_SEPARATOR.join(text for text in map(_plain, value) if text)
    if isinstance(value, dict):
        return ", ".join(f"{_words(key)}: {_plain(item)}" for key, item in value.items() if item)
    return str(value)


def _labelled_rows(record, field_name, value) -> list[tuple[str, str]]:
    """(label, text) per filled entry of a dictionary field, labelled by the record if it can."""
    if not isinstance(value, dict):
        text = _plain(value)
        return [("", text)] if text else []
    labelled = getattr(record, "history_rows", None)
    rows = labelled(field_name, value) if labelled else None
    if rows is None:
        rows = [(_words(key), item) for key, item in value.items()]
    return [(str(label), _plain(item)) for label, item in rows if item not in (None, "", [], {})]


def _words(key) -> str:
    """A dictionary key nobody labelled, as words: ``team_recognition`` reads "Team recognition"."""
    return str(key).replace("_", " ").strip().capitalize()


def _related_names(model_field, rows) -> str:
    """A many-to-many field's history value (the through rows) as the related records' names."""
    target = get_m2m_reverse_field_name(model_field)
    related_ids = [row.get(target) for row in rows if isinstance(row, dict)]
    related_ids = [getattr(pk, "pk", pk) for pk in related_ids if pk is not None]
    related = model_field.related_model._default_manager.in_bulk(related_ids)
    names = sorted(str(related.get(pk, pk)) for pk in related_ids)
    return ", ".join(names)
