"""The demo data: complete, idempotent, and every demo login works."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from accounts.models import User
from accounts.roles import Role
from claims import costs
from claims import demo as claims_demo
from claims.documents import render_claim_8d
from claims.eightd.rules import submit_problems
from claims.models import (
    Cause,
    Claim,
    ClaimComment,
    ClaimCost,
    ClaimCostSheet,
    ClaimEvent,
    ClaimImport,
    Containment,
    CorrectiveAction,
    EightDStep,
)
from claims.tests.factories import file_claim
from core.management.commands.seed_demo import demo_modules
from core.models import Action, Attachment
from customers.demo import (
    DEMO_PASSWORD,
    demo_logins,
    easter_sunday,
    german_holidays,
    seed_demo,
    spanish_holidays,
    us_holidays,
)
from customers.models import Contact, Customer, CustomerRequirements, Holiday, Part, Plant

TODAY = dt.date(2026, 3, 10)
MODELS = (Customer, CustomerRequirements, Contact, Holiday, Plant, Part, User, Action)
CLAIM_MODELS = (Claim, EightDStep, ClaimEvent, ClaimComment, Attachment, ClaimCostSheet, ClaimCost)
# A chargeback belongs to a claim we accepted as ours and have contained already.
NOT_YET_CHARGEABLE = {"draft", "submitted", "acknowledged", "under_review", "containment"}


def _counts(models=MODELS):
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def seeded(db):
    return seed_demo(today=TODAY)


@pytest.fixture(scope="class")
def demo_world(django_db_setup, django_db_blocker):
    """What ``seed_demo`` loads, claims included: seeded once per test class, rolled back after.

    Filing forty claims and writing their 8Ds takes seconds; the tests of a class share one
    seed the way Django's ``setUpTestData`` does, and each test's own changes still roll back.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        for module in demo_modules():
            module.seed(today=TODAY)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def everything(demo_world, db):
    """The whole demo world, for one test."""


def test_seed_creates_the_demo_world(seeded):
    assert set(Customer.objects.values_list("code", flat=True)) == {
        "AUTOWERK",
        "BRENNER",
        "CALDERA",
    }
    assert Plant.objects.count() == 2
    assert 25 <= Part.objects.count() <= 40
    assert Part.objects.filter(safety_relevant=True).exists()
    for customer in Customer.objects.all():
        assert customer.parts.exists()
        assert customer.contacts.exists()
        assert customer.supplier_number and customer.city and customer.time_zone
    assert set(Part.objects.values_list("plant__code", flat=True)) == {"HEILBRONN", "BRNO"}


def test_seeding_twice_changes_nothing(seeded):
    before = _counts()
    history_before = Part.history.count()

    seed_demo(today=TODAY)

    assert _counts() == before
    assert Part.history.count() == history_before


def test_requirements_differ_between_customers(seeded):
    autowerk = Customer.objects.get(code="AUTOWERK").requirements
    brenner = Customer.objects.get(code="BRENNER").requirements
    assert brenner.deadline("d8") == (60, "calendar")
    assert brenner.deadline("d3") == (2, "working")
    assert autowerk.deadline("d8") == (30, "calendar")
    assert autowerk.deadline("d3") == (1, "working")


def test_holidays_cover_this_year_and_next(seeded):
    autowerk = Customer.objects.get(code="AUTOWERK")
    days = set(autowerk.holidays.values_list("date", flat=True))
    assert dt.date(2026, 4, 3) in days  # Good Friday 2026
    assert dt.date(2027, 10, 3) in days  # German Unity Day
    assert not any(day.year == 2028 for day in days)
    brenner = Customer.objects.get(code="BRENNER")
    assert brenner.holidays.filter(date=dt.date(2026, 11, 26), name="Thanksgiving Day").exists()


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, dt.date(2024, 3, 31)), (2025, dt.date(2025, 4, 20)), (2026, dt.date(2026, 4, 5)),
     (2027, dt.date(2027, 3, 28)), (2038, dt.date(2038, 4, 25))],
)  # fmt: skip
def test_easter_sunday(year, expected):
    assert easter_sunday(year) == expected


def test_holiday_calendars():
    assert german_holidays(2025)[dt.date(2025, 6, 9)] == "Whit Monday"
    assert german_holidays(2025)[dt.date(2025, 5, 29)] == "Ascension Day"
    us_2026 = us_holidays(2026)
    assert us_2026[dt.date(2026, 7, 3)] == "Independence Day"  # 4 July is a Saturday
    assert us_2026[dt.date(2026, 5, 25)] == "Memorial Day"
    assert us_2026[dt.date(2026, 1, 19)] == "Martin Luther King Jr. Day"
    assert us_holidays(2027)[dt.date(2027, 12, 24)] == "Christmas Day"  # a Saturday
    assert spanish_holidays(2026)[dt.date(2026, 4, 3)] == "Viernes Santo"
    assert len(spanish_holidays(2026)) == 10


