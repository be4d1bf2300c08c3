"""The write kernel of every quality record (DESIGN §4): lock, guard, save, history, event.

A module's services say what changes and why; these helpers do the plumbing every one of them
needs in the same way::

    claim = locked(Claim.objects.select_related("customer"), claim.pk, expected_version)
    require_capability(actor, WORK)
    claim.assigned_engineer = engineer
    save(claim, actor, _("Assigned"), ["assigned_engineer"])
    record_event(ClaimEvent, claim, actor, "assign", comment=str(engineer))

A service on one record locks it through ``writes`` (one transaction, the row locked at the
version its caller read). State changes go through ``core.records.transitions.transition``, which
uses the same helpers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django.db import models, transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.locking import bump_version, check_version


def locked(model_or_queryset, pk, expected_version: int | None = None):
    """Lock the record's row for this transaction; refuse when the caller read an older version.

    Pass a queryset to load related rows along (``select_related``): only the record's own row
    is locked, so a nullable related row (an outer join) does not stop the lock.
    """
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset.objects.all()
    )
    record = queryset.select_for_update(of=("self",)).get(pk=pk)
    check_version(record, expected_version)
    return record


def writes(record: str, lock: Callable):
    """Makes a service that writes one record: ``writes_claim = writes("claim", lock_claim)``.

    The decorated service runs in one transaction and gets its ``record`` keyword argument
    locked first, by ``lock(instance, expected_version)``. Its callers may pass
    ``expected_version``, the version they read: the write is refused (``Conflict``) when the
    record changed since::

        @writes_claim
        def claim_cancel(*, claim: Claim, actor, reason: str) -> Claim: ...

        claim_cancel(claim=claim, actor=user, reason="Sent twice", expected_version=3)
    """

    def decorate(service):
        @functools.wraps(service)
        def locked_service(*, expected_version: int | None = None, **kwargs):
            with transaction.atomic():
                kwargs[record] = lock(kwargs[record], expected_version)
                return service(**kwargs)

        return locked_service

    return decorate


def locked_child(child, parent_field: str, lock_parent, expected_version: int | None = None):
    """Lock the parent record first, then ``child``: one lock order for every writer of a record.

    ``lock_parent`` locks the parent (the module's own lock, with what it loads along);
    ``expected_version`` is the child's. Returns ``(parent, child)``, the child pointing at the
    locked parent.
    """
    parent = lock_parent(getattr(child, parent_field))
    child = locked(type(child), child.pk, expected_version)
    setattr(child, parent_field, parent)
    return parent, child


def note_history(record, actor, reason) -> None:
    """Say who makes the next saved change of ``record`` and why, for its history."""
    record._history_user = actor if getattr(actor, "pk", None) else None
    record._change_reason = str(reason)[:100]


def save_new(record, actor, reason) -> None:
    """Insert a new record, its history saying who created it and why."""
    note_history(record, actor, reason)
    record.save()


def save(record, actor, reason, fields: Iterable[str] | None = None) -> None:
    """Save a locked row; a versioned record counts one more write (optimistic locking).

    ``fields`` names what changed: only those are written (with ``updated_at``); without them
    the whole row is.
    """
    note_history(record, actor, reason)
    version = bump_version(record)
    if fields is None:
        record.save()
        return
    record.save(update_fields=list(dict.fromkeys([*fields, "updated_at", *version])))


def record_event(event_model, record, actor, action: str, **fields):
    """Add a line to ``record``'s timeline (an ``event_model``, a ``RecordEvent``)."""
    return event_model.objects.create(
        **{event_model.record_field: record},
        customer_id=record.customer_id,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        **fields,
    )


def require_capability(user, capability: str) -> None:
    """Refuse unless ``user`` has ``capability``."""
    if not (user is not None and user.has_capability(capability)):
        raise PermissionDenied(_("You are not allowed to do this."))


def required(value, field: str, message: str) -> str:
    """The text given for ``field``, trimmed; refused with ``message`` when empty."""
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value


def validate(record, exclude: Iterable[str] = ()) -> None:
    """Model validation of ``record`` but ``exclude``; a new record is checked before its number
    is taken, so a refused one uses up none."""
    excluded = [*exclude, *(() if record.number else ("number",))]
    record.full_clean(exclude=excluded or None)


def known_fields(fields: dict, allowed: Iterable[str]) -> dict:
    """``fields`` when every name is one a service takes; a caller's typo fails loudly."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    return dict(fields)
