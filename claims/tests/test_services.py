import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from claims import services
from claims.models import Claim, ClaimEvent, EightDStep
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Attachment, Sequence
from customers.tests.factories import PartFactory

from .factories import claim_fields, exe_upload, file_claim, fill_step, png_upload

BERLIN = ZoneInfo("Europe/Berlin")


def _step(claim, code):
    return EightDStep.objects.get(claim=claim, code=code)


def _answer(step_code, claim, engineer, customer_user):
    step = _step(claim, step_code)
    fill_step(claim, step_code, engineer)
    services.step_save(step=step, actor=engineer, summary=f"{step_code} done", internal_note="x")
    services.step_submit(step=step, actor=engineer)
    services.step_approve(step=step, actor=customer_user)


@pytest.fixture
def claim_a(user_a):
    return file_claim(actor=user_a, uploads=[png_upload("a.png"), png_upload("b.png")])


@pytest.mark.django_db
class TestFiling:
    def test_files_a_numbered_submitted_claim_with_photos(self, claim_a, user_a):
        assert claim_a.number.startswith("CL-") and claim_a.number.endswith("-00001")
        assert claim_a.status == Claim.Status.SUBMITTED
        assert claim_a.part_revision == claim_a.part.revision
        assert Attachment.objects.for_owner(claim_a).count() == 2
        actions = list(ClaimEvent.objects.filter(claim=claim_a).values_list("action", flat=True))
        assert sorted(actions) == ["file", "submit"]

    def test_executable_renamed_png_stores_nothing_and_takes_no_number(self, user_a):
        part = PartFactory(customer=user_a.customer)
        with pytest.raises(ValidationError):
            file_claim(actor=user_a, part=part, uploads=[png_upload(), exe_upload("evil.png")])
        assert Claim.objects.count() == 0
        assert Attachment.objects.count() == 0
        assert not Sequence.objects.filter(prefix="CL", last_value__gt=0).exists()
        assert file_claim(actor=user_a, part=part).number.endswith("-00001")

    def test_customer_cannot_file_on_another_customers_part(self, user_b, customer_a):
        part_a = PartFactory(customer=customer_a)
        with pytest.raises(PermissionDenied):
            services.claim_file(actor=user_b, customer=customer_a, part=part_a, symptom="x")
        with pytest.raises(ValidationError):
            services.claim_file(
                actor=user_b, customer=user_b.customer, part=part_a, **claim_fields()
            )
        assert Claim.objects.count() == 0

    def test_nonconforming_may_not_exceed_suspect(self, user_a):
        with pytest.raises(ValidationError):
            file_claim(actor=user_a, suspect_qty=5, nonconforming_qty=6)

    def test_update_only_in_draft(self, user_a):
        draft = file_claim(actor=user_a, submit=False)
        services.claim_update(claim=draft, actor=user_a, symptom="Scratches")
        draft.refresh_from_db()
        assert draft.symptom == "Scratches"
        services.claim_submit(claim=draft, actor=user_a)
        with pytest.raises(Conflict):
            services.claim_update(claim=draft, actor=user_a, symptom="Other")


@pytest.mark.django_db
class TestDeadlines:
    def test_d3_friday_1600_one_working_day_is_monday_1600(self, user_a, engineer):
        friday = dt.datetime(2026, 3, 6, 16, 0, tzinfo=BERLIN)
        assert friday.weekday() == 4
        claim = file_claim(actor=engineer, customer=user_a.customer, notified_at=friday)
        services.claim_acknowledge(claim=claim, actor=engineer)
        d3 = _step(claim, "D3")
        assert d3.due_at.astimezone(BERLIN) == dt.datetime(2026, 3, 9, 16, 0, tzinfo=BERLIN)
        assert _step(claim, "D0").due_at == d3.due_at
        assert _step(claim, "D4").due_at.astimezone(BERLIN).date() == dt.date(2026, 3, 13)
        assert _step(claim, "D5").due_at == _step(claim, "D6").due_at
        assert EightDStep.objects.filter(claim=claim).count() == 9


