"""One way to move a record along its workflow table: guard, new state, save, history, event.

A module keeps its table (``workflow.py``), its domain guards and what a transition sets besides
the state; it binds the table and its event model once and moves records with that::

    _transition = partial(transition, workflow=CLAIM_WORKFLOW, events=ClaimEvent)

    claim.acknowledged_at = timezone.now()
    _transition(claim, actor, "acknowledge", ["acknowledged_at"])
"""

from __future__ import annotations

from collections.abc import Iterable

from core.workflow import Workflow

from .services import record_event, save


def transition(
    record,
    actor,
    action: str,
    fields: Iterable[str] = (),
    *,
    workflow: Workflow,
    events,
    comment: str = "",
    check_actor: bool = True,
    reason: str | None = None,
    timeline=None,
    event_action: str | None = None,
    **event_fields,
):
    """Take ``action`` on the locked ``record`` and write it to the timeline; the record.

    Refused (``InvalidTransition``, ``PermissionDenied``) unless ``workflow`` allows the action
    from the record's ``status``, and for ``actor`` unless ``check_actor`` is off (a move the
    system makes, or one whose actor the service vets itself). ``fields``: what the caller
    changed along with the state; ``reason``: the history's (default: the action's label).

    The event (an ``events`` row) goes to the record's own timeline, or to ``timeline`` when the
    record is a part of another one (the cost sheet of a claim, a finding of an audit), under
    ``event_action`` (default: the action) with ``event_fields`` as further columns.
    """
    step = workflow.check(action, state=record.status, actor=actor if check_actor else None)
    from_status, record.status = record.status, step.target
    save(record, actor, reason or str(step.label or action), ["status", *fields])
    record_event(
        events,
        record if timeline is None else timeline,
        actor,
        event_action or action,
        from_status=from_status,
        to_status=record.status,
        comment=comment,
        **event_fields,
    )
    return record
