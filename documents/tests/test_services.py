"""The revision lifecycle: review, signed approval, effective dates, supersession, withdrawal."""

import datetime as dt

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import Signature
from documents import services, tasks
from documents.models import Document, DocumentEvent, ReviewReminder, Revision
from notifications.models import Notification

from .factories import draft, effective, new_document, pdf_upload, reviewed, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(engineer):
    return new_document(actor=engineer)


def test_a_new_document_gets_a_number_and_a_review_date(document, engineer):
    assert document.number.startswith("DOC-")
    assert document.owner == engineer and document.status == Document.Status.IN_PREPARATION
    assert document.next_review_on == services.add_months(today(), 36)


def test_revisions_are_lettered_and_one_is_worked_on_at_a_time(document, engineer, manager):
    first = effective(document, author=engineer, approver=manager)
    second = draft(document, author=engineer)
    assert (first.letter, second.letter) == ("A", "B")
    with pytest.raises(Conflict):
        draft(document, author=engineer)
    assert services.next_letter(["A", "H"]) == "J"  # I and O read as 1 and 0
    assert services.next_letter(["Z"]) == "AA"


def test_approving_b_makes_it_effective_today_and_supersedes_a(document, engineer, manager):
    a = effective(document, author=engineer, approver=manager)
    b = reviewed(document, author=engineer, change="Failure mode burr added")

    services.revision_approve(revision=b, actor=manager, password=DEFAULT_PASSWORD)

    a.refresh_from_db()
    b.refresh_from_db()
    document.refresh_from_db()
    assert (a.status, b.status) == (Revision.Status.SUPERSEDED, Revision.Status.EFFECTIVE)
    assert b.effective_on == today() and b.approved_by == manager
    assert document.current_revision == b and document.status == Document.Status.EFFECTIVE
    assert Signature.objects.for_owner(b).get().signer == manager
    actions = list(DocumentEvent.objects.filter(document=document).values_list("action", flat=True))
    assert {"approve", "make_effective", "supersede"} <= set(actions)


def test_a_future_effective_date_waits_for_the_daily_run(document, engineer, manager):
    a = effective(document, author=engineer, approver=manager)
    later = today() + dt.timedelta(days=5)
    b = reviewed(document, author=engineer, effective_on=later)

    services.revision_approve(revision=b, actor=manager, password=DEFAULT_PASSWORD)
    b.refresh_from_db()
    assert b.status == Revision.Status.APPROVED and b.effective_on == later
    assert services.revisions_make_due_effective(on=later - dt.timedelta(days=1)) == 0

    assert services.revisions_make_due_effective(on=later) == 1
    events = DocumentEvent.objects.filter(document=document).count()
    assert services.revisions_make_due_effective(on=later) == 0  # the second run changes nothing
    assert DocumentEvent.objects.filter(document=document).count() == events

    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Revision.Status.SUPERSEDED, Revision.Status.EFFECTIVE)


def test_a_past_effective_date_becomes_the_approval_day(document, engineer, manager):
    revision = reviewed(document, author=engineer, effective_on=today() - dt.timedelta(days=9))
    services.revision_approve(revision=revision, actor=manager, password=DEFAULT_PASSWORD)
    revision.refresh_from_db()
    assert revision.status == Revision.Status.EFFECTIVE and revision.effective_on == today()


def test_approving_ones_own_revision_is_refused(document, manager):
    revision = reviewed(document, author=manager)
    with pytest.raises(PermissionDenied, match="another approver"):
        services.revision_approve(revision=revision, actor=manager, password=DEFAULT_PASSWORD)
    revision.refresh_from_db()
    assert revision.status == Revision.Status.UNDER_REVIEW
    assert not Signature.objects.for_owner(revision).exists()


def test_an_engineer_cannot_approve_and_a_wrong_password_signs_nothing(document, engineer, manager):
    revision = reviewed(document, author=engineer)
    with pytest.raises(PermissionDenied):
        services.revision_approve(revision=revision, actor=UserFactory(), password=DEFAULT_PASSWORD)
    with pytest.raises(DomainError):
        services.revision_approve(revision=revision, actor=manager, password="wrong")
    revision.refresh_from_db()
    assert revision.status == Revision.Status.UNDER_REVIEW


