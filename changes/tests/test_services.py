"""Change services: the lifecycle, the rules of REFERENCE §3, refusals that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from changes import services
from changes.models import ChangeEvent, ChangeRequest
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Signature
from customers.tests.factories import PartFactory
from ppap.reasons import SubmissionReason

from .factories import (
    PASSWORD,
    raise_change,
    to_approved,
    to_customer_approval,
    to_review_board,
    to_validated,
    today,
)

pytestmark = pytest.mark.django_db
Status = ChangeRequest.Status


def snapshot(change) -> tuple:
    """What a refused write must leave as it was: status, version, events, history, signatures."""
    change = ChangeRequest.objects.get(pk=change.pk)
    signatures = Signature.objects.filter(object_id=change.pk).count()
    return (
        change.status,
        change.version,
        ChangeEvent.objects.filter(change=change).count(),
        change.history.count(),
        signatures,
        change.implemented_on,
        change.validated_at,
    )


def refused(error_class, service, change, match: str, **kwargs):
    before = snapshot(change)
    with pytest.raises(error_class, match=match):
        service(change=change, **kwargs)
    assert snapshot(change) == before


# --- customer approval ---------------------------------------------------------------------------


def test_change_needing_customer_approval_waits_for_the_customer(
    customer_a, engineer, manager, user_a
):
    change = raise_change(actor=engineer, customer=customer_a)
    change = to_customer_approval(change, engineer=engineer, manager=manager)
    assert change.status == Status.CUSTOMER_APPROVAL
    assert change.customer_notified_at is not None
    # Neither released (approved) nor implemented before the customer decided.
    refused(
        Conflict, services.change_release, change, "not possible", actor=manager, password=PASSWORD
    )
    refused(
        Conflict,
        services.change_implement,
        change,
        "not possible",
        actor=engineer,
        implemented_on=today(),
        break_point="Lot 1",
    )
    services.customer_approve(change=change, actor=user_a, password=PASSWORD, comment="OK")
    change.refresh_from_db()
    assert change.status == Status.APPROVED
    assert change.customer_decision == ChangeRequest.CustomerDecision.APPROVED


def test_customer_notice_is_mailed_to_the_customer(
    customer_a, engineer, manager, user_a, django_capture_on_commit_callbacks
):
    change = raise_change(actor=engineer, customer=customer_a)
    with django_capture_on_commit_callbacks(execute=True):
        to_customer_approval(change, engineer=engineer, manager=manager)
    notice = [m for m in mail.outbox if "for your approval" in m.subject]
    assert [m.to for m in notice] == [[user_a.email]]
    assert change.number in notice[0].subject
    # The other mail asked the review board member to sign; the customer got nothing else.
    assert [m.to for m in mail.outbox if m not in notice] == [[manager.email]]


def test_approval_dated_after_the_implementation_is_refused(customer_a, engineer, manager, user_a):
    change = raise_change(actor=engineer, customer=customer_a)
    change = to_validated(change, engineer=engineer, manager=manager, customer_user=user_a)
    yesterday = today() - dt.timedelta(days=1)
    refused(
        Conflict,
        services.change_implement,
        change,
        "must be dated before the implementation",
        actor=engineer,
        implemented_on=yesterday,
        break_point="Lot 2611",
    )


def test_no_customer_approval_needed_goes_straight_to_approved(customer_a, engineer, manager):
    change = raise_change(actor=engineer, customer=customer_a, customer_approval_required=False)
    change = to_customer_approval(change, engineer=engineer, manager=manager)
    assert change.status == Status.APPROVED
    assert change.customer_notified_at is None


def test_documented_waiver_by_a_manager(customer_a, engineer, manager):
    change = raise_change(actor=engineer, customer=customer_a)
    change = to_customer_approval(change, engineer=engineer, manager=manager)
    waiver = {
        "waived_by": "Dr. K. Kunde (SQE)",
        "basis": "E-mail of 2 March",
        "waiver_date": today(),
        "reference": "MAIL-77",
    }
    refused(
        PermissionDenied,
        services.customer_waive,
        change,
        "quality manager",
        actor=engineer,
        password=PASSWORD,
        **waiver,
    )
    services.customer_waive(change=change, actor=manager, password=PASSWORD, **waiver)
    change.refresh_from_db()
    assert change.status == Status.APPROVED
    assert change.consent_date == today()
    assert Signature.objects.filter(object_id=change.pk, signer=manager).count() == 2


# --- validation and implementation ---------------------------------------------------------------


def test_validation_after_implementation_is_refused(customer_a, engineer, manager, user_a):
    change = raise_change(actor=engineer, customer=customer_a)
    change = to_validated(change, engineer=engineer, manager=manager, customer_user=user_a)
    services.change_implement(
        change=change, actor=engineer, implemented_on=today(), break_point="Lot 2611"
    )
    change.refresh_from_db()
    assert change.status == Status.IMPLEMENTED
    refused(
        Conflict,
        services.change_validate,
        change,
        "Validation must precede implementation",
        actor=engineer,
        results="late",
    )
    services.change_close(change=change, actor=engineer)
    change.refresh_from_db()
    assert change.status == Status.CLOSED


def test_implementation_without_validation_is_refused(customer_a, engineer, manager, user_a):
    change = raise_change(actor=engineer, customer=customer_a)
    change = to_approved(change, engineer=engineer, manager=manager, customer_user=user_a)
    services.change_release(change=change, actor=manager, password=PASSWORD)
    refused(
        Conflict,
        services.change_implement,
        change,
        "implementation without validation",
        actor=engineer,
        implemented_on=today(),
        break_point="Lot 1",
    )


# --- signatures ----------------------------------------------------------------------------------


def test_wrong_board_password_records_nothing(customer_a, engineer, manager):
    change = raise_change(actor=engineer, customer=customer_a)
    change = to_review_board(change, engineer=engineer, manager=manager)
    approver = change.approvers.get()
    before = snapshot(change)
    with pytest.raises(DomainError) as error:
        services.board_approve(approver=approver, actor=manager, password="wrong")
    assert error.value.field == "password"
    assert snapshot(change) == before
    approver.refresh_from_db()
    assert approver.approved_at is None and approver.signature_id is None


def test_wrong_customer_password_records_nothing(customer_a, engineer, manager, user_a):
    change = raise_change(actor=engineer, customer=customer_a)
    change = to_customer_approval(change, engineer=engineer, manager=manager)
    refused(
        DomainError,
        services.customer_approve,
        change,
        "password is not correct",
        actor=user_a,
        password="nope",
    )
    assert ChangeRequest.objects.get(pk=change.pk).customer_decision == ""


def test_board_signature_names_function_and_signer(customer_a, engineer, manager):
    change = raise_change(actor=engineer, customer=customer_a)
    change = to_review_board(change, engineer=engineer, manager=manager)
    services.board_approve(approver=change.approvers.get(), actor=manager, password=PASSWORD)
    signature = Signature.objects.get(object_id=change.pk)
    assert signature.signer == manager
    assert signature.meaning == "Approved for the review board as Quality"


def test_other_customer_cannot_approve(customer_a, engineer, manager, user_b):
    change = raise_change(actor=engineer, customer=customer_a)
    change = to_customer_approval(change, engineer=engineer, manager=manager)
    refused(
        PermissionDenied,
        services.customer_approve,
        change,
        "customer's own users",
        actor=user_b,
        password=PASSWORD,
    )


# --- assessment and board ------------------------------------------------------------------------


def test_board_starts_only_when_every_assessor_is_done(customer_a, engineer, manager):
    change = raise_change(actor=engineer, customer=customer_a)
    services.assessor_add(change=change, actor=engineer, function="quality", user=engineer)
    services.assessor_add(change=change, actor=engineer, function="production", user=manager)
    services.approver_add(change=change, actor=engineer, function="quality", user=manager)
    services.change_submit(change=change, actor=engineer)
    services.change_start_assessment(change=change, actor=engineer)
    quality, production = change.assessors.order_by("pk")
    with pytest.raises(PermissionDenied):
        services.assessment_record(assessor=quality, actor=manager, assessment="x")
    services.assessment_record(assessor=quality, actor=engineer, assessment="Fit unchanged")
    change.refresh_from_db()
    assert change.status == Status.IMPACT_ASSESSMENT
    services.assessment_record(assessor=production, actor=manager, assessment="New cycle time")
    change.refresh_from_db()
    assert change.status == Status.REVIEW_BOARD


def test_assessment_needs_assessors_and_approvers(customer_a, engineer):
    change = raise_change(actor=engineer, customer=customer_a)
    services.change_submit(change=change, actor=engineer)
    refused(Conflict, services.change_start_assessment, change, "assess the change", actor=engineer)


def test_board_defer_and_reject_by_board_members_only(customer_a, engineer, manager):
    change = raise_change(actor=engineer, customer=customer_a)
    change = to_review_board(change, engineer=engineer, manager=manager)
    until = today() + dt.timedelta(days=30)
    refused(
        PermissionDenied,
        services.board_defer,
        change,
        "review board",
        actor=engineer,
        reason="x",
        until=until,
    )
    services.board_defer(change=change, actor=manager, reason="Wait for budget", until=until)
    change.refresh_from_db()
    assert (change.status, change.deferred_until) == (Status.DEFERRED, until)
    services.change_resume(change=change, actor=engineer)
    services.board_reject(change=change, actor=manager, reason="Too expensive")
    change.refresh_from_db()
    assert change.status == Status.REJECTED
    refused(
        Conflict,
        services.change_update,
        change,
        "can no longer be edited",
        actor=engineer,
        title="x",
    )


def test_stale_version_is_refused(customer_a, engineer):
    change = raise_change(actor=engineer, customer=customer_a)
    version = ChangeRequest.objects.get(pk=change.pk).version
    services.change_update(
        change=change, actor=engineer, title="New title", expected_version=version
    )
    refused(
        Conflict,
        services.change_update,
        change,
        "Someone else",
        actor=engineer,
        title="Mine",
        expected_version=version,
    )


def test_events_record_who_and_from_to(customer_a, engineer):
    change = raise_change(actor=engineer, customer=customer_a)
    services.change_submit(change=change, actor=engineer)
    event = ChangeEvent.objects.filter(change=change, action="submit").get()
    assert (event.actor, event.from_status, event.to_status) == (engineer, "draft", "submitted")


def test_cancel_needs_reason_and_closes(customer_a, engineer):
    change = raise_change(actor=engineer, customer=customer_a)
    refused(DomainError, services.change_cancel, change, "cancelled", actor=engineer, reason=" ")
    services.change_cancel(change=change, actor=engineer, reason="Duplicate")
    assert ChangeRequest.objects.get(pk=change.pk).status == Status.CANCELLED


# --- fields and rows -----------------------------------------------------------------------------


def test_part_of_another_customer_is_refused(customer_a, customer_b, engineer):
    change = raise_change(actor=engineer, customer=customer_a)
    with pytest.raises(DomainError, match="customer's own parts"):
        services.affected_part_add(
            change=change, actor=engineer, part=PartFactory(customer=customer_b), new_revision="C"
        )
    assert change.parts.count() == 1


def test_ppap_defaults_from_customer_and_suggestion(customer_a, engineer):
    requirements = customer_a.requirements
    requirements.default_ppap_level = 2
    requirements.save()
    change = raise_change(
        actor=engineer,
        customer=customer_a,
        ppap_required=True,
        change_type=ChangeRequest.Type.SUPPLIER,
    )
    assert change.ppap_level == 2
    assert change.psw_reason == SubmissionReason.SUB_SUPPLIER


def test_customer_users_are_only_engineers_raise(customer_a, user_a):
    with pytest.raises(PermissionDenied):
        services.change_create(actor=user_a, customer=customer_a, title="x")


@pytest.mark.parametrize(
    ("change_type", "months", "transfer", "expected"),
    [
        ("product", None, False, SubmissionReason.ENGINEERING_CHANGE),
        ("software", None, False, SubmissionReason.ENGINEERING_CHANGE),
        ("process", None, False, SubmissionReason.PROCESSING),
        ("supplier", None, False, SubmissionReason.SUB_SUPPLIER),
        ("site", None, False, SubmissionReason.ADDITIONAL_LOCATION),
        ("site", None, True, SubmissionReason.TOOLING),
        ("process", 12, False, SubmissionReason.TOOLING_INACTIVE),
        ("site", 24, True, SubmissionReason.TOOLING_INACTIVE),
        ("process", 11, False, SubmissionReason.PROCESSING),
        ("documentation", None, False, ""),
    ],
)
def test_psw_reason_suggestion(change_type, months, transfer, expected):
    suggested = services.suggest_psw_reason(
        change_type, tooling_inactive_months=months, tooling_transfer=transfer
    )
    assert suggested == expected


# --- tenancy -------------------------------------------------------------------------------------


def test_customer_sees_own_changes_only_once_notified(
    customer_a, engineer, manager, user_a, user_b
):
    change = raise_change(actor=engineer, customer=customer_a)
    assert not ChangeRequest.objects.visible_to(user_a).exists()
    to_customer_approval(change, engineer=engineer, manager=manager)
    assert list(ChangeRequest.objects.visible_to(user_a)) == [change]
    assert not ChangeRequest.objects.visible_to(user_b).exists()
