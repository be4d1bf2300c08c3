"""VDA 6.3 scoring and grading (REFERENCE §4), table-driven, without the database."""

from decimal import Decimal

import pytest

from audits.scoring import (
    Evaluation,
    InvalidScore,
    Question,
    evaluate,
    grade_for,
    lowest,
    whole_percent,
)

# Ten questions per element P2–P5 and P7, twelve P6 questions (two per sub-element U1–U6) scored
# in two process steps; P5.2 and P6.2 are *-questions. One changed score hits one rule only.
CATALOGUE = [
    *(
        Question(f"{e}.{n}", e, star=(e == "P5" and n == 2))
        for e in ("P2", "P3", "P4", "P5", "P7")
        for n in range(1, 11)
    ),
    *(Question(f"P6.{n}", "P6", f"U{(n + 1) // 2}", star=(n == 2)) for n in range(1, 13)),
]
STEPS = ("Pressing", "Welding")


def _all(score=10, **overrides):
    """Every question at ``score`` (P6 in both steps), with ``overrides`` per code or code@step."""
    evaluations = []
    for question in CATALOGUE:
        steps = STEPS if question.element == "P6" else ("",)
        for step in steps:
            key = f"{question.code}@{step}" if step else question.code
            value = overrides.get(key, overrides.get(question.code, score))
            evaluations.append(Evaluation.of(question.code, value, step))
    return evaluations


def _rules(result):
    return sorted({reason.rule for reason in result.downgrades})


