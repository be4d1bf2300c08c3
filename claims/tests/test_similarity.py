import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Claim, EightDStep
from claims.similarity import (
    repeat_failure_of,
    similar_claims,
    symptom_similarity,
    symptom_words,
)
from customers import services as customer_services
from customers.tests.factories import PartFactory

from .factories import file_claim, fill_step

D6_APPROVED = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
BURR = "Burr on the mounting hole, part does not seat"
CRACK = "Cracked housing flange after vibration test"


def _answer(code, claim, engineer, customer_user):
    step = EightDStep.objects.get(claim=claim, code=code)
    fill_step(claim, code, engineer)
    services.step_save(step=step, actor=engineer, summary=f"{code} done")
    services.step_submit(step=step, actor=engineer)
    services.step_approve(step=step, actor=customer_user)


def _closed_through_8d(claim, engineer, customer_user):
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_start_review(claim=claim, actor=engineer)
    services.claim_accept_responsibility(claim=claim, actor=engineer)
    for code in ("D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"):
        _answer(code, claim, engineer, customer_user)
    services.claim_customer_accept(claim=claim, actor=customer_user)
    EightDStep.objects.filter(claim=claim, code="D6").update(decided_at=D6_APPROVED)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CLOSED
    return claim


@pytest.fixture
def part_a(customer_a):
    return PartFactory(customer=customer_a, customer_part_number="A-100", revision="A")


@pytest.fixture
def earlier(part_a, user_a, engineer):
    claim = file_claim(actor=user_a, part=part_a, symptom=BURR)
    return _closed_through_8d(claim, engineer, user_a)


class TestSymptomWords:
    def test_short_words_digits_and_stop_words_are_ignored(self):
        assert symptom_words("The burr on 2 parts, NOT seated!") == {"burr", "seated"}

    def test_jaccard_over_words(self):
        assert symptom_similarity(BURR, BURR.upper()) == 1
        assert symptom_similarity(BURR, CRACK) == 0
        assert symptom_similarity("", BURR) == 0
        assert symptom_similarity("burr mounting hole", "burr mounting flange") == 0.5


@pytest.mark.django_db
class TestRepeatFailure:
    def test_same_part_and_symptom_produced_after_d6_is_a_repeat(self, earlier, part_a, user_a):
        claim = file_claim(
            actor=user_a,
            part=part_a,
            symptom="Mounting hole has a burr; the part does not seat",
            production_date=dt.date(2026, 3, 11),
        )
        assert repeat_failure_of(claim) == earlier

    def test_another_revision_of_the_customer_part_number_counts(
        self, earlier, customer_a, part_a, user_a
    ):
        revision_b = PartFactory(customer=customer_a, customer_part_number="a-100", revision="B")
        claim = file_claim(
            actor=user_a, part=revision_b, symptom=BURR, production_date=dt.date(2026, 4, 1)
        )
        assert repeat_failure_of(claim) == earlier

    @pytest.mark.parametrize("produced", [dt.date(2026, 3, 10), dt.date(2026, 3, 1)])
    def test_produced_on_or_before_the_d6_date_is_not_a_repeat(
        self, earlier, part_a, user_a, produced
    ):
        claim = file_claim(actor=user_a, part=part_a, symptom=BURR, production_date=produced)
        assert repeat_failure_of(claim) is None

    def test_unknown_production_date_is_only_similar(self, earlier, part_a, user_a):
        claim = file_claim(actor=user_a, part=part_a, symptom=BURR, production_date=None)
        assert repeat_failure_of(claim) is None
        assert [item.claim for item in similar_claims(claim, user_a)] == [earlier]

    def test_open_earlier_claim_is_not_repeated(self, part_a, user_a, engineer):
        open_claim = file_claim(actor=user_a, part=part_a, symptom=BURR)
        services.claim_acknowledge(claim=open_claim, actor=engineer)
        EightDStep.objects.filter(claim=open_claim, code="D6").update(
            status=EightDStep.Status.APPROVED, decided_at=D6_APPROVED
        )
        claim = file_claim(
            actor=user_a, part=part_a, symptom=BURR, production_date=dt.date(2026, 4, 1)
        )
        assert repeat_failure_of(claim) is None

    def test_other_part_or_other_symptom_is_not_a_repeat(self, earlier, customer_a, user_a):
        other_part = PartFactory(customer=customer_a, customer_part_number="B-200")
        on_other_part = file_claim(
            actor=user_a, part=other_part, symptom=BURR, production_date=dt.date(2026, 4, 1)
        )
        other_symptom = file_claim(
            actor=user_a, part=earlier.part, symptom=CRACK, production_date=dt.date(2026, 4, 1)
        )
        assert repeat_failure_of(on_other_part) is None
        assert repeat_failure_of(other_symptom) is None