def test_every_demo_login_has_its_role(seeded):
    logins = {login.email: login for login in demo_logins()}
    assert set(logins) == {
        "admin@demo.example",
        "manager@demo.example",
        "engineer@demo.example",
        "quality@autowerk.example",
        "quality@brenner.example",
        "quality@caldera.example",
    }
    for login in logins.values():
        user = User.objects.get(email=login.email)
        assert user.check_password(DEMO_PASSWORD)
        assert user.role == login.role
        assert user.full_name and user.job_title
    admin = User.objects.get(email="admin@demo.example")
    assert admin.is_staff and admin.is_superuser and admin.role == Role.ADMIN
    assert not User.objects.get(email="manager@demo.example").is_staff
    caldera_user = User.objects.get(email="quality@caldera.example")
    assert caldera_user.customer.code == "CALDERA"
    assert caldera_user.is_customer_user


def test_demo_logins_authenticate(seeded, rf):
    for login in demo_logins():
        request = rf.post("/accounts/login/")
        user = authenticate(request, username=login.email, password=login.password)
        assert user is not None and user.email == login.email


def test_open_actions_some_overdue(seeded):
    actions = Action.objects.open()
    assert actions.count() >= 4
    assert actions.overdue(today=TODAY).exists()
    assert actions.filter(due_date__gte=TODAY).exists()
    assert {a.record_type for a in actions} == {"customers.part"}
    assert all(a.owner.is_internal for a in actions)


def test_seed_hooks_run_in_dependency_order():
    names = [module.__name__ for module in demo_modules()]

    # Customers come first: every other app's demo builds on its parts and users.
    assert names[0] == "customers.demo"
    assert "claims.demo" in names
    # Notifications last: it turns what the others caused into a history.
    assert names[-1] == "notifications.demo"


def test_command_prints_the_logins_and_is_repeatable(db):
    first, second = io.StringIO(), io.StringIO()

    call_command("seed_demo", "--today", TODAY.isoformat(), stdout=first)
    counts = _counts(MODELS + CLAIM_MODELS)
    call_command("seed_demo", "--today", TODAY.isoformat(), stdout=second)

    assert counts["Claim"] >= 35
    assert _counts(MODELS + CLAIM_MODELS) == counts
    for output in (first.getvalue(), second.getvalue()):
        assert "quality@brenner.example" in output
        assert DEMO_PASSWORD in output
        assert "Quality manager" in output
        assert "with overdue 8D steps." in output
    assert "40 filed" in first.getvalue() and "0 filed" in second.getvalue()


def test_demo_costs_skip_a_claim_that_cannot_be_charged(seeded):
    customer_user = User.objects.get(email="quality@autowerk.example")
    part = Part.objects.get(part_number="HN-21-1010")
    draft = file_claim(
        actor=customer_user, part=part, customer_reference="AW-QN-2026-0047", submit=False
    )

    claims_demo.seed(today=TODAY)

    assert not ClaimCostSheet.objects.filter(claim=draft).exists()
    assert ClaimCostSheet.objects.filter(status="disputed").exists()


