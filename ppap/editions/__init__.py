"""Element lists and level matrices of the PPAP editions, kept as data (REFERENCE §2).

Each edition module declares ``CODE``, ``ELEMENTS`` (number → title) and ``MATRIX`` (element row →
the requirement at levels 1–5). A new edition is a new module registered in ``EDITIONS``; a
submission stores the code of the edition its checklist was generated from, so older submissions
keep their checklist when a newer edition is added.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import aiag4


class Requirement(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    RETAIN = "retain", _("Retain")
    ON_REQUEST = "on_request", _("Submit on request")


_CODES = {"S": Requirement.SUBMIT, "R": Requirement.RETAIN, "*": Requirement.ON_REQUEST}

EDITIONS = {aiag4.CODE: aiag4}
DEFAULT_EDITION = aiag4.CODE
EDITION_CHOICES = [(module.CODE, module.LABEL) for module in EDITIONS.values()]


def edition(code: str):
    return EDITIONS[code]


def elements(code: str) -> dict[int, str]:
    """Element number → title, in the order of the edition."""
    return dict(edition(code).ELEMENTS)


def matrix_code(code: str, number: int, level: int, *, proprietary: bool = False) -> str:
    """The matrix cell (S, R or *) of an element at a level; element 1 has two rows."""
    module = edition(code)
    row = module.PROPRIETARY_ROW if number == module.DESIGN_RECORDS and proprietary else number
    return module.MATRIX[row][level - 1]


def requirement(
    code: str,
    number: int,
    level: int,
    *,
    proprietary: bool = False,
    customer_elements=(),
) -> Requirement:
    """What this submission owes for an element.

    At level 4 the customer ticks the elements they want submitted (``*`` cells): the ticked ones
    are submitted, the others retained.
    """
    cell = matrix_code(code, number, level, proprietary=proprietary)
    if level == 4 and cell == "*":
        return Requirement.SUBMIT if number in set(customer_elements) else Requirement.RETAIN
    return _CODES[cell]
