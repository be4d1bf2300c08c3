import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Cause, Claim, CorrectiveAction, EightDStep
from claims.similarity import (
    Reason,
    repeat_failures_of,
    similar_claims,
    symptom_similarity,
    symptom_words,
)
from core.models import Action
from customers import services as customer_services
from customers.tests.factories import PartFactory

from .factories import file_claim, fill_step

# The corrective actions went live on 10 March; D6 was approved in the portal only in July.
IMPLEMENTED = dt.date(2026, 3, 10)
D6_APPROVED = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)
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
    CorrectiveAction.objects.filter(claim=claim).update(implemented_on=IMPLEMENTED)
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
        assert repeat_failures_of(claim, user_a) == [earlier]

    def test_another_revision_of_the_customer_part_number_counts(
        self, earlier, customer_a, part_a, user_a
    ):
        revision_b = PartFactory(customer=customer_a, customer_part_number="a-100", revision="B")
        claim = file_claim(
            actor=user_a, part=revision_b, symptom=BURR, production_date=dt.date(2026, 4, 1)
        )
        assert repeat_failures_of(claim, user_a) == [earlier]

    @pytest.mark.parametrize("produced", [dt.date(2026, 3, 10), dt.date(2026, 3, 1)])
    def test_produced_on_or_before_the_implementation_is_not_a_repeat(
        self, earlier, part_a, user_a, produced
    ):
        claim = file_claim(actor=user_a, part=part_a, symptom=BURR, production_date=produced)
        assert repeat_failures_of(claim, user_a) == []

    def test_unknown_production_date_is_only_similar(self, earlier, part_a, user_a):
        claim = file_claim(actor=user_a, part=part_a, symptom=BURR, production_date=None)
        assert repeat_failures_of(claim, user_a) == []
        assert [item.claim for item in similar_claims(claim, user_a)] == [earlier]

    def test_a_reopened_earlier_claim_is_not_repeated(self, earlier, part_a, user_a, engineer):
        services.claim_reopen(claim=earlier, actor=engineer, reason="Action not effective")
        claim = file_claim(
            actor=user_a, part=part_a, symptom=BURR, production_date=dt.date(2026, 4, 1)
        )
        assert repeat_failures_of(claim, user_a) == []

    def test_other_part_or_other_symptom_is_not_a_repeat(self, earlier, customer_a, user_a):
        other_part = PartFactory(customer=customer_a, customer_part_number="B-200")
        on_other_part = file_claim(
            actor=user_a, part=other_part, symptom=BURR, production_date=dt.date(2026, 4, 1)
        )
        other_symptom = file_claim(
            actor=user_a, part=earlier.part, symptom=CRACK, production_date=dt.date(2026, 4, 1)
        )
        assert repeat_failures_of(on_other_part, user_a) == []
        assert repeat_failures_of(other_symptom, user_a) == []


def _implemented(claim, *days):
    """Record when each corrective action of ``claim`` went live, in the order they were chosen."""
    links = list(CorrectiveAction.objects.filter(claim=claim).order_by("pk"))
    assert len(links) == len(days)
    for link, day in zip(links, days, strict=True):
        CorrectiveAction.objects.filter(pk=link.pk).update(implemented_on=day)
    return links


def _rule_out(link):
    Cause.objects.filter(actions=link).update(status=Cause.Status.RULED_OUT, is_root_cause=False)


def _unverify(link):
    Cause.objects.filter(actions=link).update(status=Cause.Status.SUSPECTED)


def _make_preventive(link):
    Action.objects.filter(pk=link.action_id).update(kind=Action.Kind.PREVENTIVE)


def _cancel(link):
    Action.objects.filter(pk=link.action_id).update(status=Action.Status.CANCELLED)