class TestDemoClaims:
    """The claims part of the demo, seeded once for the class (see ``demo_world``)."""

    def test_demo_claims_cover_the_whole_lifecycle(self, everything):
        claims = Claim.objects.all()
        statuses = set(claims.values_list("status", flat=True))

        assert statuses == set(Claim.Status.values)
        rejections = set(claims.filter(status="rejected").values_list("rejection_code", flat=True))
        assert {"not_our_responsibility", "no_fault_found"} <= rejections
        assert set(claims.values_list("customer__code", flat=True)) == {
            "AUTOWERK",
            "BRENNER",
            "CALDERA",
        }
        assert {"0km", "field"} == set(claims.values_list("kind", flat=True))
        assert len(set(claims.values_list("severity", flat=True))) == 4
        assert claims.overdue().count() >= 3
        assert EightDStep.objects.filter(code="D3", status="submitted").exists()
        assert EightDStep.objects.filter(code="D3", status="approved").exists()
        assert EightDStep.objects.filter(status="sent_back").exists()
        assert ClaimComment.objects.filter(internal=True).exists()
        assert ClaimComment.objects.filter(author__customer__isnull=False).exists()
        assert all(claim.notified_at.date() >= TODAY - dt.timedelta(days=91) for claim in claims)

    def test_every_filed_demo_claim_has_photos(self, everything):
        # Imported claims come without photos: the import takes none.
        for claim in Claim.objects.exclude(status="draft").exclude(events__action="import"):
            photos = Attachment.objects.for_owner(claim)
            assert 1 <= photos.count() <= 2, claim.customer_reference
            for photo in photos:
                assert photo.mime_type == "image/jpeg"
                assert photo.size < 60 * 1024

    def test_the_customers_work_the_8d_with_us(self, everything):
        linked = Claim.objects.get(customer_reference="AW-QN-2026-0073")
        assert linked.master.customer_reference == "AW-QN-2026-0042"
        assert linked.status == linked.master.status
        provisional = Claim.objects.get(status="provisionally_closed")
        assert provisional.effectiveness_due_on > TODAY
        theirs = CorrectiveAction.objects.get(created_by_customer=True)
        assert theirs.action.owner.is_internal
        assert CorrectiveAction.objects.filter(customer_verdict="declined").exists()
        imported = ClaimImport.objects.get()
        assert (imported.rows, imported.created, imported.skipped) == (3, 3, 0)
        assert Claim.objects.filter(events__action="import").count() == 3

    def test_customer_users_see_only_their_own_demo_claims(self, everything):
        for customer in Customer.objects.all():
            user = User.objects.get(email=f"quality@{customer.code.lower()}.example")
            visible = Claim.objects.visible_to(user)
            assert visible.exists()
            assert set(visible.values_list("customer", flat=True)) == {customer.pk}
            assert visible.count() == Claim.objects.filter(customer=customer).count()

    def test_demo_cost_sheets_show_every_state_of_the_chargeback(self, everything):
        sheets = ClaimCostSheet.objects.select_related("claim", "customer_decided_by")

        assert set(sheets.values_list("status", flat=True)) == set(ClaimCostSheet.Status.values)
        assert 6 <= sheets.count() <= 10
        for sheet in sheets:
            assert 2 <= sheet.lines.count() <= 4, sheet.claim.customer_reference
            assert sheet.claim.status not in NOT_YET_CHARGEABLE | {"rejected", "cancelled"}
            assert sheet.customer_id == sheet.claim.customer_id
        assert set(ClaimCost.objects.values_list("currency", flat=True)) == {"EUR"}
        assert set(ClaimCost.objects.values_list("created_by__email", flat=True)) == {
            claims_demo.ENGINEER
        }
        accepted = sheets.get(status="accepted")
        assert accepted.customer_decided_by.customer_id == accepted.customer_id
        disputed = sheets.get(status="disputed")
        assert disputed.dispute_reason == "Sorting hours not agreed with our plant logistics."
        assert disputed.customer_decided_by.customer_id == disputed.customer_id
        assert not sheets.filter(status="draft", released_at__isnull=False).exists()
        warranty = ClaimCost.objects.get(category="warranty")
        assert warranty.technical_factor_percent == 60
        assert costs.shown(warranty.amount) == Decimal("756.00")

    def test_seeding_again_keeps_the_demo_costs_as_they_are(self, everything):
        engineer = User.objects.get(email=claims_demo.ENGINEER)
        draft_line = ClaimCost.objects.filter(sheet__status="draft").first()
        costs.cost_line_remove(line=draft_line, actor=engineer)
        before = _counts((ClaimCostSheet, ClaimCost, ClaimEvent))
        histories = ClaimCost.history.count(), ClaimCostSheet.history.count()

        claims_demo.seed(today=TODAY)

        assert _counts((ClaimCostSheet, ClaimCost, ClaimEvent)) == before
        assert (ClaimCost.history.count(), ClaimCostSheet.history.count()) == histories

    def test_customer_users_see_only_released_costs_of_their_own_demo_claims(self, everything):
        sheets = ClaimCostSheet.objects.select_related("claim")
        hidden_drafts = 0
        for customer in Customer.objects.all():
            user = User.objects.get(email=f"quality@{customer.code.lower()}.example")
            seen = set()
            for sheet in sheets:
                summary = costs.cost_summary(sheet.claim, user)
                if sheet.customer_id != customer.pk or sheet.status == "draft":
                    assert summary is None, (user.email, sheet.claim.customer_reference)
                    hidden_drafts += sheet.customer_id == customer.pk
                    continue
                assert summary.sheet == sheet
                assert len(summary.lines) == sheet.lines.count()
                seen.add(sheet.status)
            assert seen and seen <= {"released", "accepted", "disputed"}, user.email
        assert hidden_drafts >= 2

    def test_closed_demo_claims_have_verified_occurrence_and_escape_root_causes(self, everything):
        closed = Claim.objects.filter(status="closed")
        assert closed.count() >= 3
        for claim in closed:
            verified = claim.causes.filter(is_root_cause=True, status=Cause.Status.VERIFIED)
            assert {"occurrence", "non_detection"} <= set(verified.values_list("leg", flat=True))
            for cause in verified:
                assert len(cause.whys) >= 3, claim.customer_reference
                assert cause.verification_method and cause.verification_evidence
        assert Cause.objects.filter(status=Cause.Status.RULED_OUT).exists()

    def test_every_claim_past_d3_answered_all_five_containment_locations(self, everything):
        past_d3 = Claim.objects.filter(
            steps__code="D3", steps__status__in=["submitted", "approved", "sent_back"]
        )
        assert past_d3.count() >= 15
        for claim in past_d3:
            locations = set(claim.containments.values_list("location", flat=True))
            assert locations == set(Containment.Location.values), claim.customer_reference
        answered = Containment.objects.filter(claim__in=past_d3)
        assert answered.filter(status="not_applicable").exclude(not_applicable_reason="").exists()
        assert answered.filter(qty_checked__gt=0, qty_nonconforming__gt=0).exists()
        assert answered.filter(status="removed").exists()

    def test_every_submitted_discipline_meets_its_submit_guard(self, everything):
        steps = EightDStep.objects.filter(status__in=["submitted", "approved", "sent_back"])
        # D8's guard also asks for the claim to await the customer's evaluation, which a
        # closed claim is past; its content must still be there.
        for step in steps.exclude(code="D8").select_related("claim"):
            assert submit_problems(step) == [], (step.claim.customer_reference, step.code)
        for step in steps.filter(code="D8"):
            assert step.content.get("closure_summary")

    def test_drafts_are_only_partly_filled(self, everything):
        drafts = EightDStep.objects.filter(status="draft", code__in=["D3", "D4", "D7"])
        assert {step.code for step in drafts} == {"D3", "D4", "D7"}
        for step in drafts:
            assert submit_problems(step), (step.claim.customer_reference, step.code)

    def test_demo_actions_have_staff_owners_and_some_proved_effective(self, everything):
        links = Action.objects.filter(kind__in=["corrective", "preventive"])
        assert links.filter(effectiveness_result="effective").exists()
        assert links.filter(status="in_progress").exists()
        assert links.filter(internal_only=True).exists()
        assert all(action.owner.is_internal for action in links.select_related("owner"))
        teams = Claim.objects.filter(team_members__isnull=False).distinct()
        for claim in teams.filter(steps__code="D1", steps__status="approved"):
            roles = list(claim.team_members.values_list("role", flat=True))
            assert 4 <= len(roles) <= 6 and roles.count("champion") == roles.count("leader") == 1

    def test_the_8d_report_of_a_closed_demo_claim_shows_its_analysis(self, everything):
        claim = Claim.objects.filter(status="closed").order_by("pk").first()
        text = " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(render_claim_8d(claim))).pages
        )
        text = " ".join(text.split())
        root_cause = claim.causes.get(leg="occurrence", is_root_cause=True)
        assert root_cause.description in text
        assert root_cause.whys[-1] in text
        assert claim.steps.get(code="D2").content["what"] in text


class TestDemoNotifications:
    """The hand-overs the demo stages have told people; the demo shows them as a history."""

    def test_each_person_has_a_few_unread_and_nothing_waits_to_be_mailed(self, everything):
        from core.models import OutboxMessage
        from notifications.demo import UNREAD_KEPT
        from notifications.models import Notification

        engineer = User.objects.get(email="engineer@demo.example")
        customer = User.objects.get(email="quality@autowerk.example")
        for person in (engineer, customer):
            mine = Notification.objects.filter(recipient=person)
            assert mine.count() > UNREAD_KEPT
            assert mine.unread().count() == UNREAD_KEPT
        assert Notification.objects.filter(kind="claims.safety_alert").exists()
        assert not Notification.objects.filter(
            recipient__role="customer",
            kind__in=["claims.submitted", "claims.safety_alert", "claims.commented"],
        ).exists(), "internal kinds never reach customer users"
        assert not Notification.objects.filter(emailed_at__isnull=True).exists()
        assert not OutboxMessage.objects.unsent().filter(task="notifications.deliver").exists()