@pytest.mark.django_db
class TestSimilarClaims:
    def test_same_part_or_similar_symptom_newest_first_with_reasons(
        self, customer_a, part_a, user_a
    ):
        other_part = PartFactory(customer=customer_a)
        same_part = file_claim(actor=user_a, part=part_a, symptom=CRACK)
        same_symptom = file_claim(actor=user_a, part=other_part, symptom=BURR)
        file_claim(actor=user_a, part=other_part, symptom="Wrong label on the box")
        file_claim(actor=user_a, part=part_a, symptom=BURR, submit=False)
        claim = file_claim(actor=user_a, part=part_a, symptom=BURR)

        found = similar_claims(claim, user_a)

        assert [item.claim for item in found] == [same_symptom, same_part]
        assert [str(r) for r in found[0].reasons] == ["similar symptom"]
        assert [str(r) for r in found[1].reasons] == ["same part"]

    def test_limit_and_bounded_queries(self, part_a, user_a, django_assert_max_num_queries):
        for _ in range(8):
            file_claim(actor=user_a, part=part_a, symptom=BURR)
        claim = file_claim(actor=user_a, part=part_a, symptom=BURR)
        with django_assert_max_num_queries(2):
            found = similar_claims(claim, user_a, limit=5)
        assert len(found) == 5

    def test_symptom_matches_on_other_parts_cost_one_query_more_at_most(
        self, customer_a, part_a, user_a, django_assert_max_num_queries
    ):
        other_part = PartFactory(customer=customer_a)
        for _ in range(4):
            file_claim(actor=user_a, part=other_part, symptom=BURR)
            file_claim(actor=user_a, part=other_part, symptom=CRACK)
        file_claim(actor=user_a, part=part_a, symptom=CRACK)
        claim = file_claim(actor=user_a, part=part_a, symptom=BURR)
        with django_assert_max_num_queries(3):
            found = similar_claims(claim, user_a, limit=5)
        assert len(found) == 5
        # The same-part claim and the four newest similar symptoms; no crack on the other part.
        assert sum(1 for item in found if item.claim.symptom == BURR) == 4
        assert all(item.claim.part_id == part_a.pk for item in found if item.claim.symptom == CRACK)

    def test_another_customers_claims_are_never_similar(
        self, customer_b, part_a, user_a, user_b, engineer
    ):
        claim_a = file_claim(actor=user_a, part=part_a, symptom=BURR)
        part_b = PartFactory(customer=customer_b, customer_part_number="A-100")
        claim_b = file_claim(actor=user_b, part=part_b, symptom=BURR)

        assert similar_claims(claim_b, user_b) == []
        assert similar_claims(claim_b, engineer) == []
        assert similar_claims(claim_a, user_b) == []


def _agree(customer, actor, **thresholds):
    requirements = customer.requirements
    customer_services.requirements_update(requirements=requirements, actor=actor, **thresholds)


def _fresh(claim):
    return Claim.objects.select_related("customer__requirements", "part").get(pk=claim.pk)


