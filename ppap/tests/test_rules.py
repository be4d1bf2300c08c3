"""The level matrix and the capability classes against REFERENCE §2 (pure functions, no DB)."""

from decimal import Decimal

import pytest

from ppap.editions import Requirement, elements, matrix_code, requirement
from ppap.rules import Capability, classify_capability

# REFERENCE §2, copied row by row: element -> cells at levels 1..5 (S submit, R retain, * request).
REFERENCE_MATRIX = {
    "1 proprietary": "R R R * R",
    1: "R S S * R",
    2: "R S S * R",
    3: "R R S * R",
    4: "R R S * R",
    5: "R R S * R",
    6: "R R S * R",
    7: "R R S * R",
    8: "R R S * R",
    9: "R S S * R",
    10: "R S S * R",
    11: "R R S * R",
    12: "R S S * R",
    13: "S S S * R",
    14: "R S S * R",
    15: "R R R * R",
    16: "R R R * R",
    17: "R R S * R",
    18: "S S S S R",
}
CASES = [
    (row, level, cells.split()[level - 1])
    for row, cells in REFERENCE_MATRIX.items()
    for level in range(1, 6)
]


@pytest.mark.parametrize(("row", "level", "expected"), CASES)
def test_matrix_cell_matches_the_reference(row, level, expected):
    proprietary = row == "1 proprietary"
    number = 1 if proprietary else row
    assert matrix_code("aiag4", number, level, proprietary=proprietary) == expected


def test_the_edition_lists_18_elements_in_order():
    numbers = list(elements("aiag4"))
    assert numbers == list(range(1, 19))
    assert str(elements("aiag4")[18]) == "Part submission warrant (PSW)"


def test_proprietary_flag_only_changes_element_1():
    for number in range(2, 19):
        for level in range(1, 6):
            assert matrix_code("aiag4", number, level, proprietary=True) == matrix_code(
                "aiag4", number, level
            )


def test_level_4_submits_the_customers_choice_and_retains_the_rest():
    chosen = {6, 9}
    assert requirement("aiag4", 6, 4, customer_elements=chosen) == Requirement.SUBMIT
    assert requirement("aiag4", 9, 4, customer_elements=chosen) == Requirement.SUBMIT
    assert requirement("aiag4", 7, 4, customer_elements=chosen) == Requirement.RETAIN
    assert requirement("aiag4", 18, 4, customer_elements=()) == Requirement.SUBMIT


def test_on_request_cells_outside_level_4_do_not_exist_and_codes_map():
    assert requirement("aiag4", 13, 1) == Requirement.SUBMIT
    assert requirement("aiag4", 1, 1) == Requirement.RETAIN
    assert requirement("aiag4", 1, 2, proprietary=True) == Requirement.RETAIN


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2.00", Capability.ACCEPTABLE),
        ("1.671", Capability.ACCEPTABLE),
        ("1.67", Capability.CONDITIONAL),
        ("1.50", Capability.CONDITIONAL),
        ("1.33", Capability.CONDITIONAL),
        ("1.329", Capability.NOT_ACCEPTABLE),
        ("0", Capability.NOT_ACCEPTABLE),
    ],
)
def test_capability_classes_at_the_boundaries(value, expected):
    assert classify_capability(Decimal(value)) == expected
