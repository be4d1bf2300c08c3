"""Linked claims: a claim attached to another claim's running 8D (claims.linking)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from claims import costs, kpis, linking, reminders, selectors, services
from claims.deadlines import step_deadlines
from claims.eightd import services as eightd
from claims.models import Claim, ClaimEvent, EightDStep, ReminderLog
from claims.workflow import claim_actions_for, step_actions_for
from core.errors import Conflict, DomainError, PermissionDenied
from core.waiting import Party, waiting_filter, waiting_for
from customers.tests.factories import PartFactory
from notifications.models import Notification

from .factories import file_claim, fill_step

pytestmark = pytest.mark.django_db

API = "/api/v1/claims"


def _answer(code, claim, engineer, customer_user):
    """Work discipline ``code`` of ``claim`` and have the customer approve it."""
    step = claim.steps.get(code=code)
    fill_step(claim, code, engineer)
    services.step_save(step=step, actor=engineer, summary=f"{code} done")
    services.step_submit(step=step, actor=engineer)
    services.step_approve(step=step, actor=customer_user)


def _running(actor, part, engineer, status="containment", **fields) -> Claim:
    """A claim filed by ``actor`` and taken by ``engineer`` as far as ``status``."""
    claim = file_claim(actor=actor, part=part, **fields)
    services.claim_acknowledge(claim=claim, actor=engineer)
    if status != "acknowledged":
        services.claim_start_review(claim=claim, actor=engineer)
        if status != "under_review":
            services.claim_accept_responsibility(claim=claim, actor=engineer)
    claim.refresh_from_db()
    return claim


def _fresh(claim) -> Claim:
    return Claim.objects.with_related().get(pk=claim.pk)


@pytest.fixture
def part(customer_a):
    return PartFactory(customer=customer_a)


@pytest.fixture
def assignee(db):
    return UserFactory(email="anna@example.com", full_name="Anna Assigned", role=Role.ENGINEER)


@pytest.fixture
def master(user_a, part, engineer):
    return _running(user_a, part, engineer)


@pytest.fixture
def follower(user_a, part, engineer, assignee):
    """The same failure reported again, with quantities of its own; acknowledged by us."""
    claim = file_claim(
        actor=user_a,
        part=part,
        customer_reference="QN-4712",
        suspect_qty=100,
        nonconforming_qty=5,
        ppm_qty=5,
    )
    services.claim_assign(claim=claim, engineer=assignee, actor=engineer)
    services.claim_acknowledge(claim=claim, actor=engineer)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def linked(follower, master, engineer):
    linking.claim_link(claim=follower, master=master, actor=engineer)
    return _fresh(follower)


# --- attaching -----------------------------------------------------------------------------------


class TestLink:
    def test_the_claim_follows_the_master_and_its_own_steps_lose_their_deadlines(
        self, follower, master, engineer, user_a, assignee
    ):
        assert follower.steps.filter(due_at__isnull=False).count() == 9

        linking.claim_link(claim=follower, master=master, actor=engineer)

        claim = _fresh(follower)
        assert claim.master == master
        assert claim.status == master.status == Claim.Status.CONTAINMENT
        assert claim.responsibility == Claim.Responsibility.ACCEPTED
        assert claim.steps.count() == 9  # kept, not deleted
        assert not claim.steps.filter(due_at__isnull=False).exists()
        assert (claim.suspect_qty, claim.nonconforming_qty, claim.ppm_qty) == (100, 5, 5)
        own = ClaimEvent.objects.get(claim=claim, action="link")
        assert (own.from_status, own.to_status, own.comment) == (
            "acknowledged",
            "containment",
            master.number,
        )
        assert ClaimEvent.objects.get(claim=master, action="link").comment == claim.number
        told = Notification.objects.filter(kind="claims.linked")
        assert set(told.values_list("recipient", flat=True)) == {user_a.pk, assignee.pk}
        assert master.number in told.first().title

    def test_a_submitted_claim_is_taken_as_received(self, user_a, part, master, engineer):
        claim = file_claim(actor=user_a, part=part)
        linking.claim_link(claim=claim, master=master, actor=engineer)
        claim.refresh_from_db()
        assert claim.status == Claim.Status.CONTAINMENT and claim.acknowledged_at is not None
        assert not claim.steps.exists()

    def test_a_similar_symptom_on_another_part_is_the_same_failure(
        self, user_a, customer_a, master, engineer
    ):
        claim = file_claim(actor=user_a, part=PartFactory(customer=customer_a))
        linking.claim_link(claim=claim, master=master, actor=engineer)
        assert _fresh(claim).master == master

    def test_the_attach_form_offers_the_same_part_first_then_similar_symptoms(
        self, follower, master, user_a, customer_a, engineer
    ):
        similar = _running(user_a, PartFactory(customer=customer_a), engineer)
        _running(
            user_a,
            PartFactory(customer=customer_a),
            engineer,
            symptom="Label printed upside down on the carton",
        )
        not_running = file_claim(actor=user_a, part=follower.part)

        candidates = linking.master_candidates(_fresh(follower), engineer)

        assert candidates == [master, similar]
        assert not_running not in candidates


@dataclass
class World:
    user_a: object
    user_b: object
    engineer: object
    part: object
    master: Claim
    follower: Claim


def _other_customer(w):
    part_b = PartFactory(customer=w.user_b.customer)
    return w.follower, _running(w.user_b, part_b, w.engineer), w.engineer


def _other_failure(w):
    other_part = PartFactory(customer=w.part.customer)
    symptom = "Label printed upside down on the carton"
    return w.follower, _running(w.user_a, other_part, w.engineer, symptom=symptom), w.engineer


def _master_not_running(w):
    return w.follower, file_claim(actor=w.user_a, part=w.part), w.engineer


def _master_itself_linked(w):
    linking.claim_link(claim=w.follower, master=w.master, actor=w.engineer)
    third = file_claim(actor=w.user_a, part=w.part)
    return third, _fresh(w.follower), w.engineer


def _already_linked(w):
    linking.claim_link(claim=w.follower, master=w.master, actor=w.engineer)
    other = _running(w.user_a, w.part, w.engineer)
    return _fresh(w.follower), other, w.engineer


def _followed_claim(w):
    third = file_claim(actor=w.user_a, part=w.part)
    linking.claim_link(claim=third, master=w.master, actor=w.engineer)
    other = _running(w.user_a, w.part, w.engineer)
    return _fresh(w.master), other, w.engineer


def _past_containment(w):
    claim = _running(w.user_a, w.part, w.engineer)
    _answer("D3", claim, w.engineer, w.user_a)
    return _fresh(claim), w.master, w.engineer


def _draft(w):
    return file_claim(actor=w.user_a, part=w.part, submit=False), w.master, w.engineer


def _itself(w):
    return w.master, w.master, w.engineer


def _customer_user(w):
    return w.follower, w.master, w.user_a


REFUSALS = [
    (_other_customer, DomainError, "same customer"),
    (_other_failure, DomainError, "not similar"),
    (_master_not_running, Conflict, "not running"),
    (_master_itself_linked, Conflict, "itself follows"),
    (_already_linked, Conflict, "already follows"),
    (_followed_claim, Conflict, "Other claims follow"),
    (_past_containment, Conflict, "past containment"),
    (_draft, Conflict, "draft"),
    (_itself, DomainError, "its own 8D"),
    (_customer_user, PermissionDenied, "not allowed"),
]


@pytest.mark.parametrize(
    ("build", "error", "says"), REFUSALS, ids=[build.__name__[1:] for build, *_ in REFUSALS]
)
def test_refusals(build, error, says, user_a, user_b, engineer, part, master, follower):
    claim, other, actor = build(World(user_a, user_b, engineer, part, master, follower))
    before = Claim.objects.filter(pk=claim.pk).values("master_id", "status", "version").get()
    links = ClaimEvent.objects.filter(action="link").count()

    with pytest.raises(error) as refused:
        linking.claim_link(claim=claim, master=other, actor=actor)

    assert says in refused.value.message
    if error is DomainError:
        assert refused.value.field == "master"
    assert Claim.objects.filter(pk=claim.pk).values("master_id", "status", "version").get() == (
        before
    )
    assert ClaimEvent.objects.filter(action="link").count() == links


# --- following ------------------------------------------------------------------------------------


class TestFollowing:
    def test_the_linked_claim_follows_every_step_of_the_master_to_closure(
        self, linked, master, engineer, user_a
    ):
        for code, status in [
            ("D0", "containment"),
            ("D1", "containment"),
            ("D2", "containment"),
            ("D3", "root_cause"),
            ("D4", "corrective_action"),
            ("D5", "corrective_action"),
            ("D6", "prevention"),
            ("D7", "customer_evaluation"),
        ]:
            _answer(code, master, engineer, user_a)
            assert _fresh(linked).status == status, code
        d8 = master.steps.get(code="D8")
        fill_step(master, "D8", engineer)
        services.step_submit(step=d8, actor=engineer)
        services.claim_customer_accept(claim=master, actor=user_a)

        master.refresh_from_db()
        claim = _fresh(linked)
        assert claim.status == Claim.Status.CLOSED
        assert claim.closed_at == master.closed_at is not None
        moves = ClaimEvent.objects.filter(claim=claim, action="follow_master").order_by("pk")
        assert [(e.from_status, e.to_status) for e in moves] == [
            ("containment", "root_cause"),
            ("root_cause", "corrective_action"),
            ("corrective_action", "prevention"),
            ("prevention", "customer_evaluation"),
            ("customer_evaluation", "closed"),
        ]
        assert {e.comment for e in moves} == {master.number}
        # Its own 8D stayed untouched, and its quantities are its own.
        assert not claim.steps.exclude(status=EightDStep.Status.OPEN).exists()
        assert (claim.suspect_qty, claim.nonconforming_qty, claim.ppm_qty) == (100, 5, 5)

    def test_a_rejected_master_takes_its_followers_along(self, user_a, part, engineer, follower):
        master = _running(user_a, part, engineer, status="under_review")
        linking.claim_link(claim=follower, master=master, actor=engineer)
        services.claim_reject_responsibility(
            claim=master, actor=engineer, reason_code="no_fault_found", reason="All parts OK"
        )
        claim = _fresh(follower)
        assert claim.status == Claim.Status.REJECTED and claim.closed_at is not None
        assert claim.responsibility == Claim.Responsibility.REJECTED
        assert claim.rejection_reason == "All parts OK"

    def test_it_keeps_its_own_costs_and_counts_once_in_ppm_with_its_own_quantity(
        self, linked, master, engineer
    ):
        line = costs.cost_line_add(
            claim=linked, actor=engineer, category="sorting", quantity="2", unit="h", rate="40"
        )
        assert line.claim_id == linked.pk
        assert not master.costs.exists()

        assert set(selectors.counted_in_ppm().values_list("pk", flat=True)) == {
            master.pk,
            linked.pk,
        }
        start, end = timezone.now() - dt.timedelta(days=1), timezone.now() + dt.timedelta(days=1)
        assert kpis.pareto("kind", start, end, customer_id=master.customer_id) == [
            ("0 km", master.ppm_qty + 5)
        ]

    def test_its_own_8d_is_closed_to_work(self, linked, master, engineer, user_a):
        refusal = f"follows the 8D of {master.number}"
        with pytest.raises(Conflict, match=refusal):
            services.claim_start_review(claim=linked, actor=engineer)
        with pytest.raises(Conflict, match=refusal):
            services.step_save(step=linked.steps.get(code="D2"), actor=engineer, summary="x")
        with pytest.raises(Conflict, match=refusal):
            eightd.team_member_save(claim=linked, actor=engineer, name="Anna", role="leader")
        with pytest.raises(Conflict, match=refusal):
            services.claim_customer_reject(claim=linked, actor=user_a, reason="No")
        assert claim_actions_for(linked, engineer) == []
        assert step_actions_for(linked.steps.get(code="D2"), linked, engineer) == []
        # What stays its own: the engineer, the comments.
        services.claim_assign(claim=linked, engineer=engineer, actor=engineer)
        services.comment_add(claim=linked, actor=user_a, body="Same failure, other lot")

    def test_no_deadline_of_its_own_runs(self, user_a, part, master, engineer):
        late = timezone.now() - dt.timedelta(days=60)
        claim = file_claim(actor=engineer, customer=user_a.customer, part=part, notified_at=late)
        services.claim_acknowledge(claim=claim, actor=engineer)
        assert Claim.objects.overdue().filter(pk=claim.pk).exists()

        linking.claim_link(claim=claim, master=master, actor=engineer)

        assert not Claim.objects.overdue().filter(pk=claim.pk).exists()
        listed = selectors.with_next_due(Claim.objects.filter(pk=claim.pk)).get()
        assert listed.next_due_at is None
        reminders.deadline_reminders_send(now=timezone.now())
        assert not ReminderLog.objects.filter(step__claim=claim).exists()

    def test_whose_turn_it_is_names_the_master(self, linked, master, engineer, assignee):
        turn = waiting_for(linked)
        assert turn.party == Party.US and turn.who == str(assignee)
        assert turn.action == f"work on the 8D of {master.number}"
        assert waiting_for(linked.steps.get(code="D3")) is None
        steps = waiting_filter(EightDStep.objects.filter(claim=linked), Party.US)
        assert not steps.exists()


# --- detaching -----------------------------------------------------------------------------------


class TestUnlink:
    def test_before_the_root_cause_is_approved_the_claim_gets_its_deadlines_back(
        self, linked, master, engineer, user_a
    ):
        _answer("D3", master, engineer, user_a)
        assert _fresh(linked).status == Claim.Status.ROOT_CAUSE

        linking.claim_unlink(claim=linked, actor=engineer, reason="Another failure after all")

        claim = _fresh(linked)
        assert claim.master is None and claim.status == Claim.Status.ROOT_CAUSE
        due = step_deadlines(claim)
        assert {step.code: step.due_at for step in claim.steps.all()} == due
        assert ClaimEvent.objects.get(claim=claim, action="unlink").comment == (
            f"{master.number}: Another failure after all"
        )
        assert ClaimEvent.objects.get(claim=master, action="unlink").comment.startswith(
            claim.number
        )
        # Its own 8D is worked on again.
        services.step_save(step=claim.steps.get(code="D4"), actor=engineer, summary="Own cause")

    def test_a_claim_attached_before_its_receipt_gets_its_steps(
        self, user_a, part, master, engineer
    ):
        claim = file_claim(actor=user_a, part=part)
        linking.claim_link(claim=claim, master=master, actor=engineer)
        linking.claim_unlink(claim=claim, actor=engineer)
        assert claim.steps.filter(due_at__isnull=False).count() == 9

    def test_once_the_masters_root_cause_is_approved_the_claims_stay_together(
        self, linked, master, engineer, user_a
    ):
        _answer("D3", master, engineer, user_a)
        _answer("D4", master, engineer, user_a)
        before = Claim.objects.filter(pk=linked.pk).values().get()

        with pytest.raises(Conflict, match="root cause"):
            linking.claim_unlink(claim=linked, actor=engineer)

        assert Claim.objects.filter(pk=linked.pk).values().get() == before
        assert linking.detach_refusal(_fresh(master))

    def test_refused_for_a_claim_that_follows_nobody_and_for_customers(
        self, linked, follower, master, user_a
    ):
        with pytest.raises(Conflict):
            linking.claim_unlink(claim=master, actor=UserFactory(role=Role.ENGINEER))
        with pytest.raises(PermissionDenied):
            linking.claim_unlink(claim=linked, actor=user_a)
        assert _fresh(linked).master == master


# --- the API -------------------------------------------------------------------------------------


class TestApi:
    def test_link_show_and_unlink_refused_after_d4(
        self, api_client_for, follower, master, engineer, user_a
    ):
        api = api_client_for(engineer)
        response = api.post(f"{API}/{follower.pk}/link/", {"master": master.pk}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["master"] == master.number
        assert response.json()["status"] == "containment"

        assert api.get(f"{API}/{master.pk}/").json()["linked_claims"] == [follower.number]
        shown = api.get(f"{API}/{follower.pk}/").json()
        assert (shown["master"], shown["linked_claims"]) == (master.number, [])

        _answer("D3", master, engineer, user_a)
        _answer("D4", master, engineer, user_a)
        response = api.post(f"{API}/{follower.pk}/unlink/", {}, format="json")
        assert response.status_code == 409
        assert "root cause" in response.json()["detail"]

    def test_unlink_before_d4(self, api_client_for, linked, engineer):
        response = api_client_for(engineer).post(
            f"{API}/{linked.pk}/unlink/", {"reason": "Other failure"}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["master"] is None

    def test_refusals_answer_400_403_and_404(
        self, api_client_for, follower, master, engineer, user_a, user_b, customer_a
    ):
        other = _running(
            user_a, PartFactory(customer=customer_a), engineer, symptom="Label upside down"
        )
        staff = api_client_for(engineer)
        response = staff.post(f"{API}/{follower.pk}/link/", {"master": other.pk}, format="json")
        assert response.status_code == 400 and "master" in response.json()

        mine = api_client_for(user_a).post(
            f"{API}/{follower.pk}/link/", {"master": master.pk}, format="json"
        )
        assert mine.status_code == 403
        for action in ("link", "unlink"):
            theirs = api_client_for(user_b).post(
                f"{API}/{follower.pk}/{action}/", {"master": master.pk}, format="json"
            )
            assert theirs.status_code == 404, action
        assert _fresh(follower).master is None


# --- the claim page ------------------------------------------------------------------------------


def _page(client, claim) -> str:
    response = client.get(reverse("claims:claim-detail", args=[claim.pk]))
    assert response.status_code == 200
    return response.content.decode()


class TestPage:
    def test_staff_attach_from_the_page_and_see_the_masters_steps(
        self, client_for, follower, master, engineer
    ):
        client = client_for(engineer)
        page = _page(client, follower)
        assert 'id="attach"' in page and f'value="{master.pk}"' in page

        response = client.post(
            reverse("claims:claim-link", args=[follower.pk]),
            {"master": master.pk, "version": _fresh(follower).version},
        )

        assert response.status_code == 302
        assert _fresh(follower).master == master
        page = _page(client, follower)
        assert f"This claim follows the 8D of {master.number}" in page
        assert 'id="master-step-D3"' in page and 'id="step-D3"' not in page
        assert 'id="detach"' in page and 'id="attach"' not in page
        assert f"{follower.number}</a>" in _page(client, master)

    def test_staff_detach_from_the_page(self, client_for, linked, engineer):
        client = client_for(engineer)
        response = client.post(
            reverse("claims:claim-unlink", args=[linked.pk]),
            {"reason": "Other failure", "version": linked.version},
        )
        assert response.status_code == 302
        assert _fresh(linked).master is None

    def test_a_refused_attach_says_why(self, client_for, follower, engineer, user_a, customer_a):
        other = _running(user_a, PartFactory(customer=customer_a), engineer, symptom="Label")
        client = client_for(engineer)
        response = client.post(
            reverse("claims:claim-link", args=[follower.pk]),
            {"master": other.pk, "version": _fresh(follower).version},
            follow=True,
        )
        assert "not similar" in response.content.decode()
        assert _fresh(follower).master is None

    def test_the_customer_reads_the_link_without_the_forms(
        self, client_for, linked, master, user_a, user_b
    ):
        client = client_for(user_a)
        page = _page(client, linked)
        assert f"This claim follows the 8D of {master.number}" in page
        assert 'id="master-step-D3"' in page
        assert 'id="detach"' not in page
        master_page = _page(client, master)
        assert 'id="linked-claims"' in master_page and "QN-4712" in master_page
        assert 'id="attach"' not in master_page

        response = client.post(
            reverse("claims:claim-unlink", args=[linked.pk]), {"version": linked.version}
        )
        assert response.status_code == 403
        other = client_for(user_b)
        assert other.get(reverse("claims:claim-detail", args=[linked.pk])).status_code == 404
        response = other.post(reverse("claims:claim-link", args=[linked.pk]), {})
        assert response.status_code == 404
        assert _fresh(linked).master == master