@pytest.mark.django_db
class TestCustomerThresholds:
    """Each customer agrees how alike symptoms must be and how far back to look."""

    # Shares 2 of 8 words with BURR (25 %) and 3 of 6 (50 %) respectively.
    QUARTER = "Burr at mounting, crack at flange edge, dent"
    HALF = "Burr at mounting hole, crack at flange"

    def test_a_lower_similar_threshold_shows_more_claims(self, customer_a, part_a, user_a, manager):
        assert symptom_similarity(BURR, self.QUARTER) == 0.25
        other = file_claim(
            actor=user_a, part=PartFactory(customer=customer_a), symptom=self.QUARTER
        )
        claim = file_claim(actor=user_a, part=part_a, symptom=BURR)
        assert similar_claims(_fresh(claim), user_a) == []

        _agree(customer_a, manager, similar_symptom_percent=20)

        found = similar_claims(_fresh(claim), user_a)
        assert [item.claim for item in found] == [other]
        assert [str(r) for r in found[0].reasons] == ["similar symptom"]

    def test_a_higher_repeat_threshold_turns_a_repeat_into_a_similar_claim(
        self, earlier, customer_a, part_a, user_a, manager
    ):
        assert symptom_similarity(BURR, self.HALF) == 0.5
        claim = file_claim(
            actor=user_a, part=part_a, symptom=self.HALF, production_date=dt.date(2026, 4, 1)
        )
        assert repeat_failure_of(_fresh(claim)) == earlier

        _agree(customer_a, manager, repeat_symptom_percent=60)

        assert repeat_failure_of(_fresh(claim)) is None
        assert [item.claim for item in similar_claims(_fresh(claim), user_a)] == [earlier]

    def test_a_lower_repeat_threshold_finds_a_repeat(
        self, earlier, customer_a, part_a, user_a, manager
    ):
        claim = file_claim(
            actor=user_a, part=part_a, symptom=self.QUARTER, production_date=dt.date(2026, 4, 1)
        )
        assert repeat_failure_of(_fresh(claim)) is None

        _agree(customer_a, manager, repeat_symptom_percent=25)

        assert repeat_failure_of(_fresh(claim)) == earlier

    def test_claims_before_the_look_back_are_not_similar(self, customer_a, part_a, user_a, manager):
        old = file_claim(actor=user_a, part=part_a, symptom=BURR)
        Claim.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=100))
        claim = file_claim(actor=user_a, part=part_a, symptom=CRACK)
        assert [item.claim for item in similar_claims(_fresh(claim), user_a)] == [old]

        _agree(customer_a, manager, similar_lookback_days=30)

        assert similar_claims(_fresh(claim), user_a) == []

    def test_another_customers_thresholds_do_not_apply(
        self, customer_a, customer_b, part_a, user_a, manager
    ):
        file_claim(actor=user_a, part=PartFactory(customer=customer_a), symptom=self.QUARTER)
        claim = file_claim(actor=user_a, part=part_a, symptom=BURR)

        _agree(customer_b, manager, similar_symptom_percent=1)

        assert similar_claims(_fresh(claim), user_a) == []


@pytest.mark.django_db
class TestClaimPage:
    def test_shows_the_repeat_alert_and_the_similar_claims_card(
        self, client_for, earlier, part_a, user_a, engineer
    ):
        claim = file_claim(
            actor=user_a, part=part_a, symptom=BURR, production_date=dt.date(2026, 4, 1)
        )
        for user in (user_a, engineer):
            response = client_for(user).get(reverse("claims:claim-detail", args=[claim.pk]))
            html = response.content.decode()
            assert response.status_code == 200
            assert "Repeat failure" in html
            assert "Similar claims" in html
            assert earlier.get_absolute_url() in html

    def test_no_repeat_badge_and_an_empty_card(self, client_for, part_a, user_a):
        claim = file_claim(actor=user_a, part=part_a, symptom=BURR)
        html = client_for(user_a).get(claim.get_absolute_url()).content.decode()
        assert "Similar claims" in html
        assert "Repeat failure" not in html
        assert "No other claims on this part or with a similar symptom." in html
