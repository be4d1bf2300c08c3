"""The conduct page's outline: questions grouped by element, with how many are answered.

An auditor on a tablet jumps between VDA 6.3 elements (P2 to P7) or ISO clauses and, in P6, walks
the line process step by process step: the sticky navigation needs each group's answered/total.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .selectors import Card

# VDA 6.3 (2023) element titles, shown beside P2 … P7 so nobody has to remember them.
VDA_ELEMENT_TITLES = {
    "P2": _("Project management"),
    "P3": _("Planning the product and process development"),
    "P4": _("Implementing the product and process development"),
    "P5": _("Supplier management"),
    "P6": _("Process analysis: production"),
    "P7": _("Customer care, customer satisfaction, service"),
}


def is_answered(answer) -> bool:
    """Scored, or marked not evaluated (with its reason): nothing left to do on the row."""
    return answer is not None and (answer.score is not None or answer.not_evaluated)


@dataclass
class Group:
    """A stretch of the page the navigation jumps to, with its answered/total rows."""

    key: str
    label: str
    title: str = ""
    answered: int = 0
    total: int = 0
    cards: list[Card] = field(default_factory=list)

    kind = "element"

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{slugify(self.key, allow_unicode=True) or 'other'}"

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.answered == self.total

    def count(self, row: dict) -> None:
        self.total += 1
        self.answered += is_answered(row["answer"])


@dataclass
class StepGroup(Group):
    """A process step of the per-step (P6) questions; jumping to it lands on its first row."""

    kind = "step"
    first_row: str = ""


def row_anchor(card: Card, number: int) -> str:
    """The id of a card's answer row (numbered from 1, as the card template numbers them)."""
    return f"row-{card.question.pk}-{number}"


def element_key(card: Card, *, by_clause: bool) -> str:
    """P2 … P7 in a VDA 6.3 catalogue; the main clause (4 … 10) of an ISO checklist's 8.5.1."""
    element = (card.question.element or "").strip()
    return element.split(".")[0] if by_clause else element


def outline(cards: list[Card], *, vda: bool) -> tuple[list[Group], list[StepGroup]]:
    """The cards grouped by element in catalogue order, and the process steps of per-step rows."""
    elements: dict[str, Group] = {}
    steps: dict[str, StepGroup] = {}
    for card in cards:
        key = element_key(card, by_clause=not vda)
        group = elements.get(key)
        if group is None:
            group = elements[key] = _element_group(key, vda=vda)
        group.cards.append(card)
        for number, row in enumerate(card.rows, start=1):
            group.count(row)
            if row["step"]:
                step = steps.get(row["step"])
                if step is None:
                    first_row = row_anchor(card, number)
                    step = steps[row["step"]] = StepGroup(
                        row["step"], row["step"], first_row=first_row
                    )
                step.count(row)
    return list(elements.values()), list(steps.values())


def _element_group(key: str, *, vda: bool) -> Group:
    if vda:
        return Group(key, key or _("Other"), VDA_ELEMENT_TITLES.get(key, ""))
    return Group(key, _("Clause %(clause)s") % {"clause": key} if key else _("Other"))
