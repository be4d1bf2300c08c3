"""CSAT and NPS per REFERENCE §6, table by table: "n/a" without answers, half-up rounding."""

from decimal import Decimal

import pytest

from surveys import scores


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),  # no answers: n/a, not 0
        ([5], Decimal("100.0")),
        ([4, 5, 3], Decimal("66.7")),  # 66.666… half-up to one decimal
        ([1, 2, 3], Decimal("0.0")),
        ([4, 1], Decimal("50.0")),
        ([4, 4, 1, 1, 1, 1, 1, 1], Decimal("25.0")),
        ([5, 1, 1, 1, 1, 1, 1, 1], Decimal("12.5")),
        ([5] + [1] * 15, Decimal("6.3")),  # 6.25 → 6.3 (half-up, not to even)
        ([4] * 2 + [3] * 1, Decimal("66.7")),
        ([5] * 7 + [2] * 3, Decimal("70.0")),
    ],
)
def test_csat_is_the_top_two_box_share(values, expected):
    assert scores.csat(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),
        ([4, 5], Decimal("4.50")),
        ([1, 2, 2], Decimal("1.67")),
        ([3, 3, 4, 4, 4, 5, 1, 1], Decimal("3.13")),  # 3.125 → 3.13
    ],
)
def test_mean_of_the_answers(values, expected):
    assert scores.mean(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),  # n/a
        ([9, 7, 3], 0),  # one promoter, one passive, one detractor
        ([10, 9, 0], 33),  # 33.33 → 33
        ([9] * 5 + [6] * 3, 25),  # 5 promoters, 3 detractors of 8: 62.5 − 37.5
        ([10] * 2 + [8] * 1, 67),  # 66.67 → 67
        ([9] + [7] * 7, 13),  # 12.5 → 13 (half-up)
        ([6] + [7] * 7, -13),  # −12.5 → −13 (half away from zero)
        ([10] * 4, 100),
        ([0] * 4, -100),
        ([7, 8], 0),  # passives only
        ([6, 9], 0),  # detractor 6 and promoter 9 are the edges
        ([9] * 3 + [0] * 1 + [8] * 2, 33),  # 50 − 16.67 = 33.33 → 33
    ],
)
def test_nps_is_promoters_minus_detractors_rounded_half_up(values, expected):
    assert scores.nps(values) == expected


def test_distribution_counts_each_value_of_the_scale():
    assert scores.distribution([5, 5, 1], range(1, 6)) == [
        (1, 1, Decimal("33.3")),
        (2, 0, Decimal("0.0")),
        (3, 0, Decimal("0.0")),
        (4, 0, Decimal("0.0")),
        (5, 2, Decimal("66.7")),
    ]
    assert scores.distribution([], range(1, 3)) == [(1, 0, Decimal(0)), (2, 0, Decimal(0))]


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(0, 0, None), (1, 3, Decimal("33.3")), (3, 3, Decimal("100.0")), (1, 8, Decimal("12.5"))],
)
def test_response_rate(part, whole, expected):
    assert scores.share(part, whole) == expected
