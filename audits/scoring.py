"""VDA 6.3 scoring and grading (REFERENCE §4) as pure functions: no database, only Decimal.

A question is scored 0, 4, 6, 8 or 10 points; where several findings score one question, the
lowest score counts. P6 questions are scored once per process step: a question's value is the
mean of its step scores (2 decimals, half-up) before it enters any result.

- E_Pn, the element result: Σ question values / Σ possible (10 per evaluated question).
- E_Un, the P6 sub-element results, and one result per process step, the same way.
- E_G, the overall result: points-based over all evaluated questions (2016/2023 editions), so it
  is not the mean of the element results.

An element whose evaluated questions are fewer than 2/3 of its questions makes the audit not
gradable. The grade is A from 90 %, B from 80 %, C below; the downgrade rules then apply, with the
percentages rounded half-up to whole percent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from core.errors import DomainError

SCORES = (0, 4, 6, 8, 10)
MAX_POINTS = Decimal(10)
ELEMENTS = ("P2", "P3", "P4", "P5", "P6", "P7")
SUB_ELEMENTS = ("U1", "U2", "U3", "U4", "U5", "U6")
PROCESS_ELEMENT = "P6"
GRADE_A, GRADE_B, GRADE_C = "A", "B", "C"
A_FROM, B_FROM, C_BELOW_ELEMENT = 90, 80, 70
EVALUATED_SHARE = (2, 3)  # at least 2/3 of an element's questions must be evaluated

_CENT = Decimal("0.01")
_WHOLE = Decimal(1)
_HUNDRED = Decimal(100)


class InvalidScore(DomainError):
    """A score other than 0, 4, 6, 8 or 10."""


@dataclass(frozen=True)
class Question:
    code: str
    element: str
    sub_element: str = ""
    star: bool = False


@dataclass(frozen=True)
class Evaluation:
    """One question's scores in one process step (``step`` is empty outside P6).

    ``scores`` holds every score given (the auditor's and each finding's): the lowest counts.
    No scores means not evaluated.
    """

    question: str
    scores: tuple[int, ...] = ()
    step: str = ""

    @classmethod
    def of(cls, question: str, score: int | None, step: str = "") -> Evaluation:
        return cls(question, () if score is None else (score,), step)


@dataclass(frozen=True)
class Reason:
    rule: str
    subject: str
    message: str


@dataclass
class Result:
    elements: dict[str, Decimal | None] = field(default_factory=dict)
    sub_elements: dict[str, Decimal | None] = field(default_factory=dict)
    steps: dict[str, Decimal | None] = field(default_factory=dict)
    overall: Decimal | None = None
    question_values: dict[str, Decimal] = field(default_factory=dict)
    evaluated: dict[str, tuple[int, int]] = field(default_factory=dict)
    grade: str | None = None
    base_grade: str | None = None
    downgrades: list[Reason] = field(default_factory=list)
    not_gradable: list[Reason] = field(default_factory=list)

    @property
    def gradable(self) -> bool:
        return not self.not_gradable and self.overall is not None


def check_score(score) -> int:
    """The score as an int, or InvalidScore for anything but 0, 4, 6, 8 or 10."""
    if isinstance(score, bool) or not isinstance(score, int | Decimal | str):
        raise InvalidScore(_("A score must be 0, 4, 6, 8 or 10 points."), field="score")
    try:
        number = Decimal(str(score).strip())
    except ArithmeticError:
        number = Decimal(-1)
    if number not in SCORES:
        raise InvalidScore(
            _("%(score)s is not a VDA 6.3 score: use 0, 4, 6, 8 or 10 points.") % {"score": score},
            field="score",
        )
    return int(number)


def lowest(scores: Iterable) -> int | None:
    """The score that counts when several findings score one question."""
    checked = [check_score(score) for score in scores]
    return min(checked) if checked else None


def two_decimals(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def whole_percent(value: Decimal) -> int:
    """Half-up to whole percent: 79.5 % counts as 80 %, 89.5 % as 90 %."""
    return int(value.quantize(_WHOLE, rounding=ROUND_HALF_UP))


def percent(points: Decimal, evaluated: int) -> Decimal | None:
    if not evaluated:
        return None
    return points * _HUNDRED / (MAX_POINTS * evaluated)


def grade_for(overall: Decimal) -> str:
    rounded = whole_percent(overall)
    if rounded >= A_FROM:
        return GRADE_A
    return GRADE_B if rounded >= B_FROM else GRADE_C


def evaluate(questions: Sequence[Question], evaluations: Iterable[Evaluation]) -> Result:
    """Score one audit: element, sub-element, step and overall results, grade and reasons."""
    by_code = {question.code: question for question in questions}
    step_scores = _step_scores(by_code, evaluations)
    values = {
        code: two_decimals(Decimal(sum(scores.values())) / len(scores))
        for code, scores in step_scores.items()
    }
    result = Result(question_values=values)
    result.elements = _group_results(questions, values, lambda q: q.element, ELEMENTS)
    p6 = [question for question in questions if question.element == PROCESS_ELEMENT]
    result.sub_elements = _group_results(p6, values, lambda q: q.sub_element, SUB_ELEMENTS)
    result.steps = _step_results(by_code, step_scores)
    result.overall = percent(sum(values.values(), Decimal(0)), len(values))
    result.evaluated = _evaluated_counts(questions, values)
    result.not_gradable = _not_gradable(result)
    if result.gradable:
        result.base_grade = grade_for(result.overall)
        result.downgrades = _downgrades(result, by_code, step_scores)
        result.grade = _final_grade(result.base_grade, result.downgrades)
    return result


def _step_scores(by_code, evaluations) -> dict[str, dict[str, int]]:
    """question code -> {step: score that counts}; only evaluated ones."""
    scores: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for evaluation in evaluations:
        question = by_code.get(evaluation.question)
        if question is None:
            raise DomainError(
                _("Question %(code)s is not in the catalogue.") % {"code": evaluation.question}
            )
        checked = [check_score(score) for score in evaluation.scores]
        if checked:
            step = evaluation.step if question.element == PROCESS_ELEMENT else ""
            scores[question.code][step].extend(checked)
    return {
        code: {step: min(given) for step, given in steps.items()} for code, steps in scores.items()
    }


def _group_results(questions, values, key, order) -> dict[str, Decimal | None]:
    points: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    present = []
    for question in questions:
        group = key(question)
        if not group:
            continue
        if group not in present:
            present.append(group)
        if question.code in values:
            points[group] += values[question.code]
            counts[group] += 1
    ranked = sorted(present, key=lambda g: order.index(g) if g in order else len(order))
    return {group: percent(points[group], counts[group]) for group in ranked}


def _step_results(by_code, step_scores) -> dict[str, Decimal | None]:
    points: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for code, steps in step_scores.items():
        if by_code[code].element != PROCESS_ELEMENT:
            continue
        for step, score in steps.items():
            points[step] += score
            counts[step] += 1
    return {step: percent(points[step], counts[step]) for step in points}


def _evaluated_counts(questions, values) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    for question in questions:
        evaluated, total = counts.setdefault(question.element, [0, 0])
        counts[question.element] = [evaluated + (question.code in values), total + 1]
    return {element: (pair[0], pair[1]) for element, pair in counts.items()}


def _not_gradable(result: Result) -> list[Reason]:
    reasons = []
    need, of = EVALUATED_SHARE
    for element, (evaluated, total) in result.evaluated.items():
        if evaluated * of < total * need:
            reasons.append(
                Reason(
                    "two_thirds",
                    element,
                    _(
                        "%(element)s: only %(evaluated)d of %(total)d questions evaluated; at "
                        "least two thirds are needed for a grade."
                    )
                    % {"element": element, "evaluated": evaluated, "total": total},
                )
            )
    if result.overall is None:
        reasons.append(Reason("nothing_evaluated", "", _("No question has been evaluated yet.")))
    return reasons


def _downgrades(result: Result, by_code, step_scores) -> list[Reason]:
    reasons: list[Reason] = []
    groups = [
        (_("Element"), result.elements),
        (_("Process step"), result.steps),
    ]
    for label, results in groups:
        for subject, value in results.items():
            if value is None:
                continue
            rounded = whole_percent(value)
            if rounded < C_BELOW_ELEMENT:
                reasons.append(_below(GRADE_C, label, subject, rounded, C_BELOW_ELEMENT))
            elif rounded < B_FROM:
                reasons.append(_below(GRADE_B, label, subject, rounded, B_FROM))
    for subject, value in result.sub_elements.items():
        if value is not None and whole_percent(value) < B_FROM:
            reasons.append(_below(GRADE_B, _("Sub-element"), subject, whole_percent(value), B_FROM))
    for code, steps in step_scores.items():
        reasons.extend(_question_reasons(by_code[code], min(steps.values())))
    return reasons


def _below(grade: str, label, subject: str, rounded: int, limit: int) -> Reason:
    return Reason(
        f"below_{limit}",
        subject,
        _("%(label)s %(subject)s at %(value)d %% (below %(limit)d %%): at most %(grade)s.")
        % {"label": label, "subject": subject, "value": rounded, "limit": limit, "grade": grade},
    )


def _question_reasons(question: Question, lowest_score: int) -> list[Reason]:
    values = {"code": question.code}
    if question.star and lowest_score == 0:
        message = _("*-question %(code)s scored 0 points: at most C.") % values
        return [Reason("star_zero", question.code, message)]
    reasons = []
    if question.star and lowest_score == 4:
        message = _("*-question %(code)s scored 4 points: at most B.") % values
        reasons.append(Reason("star_four", question.code, message))
    if lowest_score == 0:
        message = _("Question %(code)s scored 0 points: at most B.") % values
        reasons.append(Reason("zero", question.code, message))
    return reasons


_CAP_OF_RULE = {"below_70": GRADE_C, "star_zero": GRADE_C}


def _final_grade(base: str, reasons: list[Reason]) -> str:
    order = (GRADE_A, GRADE_B, GRADE_C)
    grade = base
    for reason in reasons:
        cap = _CAP_OF_RULE.get(reason.rule, GRADE_B)
        if order.index(cap) > order.index(grade):
            grade = cap
    return grade