@pytest.mark.django_db
class TestImplementationDate:
    """The D6 implementation date decides, not the day D6 was approved in the portal (issue 22)."""

    def test_produced_after_implementation_but_before_approval_is_a_repeat(
        self, earlier, part_a, user_a
    ):
        _implemented(earlier, dt.date(2026, 5, 1), dt.date(2026, 5, 1))
        EightDStep.objects.filter(claim=earlier, code="D6").update(
            decided_at=dt.datetime(2026, 6, 20, 9, 0, tzinfo=dt.UTC)
        )
        claim = file_claim(
            actor=user_a, part=part_a, symptom=BURR, production_date=dt.date(2026, 6, 10)
        )
        assert repeat_failures_of(claim, user_a) == [earlier]

    @pytest.mark.parametrize("produced", [dt.date(2026, 4, 30), dt.date(2026, 5, 1)])
    def test_produced_before_or_on_the_implementation_day_is_not_a_repeat(
        self, earlier, part_a, user_a, produced
    ):
        _implemented(earlier, dt.date(2026, 5, 1), dt.date(2026, 5, 1))
        claim = file_claim(actor=user_a, part=part_a, symptom=BURR, production_date=produced)
        assert repeat_failures_of(claim, user_a) == []

    def test_the_latest_implementation_decides(self, earlier, part_a, user_a):
        _implemented(earlier, dt.date(2026, 4, 1), dt.date(2026, 5, 1))
        between = file_claim(
            actor=user_a, part=part_a, symptom=BURR, production_date=dt.date(2026, 4, 20)
        )
        after_both = file_claim(
            actor=user_a, part=part_a, symptom=BURR, production_date=dt.date(2026, 5, 2)
        )
        assert repeat_failures_of(between, user_a) == []
        assert repeat_failures_of(after_both, user_a) == [earlier]

    @pytest.mark.parametrize(
        "not_counted", [_rule_out, _unverify, _make_preventive, _cancel], ids=lambda f: f.__name__
    )
    def test_only_corrective_actions_on_verified_root_causes_count(
        self, earlier, part_a, user_a, not_counted
    ):
        # The second action went live last, in July; once it does not count, 1 April decides.
        _, late = _implemented(earlier, dt.date(2026, 4, 1), dt.date(2026, 7, 1))
        claim = file_claim(
            actor=user_a, part=part_a, symptom=BURR, production_date=dt.date(2026, 6, 10)
        )
        assert repeat_failures_of(claim, user_a) == []

        not_counted(late)

        assert repeat_failures_of(_fresh(claim), user_a) == [earlier]

    def test_an_action_on_a_ruled_out_cause_alone_proves_nothing(self, earlier, part_a, user_a):
        for link in _implemented(earlier, dt.date(2026, 4, 1), dt.date(2026, 4, 1)):
            _rule_out(link)
        claim = file_claim(
            actor=user_a, part=part_a, symptom=BURR, production_date=dt.date(2026, 6, 10)
        )
        assert repeat_failures_of(claim, user_a) == []

    def test_an_action_without_implementation_date_is_not_in_place(self, earlier, part_a, user_a):
        _implemented(earlier, dt.date(2026, 4, 1), None)
        claim = file_claim(
            actor=user_a, part=part_a, symptom=BURR, production_date=dt.date(2026, 6, 10)
        )
        assert repeat_failures_of(claim, user_a) == []

    def test_every_repeated_claim_is_named_latest_implementation_first(
        self, client_for, earlier, part_a, user_a, engineer
    ):
        second = _closed_through_8d(
            file_claim(actor=user_a, part=part_a, symptom=BURR), engineer, user_a
        )
        _implemented(second, dt.date(2026, 5, 1), dt.date(2026, 5, 1))
        claim = file_claim(
            actor=user_a, part=part_a, symptom=BURR, production_date=dt.date(2026, 6, 10)
        )

        assert repeat_failures_of(claim, user_a) == [second, earlier]
        html = client_for(user_a).get(claim.get_absolute_url()).content.decode()
        assert html.count("Repeated by this claim") == 2
        assert "corrective action implemented on 10 Mar 2026" in html
        assert "corrective action implemented on 1 May 2026" in html


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
        assert list(found[0].reasons) == [Reason.SIMILAR_SYMPTOM]
        assert list(found[1].reasons) == [Reason.SAME_PART]

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
        assert list(found[0].reasons) == [Reason.SIMILAR_SYMPTOM]

    def test_a_higher_repeat_threshold_turns_a_repeat_into_a_similar_claim(
        self, earlier, customer_a, part_a, user_a, manager
    ):
        assert symptom_similarity(BURR, self.HALF) == 0.5
        claim = file_claim(
            actor=user_a, part=part_a, symptom=self.HALF, production_date=dt.date(2026, 4, 1)
        )
        assert repeat_failures_of(_fresh(claim), user_a) == [earlier]

        _agree(customer_a, manager, repeat_symptom_percent=60)

        assert repeat_failures_of(_fresh(claim), user_a) == []
        assert [item.claim for item in similar_claims(_fresh(claim), user_a)] == [earlier]

    def test_a_lower_repeat_threshold_finds_a_repeat(
        self, earlier, customer_a, part_a, user_a, manager
    ):
        claim = file_claim(
            actor=user_a, part=part_a, symptom=self.QUARTER, production_date=dt.date(2026, 4, 1)
        )
        assert repeat_failures_of(_fresh(claim), user_a) == []

        _agree(customer_a, manager, repeat_symptom_percent=25)

        assert repeat_failures_of(_fresh(claim), user_a) == [earlier]

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