@pytest.mark.django_db
class TestFullCycle:
    def test_one_claim_through_every_step_to_customer_acceptance(
        self, claim_a, user_a, engineer, django_capture_on_commit_callbacks
    ):
        claim = claim_a
        services.claim_assign(claim=claim, engineer=engineer, actor=engineer)
        services.claim_acknowledge(claim=claim, actor=engineer)
        services.claim_start_review(claim=claim, actor=engineer)
        services.claim_accept_responsibility(claim=claim, actor=engineer)
        claim.refresh_from_db()
        assert claim.status == "containment" and claim.acknowledged_at

        mail.outbox.clear()
        expected = {
            "D0": "containment",
            "D1": "containment",
            "D2": "containment",
            "D3": "root_cause",
            "D4": "corrective_action",
            "D5": "corrective_action",
            "D6": "prevention",
            "D7": "customer_evaluation",
        }
        for code, status in expected.items():
            with django_capture_on_commit_callbacks(execute=True):
                _answer(code, claim, engineer, user_a)
            claim.refresh_from_db()
            assert claim.status == status, code
        assert claim.reaction_at is not None
        # Each submitted step is mailed to the customer, each approval to the engineer.
        assert len([m for m in mail.outbox if m.to == [user_a.email]]) == 8
        assert len([m for m in mail.outbox if m.to == [engineer.email]]) == 8

        d8 = _step(claim, "D8")
        fill_step(claim, "D8", engineer)
        services.step_save(step=d8, actor=engineer, summary="Team thanked")
        with pytest.raises(Conflict):
            services.claim_customer_accept(claim=claim, actor=user_a)
        services.step_submit(step=d8, actor=engineer)
        services.claim_customer_accept(claim=claim, actor=user_a)
        claim.refresh_from_db()
        assert claim.status == Claim.Status.CLOSED and claim.closed_at
        assert _step(claim, "D8").status == EightDStep.Status.APPROVED
        assert ClaimEvent.objects.filter(claim=claim, action="customer_accept_8d").exists()

    def test_customer_rejection_sends_corrective_steps_back(self, claim_a, user_a, engineer):
        claim = claim_a
        services.claim_acknowledge(claim=claim, actor=engineer)
        services.claim_start_review(claim=claim, actor=engineer)
        # Steps answered during review count once the claim is accepted as ours.
        _answer("D3", claim, engineer, user_a)
        services.claim_accept_responsibility(claim=claim, actor=engineer)
        for code in ("D4", "D5", "D6", "D7"):
            _answer(code, claim, engineer, user_a)
        claim.refresh_from_db()
        assert claim.status == "customer_evaluation"
        with pytest.raises(DomainError):
            services.claim_customer_reject(claim=claim, actor=user_a, reason=" ")
        services.claim_customer_reject(claim=claim, actor=user_a, reason="Still burrs")
        claim.refresh_from_db()
        assert claim.status == "corrective_action"
        assert _step(claim, "D6").status == EightDStep.Status.SENT_BACK
        assert _step(claim, "D4").status == EightDStep.Status.APPROVED


