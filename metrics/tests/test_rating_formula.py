"""REFERENCE §6, the rated scorecard, table by table: scores, total, bands and overrides."""

import datetime as dt
from decimal import Decimal

import pytest

from metrics.rating import (
    AT_MOST_YELLOW,
    GREEN,
    HIGHER,
    LOWER,
    METRICS,
    RED,
    TO_RED,
    YELLOW,
    CertificateState,
    MetricLine,
    OpenStatus,
    apply_overrides,
    band_for,
    metric_score,
    rate,
    weighted_total,
)

D = Decimal
TODAY = dt.date(2026, 3, 15)


def close(value, expected, places: int = 2) -> bool:
    return value.quantize(D(10) ** -places) == D(expected).quantize(D(10) ** -places)


# --- one metric ----------------------------------------------------------------------------------

LOWER_IS_BETTER = [
    # (value, target, limit, score): below, at and above the target and the limit
    ("0", "50", "100", "100"),
    ("49.99", "50", "100", "100"),
    ("50", "50", "100", "100"),
    ("50.01", "50", "100", "99.98"),
    ("75", "50", "100", "50"),
    ("99.99", "50", "100", "0.02"),
    ("100", "50", "100", "0"),
    ("250", "50", "100", "0"),
    ("15", "10", "20", "50"),  # field ppm of the issue
    ("36", "24", "48", "50"),  # reaction hours
]
HIGHER_IS_BETTER = [
    ("100", "95", "75", "100"),
    ("95", "95", "75", "100"),
    ("94.99", "95", "75", "99.95"),
    ("85", "95", "75", "50"),  # 8D on time of the issue
    ("75.01", "95", "75", "0.05"),
    ("75", "95", "75", "0"),
    ("40", "95", "75", "0"),
    ("70", "80", "50", "66.67"),  # CSAT of the issue
    ("80", "80", "50", "100"),
    ("50", "80", "50", "0"),
]


@pytest.mark.parametrize(("value", "target", "limit", "score"), LOWER_IS_BETTER)
def test_lower_is_better(value, target, limit, score):
    assert close(metric_score(D(value), D(target), D(limit), LOWER), score)


@pytest.mark.parametrize(("value", "target", "limit", "score"), HIGHER_IS_BETTER)
def test_higher_is_better(value, target, limit, score):
    assert close(metric_score(D(value), D(target), D(limit), HIGHER), score)


@pytest.mark.parametrize("better", [LOWER, HIGHER])
def test_no_value_is_not_applicable(better):
    assert metric_score(None, D(50), D(100), better) is None


@pytest.mark.parametrize(
    ("value", "better", "score"),
    [("0", LOWER, "100"), ("0.01", LOWER, "0"), ("100", HIGHER, "100"), ("99.9", HIGHER, "0")],
)
def test_a_limit_on_the_target_leaves_only_full_or_no_points(value, better, score):
    target = D(0) if better == LOWER else D(100)
    assert metric_score(D(value), target, target, better) == D(score)


@pytest.mark.parametrize(
    ("key", "better", "weight", "target", "limit", "enabled"),
    [
        ("zero_km_ppm", LOWER, 30, None, None, True),
        ("field_ppm", LOWER, 20, None, None, True),
        ("eight_d_on_time", HIGHER, 20, "95", "75", True),
        ("reaction_hours", LOWER, 10, "24", None, True),
        ("csat", HIGHER, 20, "80", "50", True),
        ("ppap_first_time", HIGHER, 10, "95", "75", False),
        ("delivery_on_time", HIGHER, 10, "95", "75", False),
    ],
)
def test_defaults(key, better, weight, target, limit, enabled):
    spec = METRICS[key]
    assert (spec.better, spec.weight, spec.enabled) == (better, weight, enabled)
    assert spec.target == (None if target is None else D(target))
    assert spec.limit == (None if limit is None else D(limit))


@pytest.mark.parametrize(
    ("key", "target", "limit"),
    [("zero_km_ppm", "50", "100"), ("field_ppm", "10", "20"), ("reaction_hours", "24", "48")],
)
def test_lower_is_better_limit_defaults_to_twice_the_target(key, target, limit):
    assert METRICS[key].default_limit(D(target)) == D(limit)