@pytest.mark.django_db
class TestClaimApi:
    def _detail(self, user, claim, api_client_for) -> dict:
        response = api_client_for(user).get(f"/api/v1/claims/{claim.pk}/")
        assert response.status_code == 200
        return response.json()

    def test_detail_names_the_repeated_and_the_similar_claims(
        self, api_client_for, settings, earlier, part_a, user_a, engineer
    ):
        settings.PORTAL_BASE_URL = "https://quality.example"
        claim = file_claim(
            actor=user_a, part=part_a, symptom=BURR, production_date=dt.date(2026, 4, 1)
        )
        link = {
            "id": earlier.pk,
            "number": earlier.number,
            "url": f"https://quality.example/api/v1/claims/{earlier.pk}/",
        }
        for user in (user_a, engineer):
            body = self._detail(user, claim, api_client_for)
            assert body["repeat_of"] == [link]
            assert body["similar_claims"] == [{**link, "reasons": ["same_part", "similar_symptom"]}]

    def test_not_a_repeat_still_lists_similar_claims(self, api_client_for, earlier, part_a, user_a):
        claim = file_claim(actor=user_a, part=part_a, symptom=BURR, production_date=IMPLEMENTED)
        body = self._detail(user_a, claim, api_client_for)
        assert body["repeat_of"] == []
        assert [item["id"] for item in body["similar_claims"]] == [earlier.pk]

    def test_another_customers_claims_are_never_named(
        self, api_client_for, earlier, customer_b, user_a, user_b, engineer
    ):
        part_b = PartFactory(customer=customer_b, customer_part_number="A-100")
        claim_b = file_claim(
            actor=user_b, part=part_b, symptom=BURR, production_date=dt.date(2026, 4, 1)
        )
        for user in (user_b, engineer):
            body = self._detail(user, claim_b, api_client_for)
            assert (body["repeat_of"], body["similar_claims"]) == ([], [])
        assert api_client_for(user_b).get(f"/api/v1/claims/{earlier.pk}/").status_code == 404

    def test_the_list_leaves_them_out(self, api_client_for, earlier, user_a):
        rows = api_client_for(user_a).get("/api/v1/claims/").json()["results"]
        assert [row["id"] for row in rows] == [earlier.pk]
        assert "repeat_of" not in rows[0] and "similar_claims" not in rows[0]

    def test_the_schema_documents_them_on_the_detail(self, api_client_for, engineer):
        schema = api_client_for(engineer).get("/api/schema/", HTTP_ACCEPT="application/json")
        components = schema.json()["components"]["schemas"]
        paths = schema.json()["paths"]
        detail = paths["/api/v1/claims/{id}/"]["get"]["responses"]["200"]["content"]
        assert detail["application/json"]["schema"] == {"$ref": "#/components/schemas/ClaimDetail"}
        assert components["ClaimDetail"]["allOf"] == [
            {"$ref": "#/components/schemas/Claim"},
            {"$ref": "#/components/schemas/ClaimRelations"},
        ]
        relations = components["ClaimRelations"]["properties"]
        for name, item in (("repeat_of", "ClaimLink"), ("similar_claims", "SimilarClaim")):
            assert relations[name]["readOnly"] is True
            assert relations[name]["items"] == {"$ref": f"#/components/schemas/{item}"}
        assert set(components["ClaimLink"]["properties"]) == {"id", "number", "url"}
        assert set(components["SimilarClaim"]["properties"]) == {"id", "number", "url", "reasons"}
        assert "repeat_of" not in components["Claim"]["properties"]
        listed = paths["/api/v1/claims/"]["get"]["responses"]["200"]["content"]
        page = listed["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert components[page]["properties"]["results"]["items"] == {
            "$ref": "#/components/schemas/Claim"
        }