CASES = {
    # name: (score overrides, grade, the downgrade rules that fire, their subjects)
    "clean A": ({}, "A", [], []),
    # P3: six at 6, four at 10 → 76 %.
    "element below 80 %": ({f"P3.{n}": 6 for n in range(1, 7)}, "B", ["below_80"], ["P3"]),
    # U3 (P6.5 and P6.6) at 6 in both steps → 60 %; P6 and both steps stay above 90 %.
    "sub-element below 80 %": ({"P6.5": 6, "P6.6": 6}, "B", ["below_80"], ["U3"]),
    # Welding: eight P6 questions at 6 → 73 %; every U stays at 80 % or more.
    "process step below 80 %": (
        {f"P6.{n}@Welding": 6 for n in range(1, 9)},
        "B",
        ["below_80"],
        ["Welding"],
    ),
    "star question at 4": ({"P6.2@Welding": 4}, "B", ["star_four"], ["P6.2"]),
    "any question at 0": ({"P2.1": 0}, "B", ["zero"], ["P2.1"]),
    "element below 70 %": ({f"P4.{n}": 6 for n in range(1, 11)}, "C", ["below_70"], ["P4"]),
    "process step below 70 %": (
        {f"P6.{n}@Welding": 6 for n in range(1, 13)},
        "C",
        ["below_70"],
        ["Welding"],
    ),
    "star question at 0": ({"P5.2": 0}, "C", ["star_zero"], ["P5.2"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_grade_and_downgrade_rules(name):
    overrides, grade, rules, subjects = CASES[name]
    result = evaluate(CATALOGUE, _all(10, **overrides))
    assert result.base_grade == "A"
    assert result.grade == grade, [reason.message for reason in result.downgrades]
    assert _rules(result) == rules
    assert [reason.subject for reason in result.downgrades] == subjects
    assert all(subjects[0] in reason.message for reason in result.downgrades)


def test_clean_a_has_no_reasons():
    result = evaluate(CATALOGUE, _all(10))
    assert result.overall == Decimal(100)
    assert result.grade == "A" and result.downgrades == [] and result.not_gradable == []


def test_overall_is_points_based_not_the_mean_of_elements():
    catalogue = [
        Question("P2.1", "P2"),
        *(Question(f"P7.{n}", "P7") for n in range(1, 10)),
    ]
    evaluations = [Evaluation.of("P2.1", 4), *(Evaluation.of(f"P7.{n}", 10) for n in range(1, 10))]
    result = evaluate(catalogue, evaluations)
    assert result.elements == {"P2": Decimal(40), "P7": Decimal(100)}
    mean_of_elements = (Decimal(40) + Decimal(100)) / 2
    assert result.overall == Decimal(94)  # (4 + 90) / 100
    assert result.overall != mean_of_elements


def test_p6_question_takes_the_mean_of_its_steps_first():
    catalogue = [Question("P6.1", "P6", "U1"), Question("P6.2", "P6", "U1")]
    evaluations = [
        Evaluation.of("P6.1", 10, "A"),
        Evaluation.of("P6.1", 8, "B"),
        Evaluation.of("P6.1", 8, "C"),
        Evaluation.of("P6.2", 10, "A"),
    ]
    result = evaluate(catalogue, evaluations)
    assert result.question_values["P6.1"] == Decimal("8.67")  # 26 / 3, 2 decimals half-up
    assert result.overall == Decimal("93.35")  # (8.67 + 10) / 20


def test_lowest_of_several_findings_counts():
    assert lowest([8, 4, 6]) == 4
    result = evaluate([Question("P7.1", "P7")], [Evaluation("P7.1", (10, 6, 8))])
    assert result.question_values["P7.1"] == Decimal(6)


def test_two_thirds_rule_makes_the_audit_not_gradable():
    evaluations = _all(10, **{f"P3.{n}": None for n in range(7, 11)})  # 6 of 10 evaluated
    result = evaluate(CATALOGUE, evaluations)
    assert result.grade is None and not result.gradable
    assert [reason.subject for reason in result.not_gradable] == ["P3"]
    assert "6 of 10" in result.not_gradable[0].message


def test_two_thirds_exactly_is_enough():
    result = evaluate(CATALOGUE, _all(10, **{f"P3.{n}": None for n in range(8, 11)}))  # 7 of 10
    assert result.gradable and result.grade == "A"


@pytest.mark.parametrize("score", [5, 1, 11, -4, "x", 4.0, None, True])
def test_invalid_scores_are_refused(score):
    with pytest.raises(InvalidScore):
        evaluate(CATALOGUE, [Evaluation("P2.1", (score,))])


def test_invalid_score_message_is_clear():
    with pytest.raises(InvalidScore) as refused:
        lowest([5])
    assert "0, 4, 6, 8 or 10" in refused.value.message


@pytest.mark.parametrize(
    ("overall", "grade"),
    [
        (Decimal("89.5"), "A"),
        (Decimal("89.49"), "B"),
        (Decimal("79.5"), "B"),
        (Decimal("79.49"), "C"),
        (Decimal("90"), "A"),
        (Decimal("100"), "A"),
    ],
)
def test_grade_boundaries_round_half_up(overall, grade):
    assert grade_for(overall) == grade


def test_element_at_79_5_percent_counts_as_80():
    # 159 of 200 points would need an odd sum: 19 questions at 8 and a P6 mean of 7 instead.
    catalogue = [
        *(Question(f"P5.{n}", "P5") for n in range(1, 20)),
        Question("P6.1", "P6", "U1"),
    ]
    evaluations = [*(Evaluation.of(f"P5.{n}", 8) for n in range(1, 20))]
    evaluations += [Evaluation.of("P6.1", 8, "A"), Evaluation.of("P6.1", 6, "B")]
    result = evaluate(catalogue, evaluations)
    assert result.overall == Decimal("79.5")
    assert result.base_grade == "B"


def test_element_at_89_5_percent_grades_a():
    # 10 questions at 10, 9 at 8 and a P6 question with the mean 7: 179 of 200 points.
    catalogue = [
        *(Question(f"P5.{n}", "P5") for n in range(1, 20)),
        Question("P6.1", "P6", "U1"),
    ]
    evaluations = [Evaluation.of(f"P5.{n}", 10 if n <= 10 else 8) for n in range(1, 20)]
    evaluations += [Evaluation.of("P6.1", 8, "A"), Evaluation.of("P6.1", 6, "B")]
    result = evaluate(catalogue, evaluations)
    assert result.overall == Decimal("89.5")
    assert result.base_grade == "A"


@pytest.mark.parametrize(
    ("scores", "element", "grade", "rules"),
    [
        ([8] * 39 + [6], Decimal("79.5"), "B", []),  # 318 / 400 counts as 80 %: no downgrade
        ([8] * 38 + [6, 6], Decimal("79"), "C", ["below_80"]),  # 79 %: C, and listed
        ([10] * 19 + [8] * 21, Decimal("89.5"), "A", []),  # 358 / 400 counts as 90 %
    ],
)
def test_element_rounding_at_the_boundaries(scores, element, grade, rules):
    catalogue = [Question(f"P7.{n}", "P7") for n in range(1, len(scores) + 1)]
    evaluations = [Evaluation.of(q.code, p) for q, p in zip(catalogue, scores, strict=True)]
    result = evaluate(catalogue, evaluations)
    assert result.elements["P7"] == element
    assert result.grade == grade
    assert _rules(result) == rules


def test_element_at_79_percent_downgrades_an_a():
    # P2 at 79 % (rounded) while the points-based overall stays at A.
    catalogue = [*(Question(f"P2.{n}", "P2") for n in range(1, 11))]
    catalogue += [Question(f"P7.{n}", "P7") for n in range(1, 41)]
    evaluations = [Evaluation.of(f"P2.{n}", 10 if n <= 4 else 6) for n in range(1, 11)]
    evaluations += [Evaluation.of(f"P7.{n}", 10) for n in range(1, 41)]
    result = evaluate(catalogue, evaluations)
    assert whole_percent(result.elements["P2"]) == 76
    assert result.base_grade == "A" and result.grade == "B"