@pytest.mark.parametrize("key", ["eight_d_on_time", "csat", "ppap_first_time"])
def test_higher_is_better_limit_is_its_own_default(key):
    assert METRICS[key].default_limit(D(99)) == METRICS[key].limit


def test_default_weights_add_up_to_100():
    assert sum(spec.weight for spec in METRICS.values() if spec.enabled) == 100


# --- the total -----------------------------------------------------------------------------------

TOTALS = [
    # (weight, score) pairs -> total
    ([(30, "100"), (20, "50")], "80.0"),
    ([(30, "100"), (20, None)], "100.0"),  # "n/a" drops out with its weight
    ([(10, None), (20, None)], None),  # nothing with a value: n/a
    ([(0, "100"), (10, "40")], "40.0"),  # no weight, no say
    ([(1, "84.95")], "85.0"),  # half-up at the end
    ([(1, "84.94999")], "84.9"),
    ([(2, "70"), (1, "69.85")], "70.0"),  # 69.95 -> 70.0
]


@pytest.mark.parametrize(("pairs", "total"), TOTALS)
def test_weighted_total(pairs, total):
    pairs = [(weight, None if score is None else D(score)) for weight, score in pairs]
    assert weighted_total(pairs) == (None if total is None else D(total))


def test_scores_are_not_rounded_before_the_total():
    """A score shown as 84.95 may be 84.945: rounded first, the card would read 85.0, green."""
    score = metric_score(D("91.989"), D(95), D(75), HIGHER)
    assert score == D("84.945")
    card = rate([MetricLine("eight_d_on_time", D("91.989"), D(95), D(75), 20)], on=TODAY)
    assert (card.total, card.band) == (D("84.9"), YELLOW)


# --- bands ---------------------------------------------------------------------------------------

BAND_EDGES = [
    ("100", GREEN),
    ("85", GREEN),
    ("85.0", GREEN),
    ("84.99", YELLOW),
    ("84.9", YELLOW),
    ("70", YELLOW),
    ("69.99", RED),
    ("69.9", RED),
    ("0", RED),
]


@pytest.mark.parametrize(("total", "band"), BAND_EDGES)
def test_band_edges(total, band):
    assert band_for(D(total)) == band


def test_no_total_no_band():
    assert band_for(None) is None


@pytest.mark.parametrize(
    ("total", "band"), [("90", GREEN), ("89.9", YELLOW), ("60", YELLOW), ("59.9", RED)]
)
def test_bands_per_customer(total, band):
    assert band_for(D(total), green_from=D(90), yellow_from=D(60)) == band


@pytest.mark.parametrize(
    ("score", "total", "band"),
    [
        ("84.99", "85.0", GREEN),  # 84.99… is shown as 85.0: the card reads green
        ("84.94", "84.9", YELLOW),
        ("69.95", "70.0", YELLOW),
        ("69.9", "69.9", RED),
    ],
)
def test_the_band_is_that_of_the_total_as_shown(score, total, band):
    card = rate([MetricLine("csat", D(score), D(100), D(0), 1)], on=TODAY)
    assert (card.total, card.band) == (D(total), band)


# --- overrides -----------------------------------------------------------------------------------

STATUS_OVERRIDES = [
    # (kind, band before, band after, effect, changed)
    ("new_business_hold", GREEN, RED, TO_RED, True),
    ("new_business_hold", RED, RED, TO_RED, False),
    ("cs2", YELLOW, RED, TO_RED, True),
    ("cs1", GREEN, YELLOW, AT_MOST_YELLOW, True),
    ("cs1", YELLOW, YELLOW, AT_MOST_YELLOW, False),
    ("cs1", RED, RED, AT_MOST_YELLOW, False),
    ("escalation_1", GREEN, YELLOW, AT_MOST_YELLOW, True),
    ("escalation_2", GREEN, YELLOW, AT_MOST_YELLOW, True),
    ("escalation_3", GREEN, YELLOW, AT_MOST_YELLOW, True),
    ("escalation_3", RED, RED, AT_MOST_YELLOW, False),
]


@pytest.mark.parametrize(("kind", "before", "after", "effect", "changed"), STATUS_OVERRIDES)
def test_status_overrides(kind, before, after, effect, changed):
    status = OpenStatus(kind, f"{kind} since 1 March")
    band, overrides = apply_overrides(before, [status], [], on=TODAY)
    assert band == after
    assert [(o.effect, o.reason, o.changed) for o in overrides] == [
        (effect, f"{kind} since 1 March", changed)
    ]


