"""The rated scorecard's demo: settings, certificates and Autowerk's own scores, written once."""

import datetime as dt

import pytest

from customers.demo import seed_demo
from metrics import rating_demo, rating_inputs
from metrics.models import CustomerRating, RequiredCertificate, ScorecardSettings

TODAY = dt.date(2026, 3, 10)

pytestmark = pytest.mark.django_db


def test_demo_records_are_complete_believable_and_idempotent():
    seed_demo(today=TODAY)
    rating_demo.seed(today=TODAY)
    counts = (
        ScorecardSettings.objects.count(),
        RequiredCertificate.objects.count(),
        CustomerRating.objects.count(),
    )
    assert counts == (3, 4, 12)
    rating_demo.seed(today=TODAY)
    assert counts == (
        ScorecardSettings.objects.count(),
        RequiredCertificate.objects.count(),
        CustomerRating.objects.count(),
    )
    scores = list(CustomerRating.objects.filter(customer__code="AUTOWERK").order_by("month"))
    assert (scores[0].month, scores[-1].month) == (dt.date(2025, 3, 1), dt.date(2026, 2, 1))
    first = scores[0]
    recorded = first.history.get()
    # Recorded a few days after the month, by the manager, as it would have been.
    assert recorded.history_date.date() == dt.date(2025, 4, 6)
    assert recorded.history_user.email == rating_demo.MANAGER
    assert {s.band for s in scores} == {"green", "yellow"}
    autowerk = first.customer
    card = rating_inputs.scorecard(autowerk, rating_inputs.MONTH, dt.date(2026, 2, 1))
    assert "ppap_first_time" in {line.key for line in card.rating.lines}
    assert card.customer_rating.score == rating_demo.AUTOWERK_SCORES[-1]
    assert sum(1 for point in card.trend if point.customer_rating) == 12
    assert not [o for o in card.rating.overrides if "IATF" in o.reason]  # valid on record
