"""Service rules: creation, the send guard, the warrant, dispositions, resubmission, expiry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Signature
from customers.tests.factories import PartFactory
from ppap import services, tasks
from ppap.models import PpapSubmission
from ppap.reasons import SubmissionReason
from ppap.selectors import part_ppap_status, part_ppap_statuses, submissions_for_change

from . import factories as f

pytestmark = pytest.mark.django_db
Status = PpapSubmission.Status


def test_create_numbers_generates_checklist_and_prefills_the_warrant(engineer, customer_a):
    part = PartFactory(customer=customer_a, part_number="OUR-1", customer_part_number="CUS-1")
    submission = services.submission_create(
        actor=engineer, part=part, reason=SubmissionReason.INITIAL
    )
    year = timezone.now().year
    assert submission.number == f"PPAP-{year}-00001"
    assert submission.label.endswith("rev 1")
    assert submission.customer == customer_a
    assert submission.level == 3  # the customer's default
    elements = list(submission.elements.order_by("number"))
    assert [e.number for e in elements] == list(range(1, 19))
    assert {e.number for e in elements if e.requirement == "submit"} == (
        set(range(1, 15)) - {15, 16} | {17, 18}
    )
    assert submission.warrant.customer_part_number == "CUS-1"
    assert submission.warrant.org_part_number == "OUR-1"
    assert submission.events.get().action == "create"


def test_default_level_comes_from_the_customer_requirements(engineer, customer_a):
    customer_a.requirements.default_ppap_level = 2
    customer_a.requirements.save()
    assert f.draft(engineer, customer=customer_a).level == 2


def test_reason_other_needs_a_text(engineer):
    with pytest.raises(DomainError) as error:
        f.draft(engineer, reason=SubmissionReason.OTHER)
    assert error.value.field == "reason_detail"
    assert not PpapSubmission.objects.exists()
    assert f.draft(engineer, reason=SubmissionReason.OTHER, reason_detail="Paint change").pk


def test_customer_users_cannot_create(user_a, customer_a):
    with pytest.raises(PermissionDenied):
        f.draft(user_a, customer=customer_a)


def test_proprietary_design_records_and_level_change_update_requirements(engineer):
    submission = f.draft(engineer, design_proprietary=True)
    assert submission.elements.get(number=1).requirement == "retain"
    services.submission_update(submission=submission, actor=engineer, level=1)
    assert submission.elements.get(number=6).requirement == "retain"
    services.submission_update(
        submission=submission, actor=engineer, level=4, customer_elements=[6]
    )
    assert submission.elements.get(number=6).requirement == "submit"
    assert submission.elements.get(number=7).requirement == "retain"


def test_level_3_with_element_6_missing_cannot_be_sent_but_na_with_reason_can(engineer, manager):
    submission = f.draft(engineer, level=3)
    f.make_elements_ready(submission, engineer, skip={6})
    f.complete_warrant(submission, engineer)
    services.warrant_sign(warrant=submission.warrant, actor=manager, password=f.PASSWORD)
    f.record_run(submission, engineer)

    with pytest.raises(DomainError) as error:
        services.submission_send(submission=submission, actor=engineer)
    assert "Element 6" in error.value.message
    assert PpapSubmission.objects.get(pk=submission.pk).status == Status.DRAFT

    pfmea = submission.elements.get(number=6)
    with pytest.raises(DomainError):
        services.element_update(element=pfmea, actor=engineer, not_applicable=True, na_reason="")
    services.element_update(
        element=pfmea, actor=engineer, not_applicable=True, na_reason="Carry-over process"
    )
    services.submission_send(submission=submission, actor=engineer)
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert submission.events.filter(action="send", from_status="draft").exists()


def test_element_needs_a_file_before_it_is_ready(engineer):
    element = f.draft(engineer).elements.get(number=9)
    with pytest.raises(DomainError):
        services.element_transition(element=element, actor=engineer, action="ready")
    f.attach(element, engineer)
    services.element_transition(element=element, actor=engineer, action="ready")
    element.refresh_from_db()
    assert element.status == "ready"


def test_unsigned_or_incomplete_warrant_and_short_run_block_sending(engineer, manager):
    submission = f.draft(engineer, level=1)
    f.make_elements_ready(submission, engineer)
    with pytest.raises(DomainError) as error:
        services.submission_send(submission=submission, actor=engineer)
    assert "warrant is incomplete" in error.value.message
    with pytest.raises(DomainError):  # cannot sign an incomplete warrant
        services.warrant_sign(warrant=submission.warrant, actor=manager, password=f.PASSWORD)
    f.complete_warrant(submission, engineer)
    with pytest.raises(DomainError) as error:
        services.warrant_sign(warrant=submission.warrant, actor=manager, password="wrong")
    assert error.value.field == "password"
    with pytest.raises(PermissionDenied):  # engineers do not sign warrants
        services.warrant_sign(warrant=submission.warrant, actor=engineer, password=f.PASSWORD)
    services.warrant_sign(warrant=submission.warrant, actor=manager, password=f.PASSWORD)
    assert Signature.objects.count() == 1
    f.record_run(submission, engineer, quantity=299)
    with pytest.raises(DomainError) as error:
        services.submission_send(submission=submission, actor=engineer)
    assert "at least 300 parts" in error.value.message
    f.record_run(submission, engineer, quantity=300, hours="9")
    with pytest.raises(DomainError):
        services.submission_send(submission=submission, actor=engineer)
    f.record_run(submission, engineer, quantity=300, hours="1")
    services.submission_send(submission=submission, actor=engineer)


def test_run_minimum_follows_the_customer_requirement(engineer, manager, customer_a):
    customer_a.requirements.ppap_run_min_quantity = 50
    customer_a.requirements.save()
    submission = f.draft(engineer, customer=customer_a, level=1)
    f.make_elements_ready(submission, engineer)
    f.complete_warrant(submission, engineer)
    services.warrant_sign(warrant=submission.warrant, actor=manager, password=f.PASSWORD)
    f.record_run(submission, engineer, quantity=50)
    services.submission_send(submission=submission, actor=engineer)


def test_changing_a_signed_warrant_removes_the_signature(engineer, manager):
    submission = f.sendable(engineer, manager)
    assert submission.warrant.is_signed
    services.warrant_update(warrant=submission.warrant, actor=engineer, purchase_order="PO-9")
    submission.warrant.refresh_from_db()
    assert not submission.warrant.is_signed


def test_not_acceptable_process_study_blocks_sending(engineer, manager):
    submission = f.sendable(engineer, manager)
    study = services.study_add(
        submission=submission,
        actor=engineer,
        characteristic="Hole Ø",
        study_type="ppk",
        value="1.2",
    )
    assert study.result == "not_acceptable"
    with pytest.raises(DomainError) as error:
        services.submission_send(submission=submission, actor=engineer)
    assert "Hole Ø" in error.value.message


def test_interim_without_expiry_or_quantity_is_refused(engineer, manager, user_a, customer_a):
    submission = f.sent(engineer, manager, customer=customer_a)
    terms = {"nonconformities": "Burr", "action_plan": "New punch"}
    with pytest.raises(DomainError) as error:
        services.submission_dispose(
            submission=submission,
            actor=user_a,
            disposition="interim",
            password=f.PASSWORD,
            **terms,
        )
    assert error.value.field == "expires_on"
    with pytest.raises(DomainError):  # terms without the nonconformities
        services.submission_dispose(
            submission=submission,
            actor=user_a,
            disposition="interim",
            password=f.PASSWORD,
            quantity=500,
            action_plan="New punch",
        )
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert not Signature.objects.filter(object_id=submission.pk, meaning__icontains="interim")
    services.submission_dispose(
        submission=submission,
        actor=user_a,
        disposition="interim",
        password=f.PASSWORD,
        quantity=500,
        **terms,
    )
    submission.refresh_from_db()
    assert submission.status == Status.INTERIM
    assert submission.interim_quantity == 500


def test_disposition_needs_the_customers_password_and_own_customer(
    engineer, manager, user_a, user_b, customer_a
):
    submission = f.sent(engineer, manager, customer=customer_a)
    with pytest.raises(DomainError):
        services.submission_dispose(
            submission=submission, actor=user_a, disposition="approve", password="nope"
        )
    with pytest.raises(PermissionDenied):
        services.submission_dispose(
            submission=submission, actor=user_b, disposition="approve", password=f.PASSWORD
        )
    with pytest.raises(PermissionDenied):  # our engineers do not decide for the customer
        services.submission_dispose(
            submission=submission, actor=engineer, disposition="approve", password=f.PASSWORD
        )
    with pytest.raises(DomainError):  # VDA 2 only
        services.submission_dispose(
            submission=submission,
            actor=user_a,
            disposition="approve_deviations",
            password=f.PASSWORD,
            risk_assessment="ok",
        )
    services.submission_dispose(
        submission=submission, actor=user_a, disposition="approve", password=f.PASSWORD
    )
    submission.refresh_from_db()
    assert submission.status == Status.APPROVED
    assert part_ppap_status(submission.part).state == "approved"


def test_customer_reviews_elements_one_by_one(engineer, manager, user_a, customer_a):
    submission = f.sent(engineer, manager, customer=customer_a)
    dims = submission.elements.get(number=9)
    with pytest.raises(DomainError):
        services.element_transition(element=dims, actor=user_a, action="reject")
    services.element_transition(element=dims, actor=user_a, action="reject", comment="Missing CMM")
    services.element_transition(
        element=submission.elements.get(number=10), actor=user_a, action="approve"
    )
    dims.refresh_from_db()
    assert (dims.status, dims.customer_comment) == ("rejected", "Missing CMM")
    assert submission.events.filter(action="element_reject", element_number=9).exists()
    with pytest.raises(Conflict):  # retained elements are not reviewed
        services.element_transition(
            element=submission.elements.get(number=15), actor=user_a, action="approve"
        )


def test_interim_expires_once_and_shows_expired_before_the_task(
    engineer, manager, user_a, customer_a
):
    submission = f.interim(engineer, manager, user_a, customer=customer_a)
    later = submission.interim_expires_on + dt.timedelta(days=1)
    assert not submission.interim_has_lapsed()
    assert submission.interim_has_lapsed(today=later)
    assert part_ppap_status(submission.part).state == "interim"
    # The date passed, the task has not run yet: shown as expired all the same.
    PpapSubmission.objects.filter(pk=submission.pk).update(
        interim_expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    submission.refresh_from_db()
    assert submission.status == Status.INTERIM
    assert submission.shown_status == Status.INTERIM_EXPIRED
    assert part_ppap_status(submission.part).state == "interim_expired"
    assert services.interim_approvals_expire() == 1
    assert services.interim_approvals_expire() == 0
    submission.refresh_from_db()
    assert submission.status == Status.INTERIM_EXPIRED
    assert submission.events.filter(action="expire").count() == 1


def test_interim_reminder_is_sent_once_within_the_csr_days(
    engineer, manager, user_a, customer_a, django_capture_on_commit_callbacks
):
    soon = timezone.localdate() + dt.timedelta(days=10)
    submission = f.interim(engineer, manager, user_a, customer=customer_a, expires_on=soon)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.interim_approvals_daily() == {"expired": 0, "reminded": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.interim_approvals_daily() == {"expired": 0, "reminded": 0}
    # One mail per person told (our engineer and the customer's user), sent once.
    assert sorted(to for m in mail.outbox for to in m.to) == sorted([engineer.email, user_a.email])
    assert all(submission.number in m.subject for m in mail.outbox)


def test_resubmission_opens_the_next_revision_and_keeps_the_old_read_only(
    engineer, manager, user_a, customer_a
):
    old = f.interim(engineer, manager, user_a, customer=customer_a)
    with pytest.raises(Conflict):  # interim does not turn into approved without resubmitting
        services.submission_dispose(
            submission=old, actor=user_a, disposition="approve", password=f.PASSWORD
        )
    new = services.submission_resubmit(submission=old, actor=engineer, comment="Punch replaced")
    old.refresh_from_db()
    assert (new.number, new.revision, new.status) == (old.number, 2, Status.DRAFT)
    assert not old.is_current and old.status == Status.INTERIM
    assert new.elements.count() == 18
    assert new.warrant.weight_kg == Decimal("0.1234") and not new.warrant.is_signed
    with pytest.raises(Conflict):
        services.submission_update(submission=old, actor=engineer, reason_detail="x")
    with pytest.raises(Conflict):
        services.submission_resubmit(submission=old, actor=engineer)
    # The interim approval still holds for the part until the new revision is decided.
    assert part_ppap_status(old.part).state == "interim"


def test_vda2_trigger_and_approval_with_deviations(engineer, manager, user_a, customer_a):
    submission = f.sendable(engineer, manager, customer=customer_a, form_set="vda2")
    with pytest.raises(DomainError) as error:
        services.submission_send(submission=submission, actor=engineer)
    assert "VDA 2" in error.value.message
    services.submission_update(
        submission=submission,
        actor=engineer,
        vda_trigger="relocation",
        vda_scope="Full sampling, 300 parts",
        vda_self_assessment="All characteristics OK",
    )
    services.submission_send(submission=submission, actor=engineer)
    with pytest.raises(DomainError):
        services.submission_dispose(
            submission=submission,
            actor=user_a,
            disposition="approve_deviations",
            password=f.PASSWORD,
        )
    services.submission_dispose(
        submission=submission,
        actor=user_a,
        disposition="approve_deviations",
        password=f.PASSWORD,
        risk_assessment="Deviation on colour shade accepted after joint FMEA",
    )
    submission.refresh_from_db()
    assert submission.status == Status.APPROVED_WITH_DEVIATIONS


def test_bulk_part_status_is_one_query(
    engineer, manager, user_a, customer_a, django_assert_num_queries
):
    approved = f.sent(engineer, manager, customer=customer_a)
    services.submission_dispose(
        submission=approved,
        actor=user_a,
        disposition="reject",
        password=f.PASSWORD,
        comment="Dimensions",
    )
    other = PartFactory(customer=customer_a)
    parts = [approved.part, other]
    with django_assert_num_queries(1):
        statuses = part_ppap_statuses(parts)
    assert statuses[approved.part_id].state == "rejected"
    assert other.pk not in statuses
    assert part_ppap_status(other).state == "none"


def test_submissions_for_change_is_empty_without_a_change(engineer):
    f.draft(engineer)
    assert list(submissions_for_change(None).filter(change__isnull=False)) == []


def test_cancel_needs_a_reason_and_only_drafts(engineer, manager):
    submission = f.draft(engineer)
    with pytest.raises(DomainError):
        services.submission_cancel(submission=submission, actor=engineer, reason=" ")
    services.submission_cancel(submission=submission, actor=engineer, reason="Part dropped")
    submission.refresh_from_db()
    assert submission.status == Status.CANCELLED


def test_the_warrant_element_follows_the_signature_and_is_never_marked_by_hand(engineer, manager):
    from ppap.workflow import element_actions_for

    submission = f.draft(engineer)
    f.make_elements_ready(submission, engineer)
    psw = submission.elements.get(number=18)
    assert psw.status == "open" and element_actions_for(psw, submission, engineer) == []
    with pytest.raises(DomainError, match="once the warrant is signed"):
        services.element_transition(element=psw, actor=engineer, action="ready")

    f.complete_warrant(submission, engineer)
    services.warrant_sign(warrant=submission.warrant, actor=manager, password=f.PASSWORD)
    psw.refresh_from_db()
    assert psw.status == "ready"

    services.warrant_update(warrant=submission.warrant, actor=engineer, purchase_order="PO-2")
    psw.refresh_from_db()
    assert psw.status == "in_progress" and not submission.warrant.is_signed