def test_a_red_override_makes_a_card_without_total_red_a_cap_leaves_it_na():
    assert apply_overrides(None, [OpenStatus("cs2", "CS2")], [], on=TODAY)[0] == RED
    assert apply_overrides(None, [OpenStatus("cs1", "CS1")], [], on=TODAY)[0] is None


def test_unknown_status_kinds_do_not_override():
    assert apply_overrides(GREEN, [OpenStatus("watch_list", "?")], [], on=TODAY) == (GREEN, [])


CERTIFICATES = [
    # (number, valid until, overrides?, reason)
    ("C-1", dt.date(2026, 3, 15), False, ""),  # valid through today
    ("C-1", dt.date(2027, 1, 1), False, ""),
    ("C-1", dt.date(2026, 3, 14), True, "IATF 16949 expired on 14 Mar 2026"),
    ("", dt.date(2027, 1, 1), True, "IATF 16949: no valid certificate on record"),
    ("C-1", None, True, "IATF 16949: no valid certificate on record"),
]


@pytest.mark.parametrize(("number", "valid_until", "overrides", "reason"), CERTIFICATES)
def test_certificate_overrides(number, valid_until, overrides, reason):
    certificate = CertificateState("IATF 16949", number, valid_until)
    band, found = apply_overrides(GREEN, [], [certificate], on=TODAY)
    assert band == (RED if overrides else GREEN)
    assert [(o.effect, o.reason) for o in found] == ([(TO_RED, reason)] if overrides else [])


def test_a_plant_certificate_names_its_plant():
    certificate = CertificateState("ISO 14001", "", None, plant="HEILBRONN")
    _band, (override,) = apply_overrides(YELLOW, [], [certificate], on=TODAY)
    assert override.reason == "ISO 14001 (HEILBRONN): no valid certificate on record"


def test_every_override_is_listed_and_says_whether_it_moved_the_band():
    band, overrides = apply_overrides(
        GREEN,
        [OpenStatus("new_business_hold", "NBH"), OpenStatus("cs1", "CS1")],
        [CertificateState("IATF 16949", "", None)],
        on=TODAY,
    )
    assert band == RED
    assert [(o.reason, o.changed) for o in overrides] == [
        ("CS1", True),
        ("NBH", True),
        ("IATF 16949: no valid certificate on record", False),
    ]


# --- the example of issue 23 ---------------------------------------------------------------------


def issue_example() -> list[MetricLine]:
    return [
        MetricLine("zero_km_ppm", D(40), D(50), D(100), 30),
        MetricLine("field_ppm", D(15), D(10), D(20), 20),
        MetricLine("eight_d_on_time", D(85), D(95), D(75), 20),
        MetricLine("reaction_hours", None, D(24), D(48), 10),
        MetricLine("csat", D(70), D(80), D(50), 20),
    ]


def test_issue_example():
    card = rate(issue_example(), on=TODAY)
    scores = [line.score for line in card.lines]
    assert scores[:3] == [D(100), D(50), D(50)] and scores[3] is None
    assert close(scores[4], "66.67")
    # (3000 + 1000 + 1000 + 1333.33) ÷ 90 = 70.37 -> 70.4, yellow
    assert card.weights_counted == 90
    assert (card.total, card.score_band, card.band, card.overrides) == (
        D("70.4"),
        YELLOW,
        YELLOW,
        [],
    )


def test_issue_example_with_an_open_cs1_stays_yellow():
    card = rate(issue_example(), statuses=[OpenStatus("cs1", "CS1 since 2 March")], on=TODAY)
    assert (card.total, card.band) == (D("70.4"), YELLOW)
    assert [(o.effect, o.reason, o.changed) for o in card.overrides] == [
        (AT_MOST_YELLOW, "CS1 since 2 March", False)
    ]


def test_issue_example_with_a_new_business_hold_is_red():
    hold = OpenStatus("new_business_hold", "New business hold since 9 March")
    card = rate(issue_example(), statuses=[hold], on=TODAY)
    assert (card.total, card.score_band, card.band) == (D("70.4"), YELLOW, RED)
    assert [(o.effect, o.reason, o.changed) for o in card.overrides] == [
        (TO_RED, "New business hold since 9 March", True)
    ]
