"""Reading an 8D: the rows of each discipline that a viewer may see, in few queries.

One rule for the editor, the customer's view, the API and the PDF: our staff see everything; a
customer user sees a discipline's rows only once it has been submitted, and never an action we
marked internal-only. The actions a customer's users added themselves they see at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from core.models import Action
from core.tenancy import is_internal

from ..models import Cause, Claim, Containment, CorrectiveAction, EightDStep, ReadAcross, TeamMember
from .content import rows as content_rows

# Which discipline each kind of row is written in; D6 shows the D5 actions' implementation.
ROW_DISCIPLINES = {
    "team": ("D1",),
    "containments": ("D3",),
    "causes": ("D4",),
    "corrective_actions": ("D5", "D6"),
    "preventive_actions": ("D7",),
    "read_across": ("D7",),
}


@dataclass
class EightD:
    """Everything shown about one claim's 8D, already filtered for the viewer."""

    steps: dict[str, EightDStep]
    team: list[TeamMember] = field(default_factory=list)
    containments: list[Containment] = field(default_factory=list)
    causes: list[Cause] = field(default_factory=list)
    corrective_actions: list[CorrectiveAction] = field(default_factory=list)
    preventive_actions: list[CorrectiveAction] = field(default_factory=list)
    # The actions the customer added (D3 containment, D5/D6 corrective): theirs to read at once.
    customer_actions: list[CorrectiveAction] = field(default_factory=list)
    read_across: list[ReadAcross] = field(default_factory=list)

    def content_rows(self, code: str) -> list[tuple[str, str]]:
        step = self.steps.get(code)
        return content_rows(code, step.content) if step else []

    def causes_by_leg(self) -> dict[str, list[Cause]]:
        grouped = {leg: [] for leg in Cause.Leg.values}
        for cause in self.causes:
            grouped[cause.leg].append(cause)
        return grouped

    def ishikawa(self) -> dict[str, list[Cause]]:
        """The 6M board: every cause considered, grouped by category."""
        board = {category: [] for category in Cause.Category.values}
        for cause in self.causes:
            board[cause.category].append(cause)
        return board

    def root_causes(self) -> list[Cause]:
        return [cause for cause in self.causes if cause.is_root_cause]


def eight_d_for(claim: Claim, user) -> EightD:
    """The viewer's 8D of ``claim``: about eight queries, whatever the number of rows."""
    internal = is_internal(user)
    steps = {
        step.code: step
        for step in claim.steps.select_related("submitted_by", "decided_by").order_by("code")
    }

    def shown(*codes: str) -> bool:
        return internal or any(code in steps and steps[code].shown_to_customer for code in codes)

    result = EightD(steps=steps)
    if shown(*ROW_DISCIPLINES["team"]):
        result.team = list(claim.team_members.all())
    if shown(*ROW_DISCIPLINES["containments"]):
        result.containments = list(claim.containments.select_related("removed_by"))
    if shown(*ROW_DISCIPLINES["causes"]):
        result.causes = list(claim.causes.select_related("verified_by"))
    actions = _actions(claim, internal)
    if shown(*ROW_DISCIPLINES["corrective_actions"]):
        result.corrective_actions = [a for a in actions if a.action.kind == Action.Kind.CORRECTIVE]
    if shown(*ROW_DISCIPLINES["preventive_actions"]):
        result.preventive_actions = [a for a in actions if a.action.kind == Action.Kind.PREVENTIVE]
        result.read_across = list(claim.read_across.all())
    result.customer_actions = [a for a in actions if a.created_by_customer]
    return result


def _actions(claim: Claim, internal: bool) -> list[CorrectiveAction]:
    links = claim.corrective_actions.select_related(
        "action__owner", "action__created_by", "customer_decided_by"
    ).prefetch_related(Prefetch("causes", queryset=Cause.objects.order_by("leg", "pk")))
    if not internal:
        links = links.filter(action__internal_only=False)
    return list(links)
