"""Writes to attachments and actions. Other apps call these; nothing else writes these tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .action_workflow import ACTION_WORKFLOW
from .attachments import (
    AttachmentPolicy,
    InspectedFile,
    check_file_count,
    clean_file_name,
    inspect_upload,
)
from .errors import Conflict, DomainError, PermissionDenied
from .models import Action, Attachment
from .records import services as records
from .renditions import make_renditions
from .tenancy import customer_id_of, is_internal

# --- Attachments -------------------------------------------------------------------------------


def attachment_add(
    *,
    owner,
    upload,
    actor,
    policy: AttachmentPolicy,
    description: str = "",
    internal_only: bool = False,
) -> Attachment:
    """Validate ``upload`` against ``policy`` and store it on ``owner``.

    Raises django's ValidationError (nothing stored) when the file is refused.
    """
    return attachments_add(
        owner=owner,
        uploads=[upload],
        actor=actor,
        policy=policy,
        description=description,
        internal_only=internal_only,
    )[0]


def attachments_add(
    *,
    owner,
    uploads: Sequence,
    actor,
    policy: AttachmentPolicy,
    description: str = "",
    internal_only: bool = False,
) -> list[Attachment]:
    """Store several files all-or-nothing: every file is checked before the first is stored."""
    if owner is None or owner.pk is None:
        raise DomainError(_("Save the record before attaching files to it."))
    uploads = list(uploads)
    check_file_count(len(uploads))
    # Every file is inspected and virus-scanned before the first one is stored.
    inspected = [(upload, inspect_upload(upload, policy)) for upload in uploads]
    # Customer users cannot hide files from themselves or from their own colleagues.
    internal_only = bool(internal_only and is_internal(actor))
    return _store(owner, inspected, actor, description.strip(), internal_only)


def _store(owner, inspected, actor, description, internal_only) -> list[Attachment]:
    content_type = ContentType.objects.get_for_model(owner)
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            for upload, facts in inspected:
                attachment = _new_attachment(content_type, owner, upload, facts, actor)
                attachment.description = description
                attachment.internal_only = internal_only
                attachment.file.save(attachment.original_name, upload, save=False)
                stored.append(attachment)
                attachment._history_user = actor
                attachment.save()
    except BaseException:
        # The rows are rolled back; the files on storage must go with them.
        for attachment in stored:
            attachment.file.storage.delete(attachment.file.name)
        raise
    # Renditions are made once, now, from the upload in hand: no PDF or page decodes an original.
    for attachment, (upload, _facts) in zip(stored, inspected, strict=True):
        make_renditions(attachment, source=upload)
    return stored


def _new_attachment(content_type, owner, upload, facts: InspectedFile, actor) -> Attachment:
    return Attachment(
        content_type=content_type,
        object_id=owner.pk,
        original_name=clean_file_name(getattr(upload, "name", ""), facts.extension),
        mime_type=facts.mime_type,
        extension=facts.extension,
        size=facts.size,
        sha256=facts.sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        uploaded_at=timezone.now(),
    )


# --- Actions -----------------------------------------------------------------------------------


def action_may_act(action: Action, user) -> bool:
    """The owner or a user with ``actions.manage`` may move an action; customer users never."""
    if not is_internal(user):
        return False
    return action.owner_id == user.pk or user.has_capability("actions.manage")


def action_transitions_for(action: Action, user) -> list[str]:
    """The transition names ``user`` may apply to ``action`` now (for buttons)."""
    if not action_may_act(action, user):
        return []
    return ACTION_WORKFLOW.allowed(action.status)


@transaction.atomic
def action_create(
    *,
    record,
    title: str,
    kind: str,
    owner,
    due_date: dt.date,
    actor,
    description: str = "",
    internal_only: bool = False,
) -> Action:
    if not (is_internal(actor) and actor.has_capability("actions.manage")):
        raise PermissionDenied(_("You are not allowed to create actions."))
    return _new_action(
        record=record,
        title=title,
        kind=kind,
        owner=owner,
        due_date=due_date,
        actor=actor,
        description=description,
        internal_only=internal_only,
    )


@transaction.atomic
def action_request(
    *, record, title: str, kind: str, owner, due_date: dt.date, actor, description: str = ""
) -> Action:
    """An action a customer's user asks of us on one of their own records.

    Our staff member ``owner`` works it like any other action; the customer can always see it.
    """
    customer_id = customer_id_of(actor)
    if is_internal(actor) or customer_id is None or customer_id != record.customer_id:
        raise PermissionDenied(_("Only the record's customer can ask for an action on it."))
    return _new_action(
        record=record,
        title=title,
        kind=kind,
        owner=owner,
        due_date=due_date,
        actor=actor,
        description=description,
        internal_only=False,
    )


@transaction.atomic
def action_raise(
    *,
    record,
    title: str,
    kind: str,
    owner,
    due_date: dt.date,
    description: str = "",
    actor=None,
    internal_only: bool = True,
) -> tuple[Action, bool]:
    """The one action of ``kind`` the portal itself raises on ``record`` (a low survey answer).

    No person decides it, so no capability is checked; ``actor`` is whoever caused it (for the
    history). A record has at most one such action: a second call finds it (locked) and, while it
    is open, gives it the new ``title`` and ``description``; owner and due date stay as its owner
    may have changed them. Returns the action and whether it was created now.
    """
    existing = (
        Action.objects.select_for_update()
        .for_owner(record)
        .filter(kind=kind)
        .order_by("pk")
        .first()
    )
    if existing is None:
        action = _new_action(
            record=record,
            title=title,
            kind=kind,
            owner=owner,
            due_date=due_date,
            actor=actor,
            description=description,
            internal_only=internal_only,
        )
        return action, True
    if existing.is_open and (existing.title, existing.description) != (title, description):
        existing.title, existing.description = title.strip(), description.strip()
        records.save(existing, actor, _("Action updated"), ["title", "description"])
    return existing, False


def _new_action(
    *, record, title, kind, owner, due_date, actor, description, internal_only
) -> Action:
    if record is None or record.pk is None:
        raise DomainError(_("An action needs a saved record to belong to."))
    if not title or not title.strip():
        raise DomainError(_("Give the action a title."), field="title")
    if kind not in Action.Kind.values:
        raise DomainError(_("Choose a valid kind of action."), field="kind")
    if not is_internal(owner):
        raise DomainError(_("The owner must be an active member of our staff."), field="owner")
    if due_date is None:
        raise DomainError(_("Give the action a due date."), field="due_date")
    action = Action(
        record=record,
        title=title.strip(),
        description=description.strip(),
        kind=kind,
        owner=owner,
        due_date=due_date,
        created_by=actor,
        internal_only=bool(internal_only),
    )
    records.save_new(action, actor, _("Action created"))
    return action


ACTION_EDITABLE_FIELDS = frozenset({"title", "description", "owner", "due_date", "internal_only"})


@transaction.atomic
def action_update(*, action: Action, actor, **fields) -> Action:
    """Change what an action is about, who owns it or when it is due, while it is still open."""
    records.known_fields(fields, ACTION_EDITABLE_FIELDS)
    if not (is_internal(actor) and actor.has_capability("actions.manage")):
        raise PermissionDenied(_("You are not allowed to change actions."))
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not action.is_open:
        raise Conflict(_("A finished action cannot be changed; reopen it first."))
    if "title" in fields:
        fields["title"] = records.required(fields["title"], "title", _("Give the action a title."))
    if "owner" in fields and not is_internal(fields["owner"]):
        raise DomainError(_("The owner must be an active member of our staff."), field="owner")
    if "due_date" in fields and fields["due_date"] is None:
        raise DomainError(_("Give the action a due date."), field="due_date")
    for name, value in fields.items():
        setattr(action, name, value.strip() if isinstance(value, str) else value)
    records.save(action, actor, _("Action edited"), fields)
    return action


@transaction.atomic
def action_start(*, action: Action, actor) -> Action:
    action = _lock_for(action, actor, "start")
    return _moved(action, actor, "start", _("Started"))


@transaction.atomic
def action_complete(*, action: Action, actor, note: str) -> Action:
    action = _lock_for(action, actor, "complete")
    action.completion_note = records.required(note, "note", _("Describe what was done."))
    action.completed_at = timezone.now()
    done = _("Done: %s") % action.completion_note
    return _moved(action, actor, "complete", done, "completed_at", "completion_note")


@transaction.atomic
def action_reopen(*, action: Action, actor, reason: str = "") -> Action:
    action = _lock_for(action, actor, "reopen")
    action.completed_at = None
    reason = (reason or "").strip()
    reopened = _("Reopened: %s") % reason if reason else _("Reopened")
    return _moved(action, actor, "reopen", reopened, "completed_at")


@transaction.atomic
def action_check_effectiveness(*, action: Action, actor, effective: bool, evidence: str) -> Action:
    action = _lock_for(action, actor, "check_effectiveness")
    evidence = records.required(evidence, "evidence", _("Give the evidence the check is based on."))
    action.effectiveness_evidence = evidence
    action.effectiveness_checked_at = timezone.now()
    action.effectiveness_checked_by = actor
    checked = [
        "effectiveness_result",
        "effectiveness_evidence",
        "effectiveness_checked_at",
        "effectiveness_checked_by",
    ]
    if effective:
        action.effectiveness_result = Action.Effectiveness.EFFECTIVE
        return _moved(action, actor, "check_effectiveness", _("Effective: %s") % evidence, *checked)
    # Not effective: back to work instead of closing.
    action.effectiveness_result = Action.Effectiveness.NOT_EFFECTIVE
    action.status = ACTION_WORKFLOW["check_effectiveness"].extra["target_if_not_effective"]
    action.completed_at = None
    reason = _("Not effective, back in progress: %s") % evidence
    records.save(action, actor, reason, ["status", "completed_at", *checked])
    return action


@transaction.atomic
def action_cancel(*, action: Action, actor, reason: str) -> Action:
    action = _lock_for(action, actor, "cancel")
    action.cancel_reason = records.required(reason, "reason", _("Say why the action is cancelled."))
    cancelled = _("Cancelled: %s") % action.cancel_reason
    return _moved(action, actor, "cancel", cancelled, "cancel_reason")


ACTION_SERVICES = {
    "start": action_start,
    "complete": action_complete,
    "reopen": action_reopen,
    "check_effectiveness": action_check_effectiveness,
    "cancel": action_cancel,
}


def _lock_for(action: Action, actor, transition: str) -> Action:
    """Re-read the action under a row lock, then check the transition and the actor."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if not action_may_act(locked, actor):
        raise PermissionDenied(_("Only the action's owner or a quality manager may change it."))
    ACTION_WORKFLOW.check(transition, state=locked.status, actor=actor)
    return locked


def _moved(action: Action, actor, transition: str, reason: str, *fields: str) -> Action:
    """The locked ``action`` in the state ``transition`` leads to, saved with ``fields``."""
    action.status = ACTION_WORKFLOW[transition].target
    records.save(action, actor, reason, ["status", *fields])
    return action