def test_approval_waits_for_every_reviewer(document, engineer, manager):
    revision = services.revision_submit(revision=draft(document, author=engineer), actor=engineer)
    with pytest.raises(DomainError, match="Every reviewer"):
        services.revision_approve(revision=revision, actor=manager, password=DEFAULT_PASSWORD)


def test_comments_return_the_revision_to_its_author(document, engineer):
    revision = services.revision_submit(revision=draft(document, author=engineer), actor=engineer)
    reviewer = revision.reviews.get().reviewer
    assert Notification.objects.filter(
        recipient=reviewer, kind="documents.review_requested"
    ).exists()

    services.review_record(
        revision=revision, actor=reviewer, decision="comments", comment="Add the burr"
    )

    revision.refresh_from_db()
    assert revision.status == Revision.Status.DRAFT
    assert Notification.objects.filter(
        recipient=engineer, kind="documents.revision_returned"
    ).exists()


def test_only_named_reviewers_answer(document, engineer, manager):
    revision = services.revision_submit(revision=draft(document, author=engineer), actor=engineer)
    with pytest.raises(PermissionDenied):
        services.review_record(revision=revision, actor=manager, decision="approved")


def test_submit_needs_the_file_and_a_reviewer(document, engineer):
    revision = services.revision_start(
        document=document, actor=engineer, change_description="First issue"
    )
    with pytest.raises(DomainError, match="file"):
        services.revision_submit(revision=revision, actor=engineer)
    services.revision_update(revision=revision, actor=engineer, upload=pdf_upload())
    with pytest.raises(DomainError, match="reviewer"):
        services.revision_submit(revision=revision, actor=engineer)


def test_the_author_tells_of_the_approval(document, engineer, manager):
    effective(document, author=engineer, approver=manager)
    assert Notification.objects.filter(
        recipient=engineer, kind="documents.revision_approved"
    ).exists()


def test_withdrawing_the_revision_in_effect_makes_the_document_obsolete(
    document, engineer, manager
):
    revision = effective(document, author=engineer, approver=manager)
    with pytest.raises(DomainError):
        services.revision_withdraw(revision=revision, actor=engineer, reason=" ")
    services.revision_withdraw(revision=revision, actor=engineer, reason="Part discontinued")
    revision.refresh_from_db()
    document.refresh_from_db()
    assert revision.status == Revision.Status.OBSOLETE
    assert revision.withdrawal_reason == "Part discontinued"
    assert document.status == Document.Status.OBSOLETE and document.current_revision is None
    with pytest.raises(Conflict):
        draft(document, author=engineer)


def test_the_daily_task_run_twice_changes_nothing_twice(document, engineer, manager):
    later = today() + dt.timedelta(days=1)
    revision = reviewed(document, author=engineer, effective_on=later)
    services.revision_approve(revision=revision, actor=manager, password=DEFAULT_PASSWORD)
    Document.objects.filter(pk=document.pk).update(next_review_on=today())

    assert tasks.run_daily() == {"effective": 0, "reminded": 1}
    assert tasks.run_daily() == {"effective": 0, "reminded": 0}
    assert services.revisions_make_due_effective(on=later) == 1
    assert services.revisions_make_due_effective(on=later) == 0
    assert ReviewReminder.objects.filter(document=document).count() == 1
    reminders = Notification.objects.filter(recipient=engineer, kind="documents.review_due")
    assert reminders.count() == 1


def test_a_recorded_periodic_review_moves_the_due_date(document, engineer):
    Document.objects.filter(pk=document.pk).update(next_review_on=today())
    services.send_review_reminders()
    services.document_review_record(document=document, actor=engineer, comment="Still valid")
    document.refresh_from_db()
    assert document.next_review_on == services.add_months(today(), 36)
    # The next due date is reminded again once it comes near.
    assert services.send_review_reminders(on=document.next_review_on) == 1


def test_a_customer_document_takes_only_that_customers_parts(engineer, customer_a, customer_b):
    from django.core.exceptions import ValidationError

    from customers.tests.factories import PartFactory

    with pytest.raises(ValidationError):
        new_document(actor=engineer, customer=customer_a, parts=[PartFactory(customer=customer_b)])
    assert Document.objects.count() == 0
