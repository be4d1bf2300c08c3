"""Transition tables: one per workflow, the only place that says which state may go where.

A workflow is declared as a table of named actions::

    CLAIM_WORKFLOW = Workflow({
        "acknowledge": Transition(sources={"submitted"}, target="acknowledged",
                                  capability="claims.acknowledge"),
    })

Services call ``WORKFLOW.check(action, state=obj.status, actor=user)`` before they mutate; views and
templates call ``WORKFLOW.allowed(state, actor)`` to show only the buttons that will work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .errors import InvalidTransition, PermissionDenied
from .tenancy import is_internal


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str] | set[str]
    target: str
    capability: str | None = None
    label: str = ""
    needs_comment: bool = False
    extra: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))


class Workflow:
    def __init__(self, transitions: Mapping[str, Transition]):
        self.transitions = dict(transitions)

    def __getitem__(self, action: str) -> Transition:
        try:
            return self.transitions[action]
        except KeyError:
            raise InvalidTransition(_("Unknown action “%s”.") % action, action=action) from None

    def check(self, action: str, *, state: str, actor=None) -> Transition:
        """Return the transition for ``action`` from ``state`` or raise why it is not allowed."""
        transition = self[action]
        if state not in transition.sources:
            raise InvalidTransition(
                _("“%(action)s” is not possible while the record is “%(state)s”.")
                % {"action": transition.label or action, "state": state},
                action=action,
                state=state,
            )
        if transition.capability and actor is not None and not _has(actor, transition.capability):
            raise PermissionDenied(
                _("You are not allowed to do “%s”.") % (transition.label or action)
            )
        return transition

    def allowed(self, state: str, actor=None) -> list[str]:
        """The actions the actor may take from ``state``, in table order."""
        return [
            action
            for action, transition in self.transitions.items()
            if state in transition.sources
            and (actor is None or not transition.capability or _has(actor, transition.capability))
        ]

    def targets(self) -> Iterable[str]:
        return {t.target for t in self.transitions.values()}


@dataclass(frozen=True)
class CustomerDecision:
    """Who moves a record whose one decision is the customer's (a deviation's approval, the exit
    of a special status).

    Our staff with ``work`` take the other transitions of ``workflow``; the ``decisions`` open in
    ``deciding_state`` to the customer's users with ``review`` and to our staff with ``on_behalf``,
    who record a decision the customer gave outside the portal. The table leaves the decisions'
    capability empty: ``may_decide`` is the check.
    """

    workflow: Workflow
    decisions: tuple[str, ...]
    deciding_state: str
    work: str
    review: str
    on_behalf: str

    def may_work(self, user) -> bool:
        return is_internal(user) and user.has_capability(self.work)

    def may_decide(self, user) -> bool:
        if user is None or not user.is_authenticated:
            return False
        if is_internal(user):
            return user.has_capability(self.on_behalf)
        return user.has_capability(self.review)

    def actions_for(self, record, user) -> list[str]:
        """The transitions ``user`` may take now, apart from the decision: the page's buttons."""
        if not self.may_work(user):
            return []
        allowed = self.workflow.allowed(record.status, user)
        return [name for name in allowed if name not in self.decisions]

    def decisions_for(self, record, user) -> list[str]:
        if record.status != self.deciding_state or not self.may_decide(user):
            return []
        return list(self.decisions)


def _has(actor, capability: str) -> bool:
    has_capability = getattr(actor, "has_capability", None)
    return bool(has_capability and has_capability(capability))