@pytest.mark.django_db
class TestRefusals:
    def test_invalid_transition_changes_nothing(self, claim_a, engineer):
        with pytest.raises(Conflict):
            services.claim_accept_responsibility(claim=claim_a, actor=engineer)
        claim_a.refresh_from_db()
        assert claim_a.status == Claim.Status.SUBMITTED
        assert not ClaimEvent.objects.filter(action="accept_responsibility").exists()

    def test_reject_needs_code_and_reason(self, claim_a, engineer):
        services.claim_acknowledge(claim=claim_a, actor=engineer)
        services.claim_start_review(claim=claim_a, actor=engineer)
        with pytest.raises(DomainError):
            services.claim_reject_responsibility(
                claim=claim_a, actor=engineer, reason_code="no_fault_found", reason=""
            )
        services.claim_reject_responsibility(
            claim=claim_a, actor=engineer, reason_code="no_fault_found", reason="Parts OK"
        )
        claim_a.refresh_from_db()
        assert claim_a.status == "rejected" and claim_a.rejection_code == "no_fault_found"

    def test_customer_cannot_approve_another_customers_step(self, claim_a, engineer, user_b):
        services.claim_acknowledge(claim=claim_a, actor=engineer)
        step = _step(claim_a, "D0")
        fill_step(claim_a, "D0", engineer)
        services.step_submit(step=step, actor=engineer)
        with pytest.raises(PermissionDenied):
            services.step_approve(step=step, actor=user_b)

    def test_send_back_needs_a_comment(self, claim_a, engineer, user_a):
        services.claim_acknowledge(claim=claim_a, actor=engineer)
        step = _step(claim_a, "D0")
        fill_step(claim_a, "D0", engineer)
        services.step_submit(step=step, actor=engineer)
        with pytest.raises(DomainError):
            services.step_send_back(step=step, actor=user_a, comment="")
        services.step_send_back(step=step, actor=user_a, comment="Add the team")
        assert _step(claim_a, "D0").status == "sent_back"

    def test_customer_cannot_post_internal_comments(self, claim_a, user_a):
        with pytest.raises(PermissionDenied):
            services.comment_add(claim=claim_a, actor=user_a, body="x", internal=True)

    def test_a_cancelled_claim_takes_no_comments(self, claim_a, user_a, engineer):
        services.claim_cancel(claim=claim_a, actor=user_a, reason="Filed twice")
        for actor in (user_a, engineer):
            with pytest.raises(Conflict, match="takes no more comments"):
                services.comment_add(claim=claim_a, actor=actor, body="One more thing")
        assert not claim_a.comments.exists()

    def test_customer_comment_notifies_the_engineer(
        self, claim_a, user_a, engineer, django_capture_on_commit_callbacks
    ):
        services.claim_assign(claim=claim_a, engineer=engineer, actor=engineer)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.comment_add(claim=claim_a, actor=user_a, body="Any news?")
        assert [m.to for m in mail.outbox] == [[engineer.email]]

    def test_cancel_and_reopen(self, claim_a, user_a, engineer):
        services.claim_cancel(claim=claim_a, actor=user_a, reason="Filed twice")
        claim_a.refresh_from_db()
        assert claim_a.status == "cancelled"
        with pytest.raises(Conflict):
            services.claim_reopen(claim=claim_a, actor=engineer, reason="x")


@pytest.mark.django_db
class TestDefectSource:
    def test_engineer_classifies_and_only_the_internal_history_says_so(self, claim_a, engineer):
        services.claim_classify(claim=claim_a, actor=engineer, defect_source="logistics")
        claim_a.refresh_from_db()
        assert claim_a.defect_source == "logistics"
        assert claim_a.history.first().history_change_reason == "Defect source set"
        assert not ClaimEvent.objects.filter(claim=claim_a, action="classify").exists()

    def test_unknown_source_and_customer_users_are_refused(self, claim_a, engineer, user_a):
        with pytest.raises(DomainError):
            services.claim_classify(claim=claim_a, actor=engineer, defect_source="weather")
        with pytest.raises(PermissionDenied):
            services.claim_classify(claim=claim_a, actor=user_a, defect_source="design")
        claim_a.refresh_from_db()
        assert claim_a.defect_source == ""

    def test_no_fault_found_rejection_classifies_the_claim(self, claim_a, engineer):
        services.claim_acknowledge(claim=claim_a, actor=engineer)
        services.claim_start_review(claim=claim_a, actor=engineer)
        services.claim_reject_responsibility(
            claim=claim_a, actor=engineer, reason_code="no_fault_found", reason="All parts OK"
        )
        claim_a.refresh_from_db()
        assert claim_a.defect_source == "no_fault_found"

    def test_the_customer_never_sees_our_classification(
        self, claim_a, engineer, api_client_for, user_a
    ):
        services.claim_classify(claim=claim_a, actor=engineer, defect_source="design")
        staff = api_client_for(engineer).get(f"/api/v1/claims/{claim_a.pk}/").json()
        customer = api_client_for(user_a).get(f"/api/v1/claims/{claim_a.pk}/").json()
        assert staff["defect_source"] == "design"
        assert "defect_source" not in customer
        classified = api_client_for(engineer).post(
            f"/api/v1/claims/{claim_a.pk}/classify/", {"defect_source": "software"}
        )
        assert classified.status_code == 200 and classified.json()["defect_source"] == "software"
        refused = api_client_for(user_a).post(
            f"/api/v1/claims/{claim_a.pk}/classify/", {"defect_source": "design"}
        )
        assert refused.status_code == 403
