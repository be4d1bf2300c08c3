"""The register's writes: a new revision with its review action and changed clauses, the
mapping of a clause and what it refuses."""

import datetime as dt

import pytest
from django.utils import timezone

from core.errors import DomainError, PermissionDenied
from core.models import Action
from csr import selectors, services
from csr.models import Clause, ClauseStatus
from documents.tests.factories import new_document

from .factories import new_csr

pytestmark = pytest.mark.django_db
CLAUSES = [("4.2", "Keep a register"), ("4.10", "Report quarterly"), ("8.3", "Mark symbols")]


@pytest.fixture
def csr(engineer, manager, customer_a):
    return new_csr(actor=engineer, owner=manager, customer=customer_a, clauses=CLAUSES)


def test_clauses_are_ordered_by_their_number_parts(csr, engineer):
    numbers = [clause.number for clause in selectors.clauses_of(csr, engineer)]
    assert numbers == ["4.2", "4.10", "8.3"]


def test_new_revision_copies_mapping_reopens_changed_clauses_and_raises_a_review(
    csr, engineer, manager, settings
):
    settings.CQM_CSR_REVIEW_DAYS = 10
    document = new_document(actor=engineer, title="Procedure", customer=csr.customer)
    for clause in csr.clauses.all():
        services.clause_map(
            clause=clause,
            actor=engineer,
            status=ClauseStatus.IMPLEMENTED,
            fulfilled_by=document,
            process="Purchasing",
            owner=engineer,
        )

    new = services.csr_revise(
        document=csr,
        actor=engineer,
        revision="2",
        issued_on=dt.date(2026, 6, 1),
        clauses=[
            {"number": "4.2", "title": "Clause 4.2", "text": "Keep a register"},
            {"number": "4.10", "title": "Clause 4.10", "text": "Report monthly"},
            {"number": "9.1", "title": "Scorecard", "text": "Review the scorecard"},
        ],
    )

    clauses = {clause.number: clause for clause in new.clauses.all()}
    assert clauses["4.2"].status == ClauseStatus.IMPLEMENTED
    assert clauses["4.2"].fulfilled_by == document
    assert clauses["4.10"].status == ClauseStatus.OPEN
    assert clauses["4.10"].process == "Purchasing"
    assert clauses["9.1"].status == ClauseStatus.OPEN and clauses["9.1"].fulfilled_by is None
    changes = selectors.changes_since_previous(new)
    assert (changes.added, changes.changed, changes.removed) == (["9.1"], ["4.10"], ["8.3"])
    action = Action.objects.for_owner(new).get()
    assert action.kind == Action.Kind.FOLLOW_UP and action.owner == manager
    assert action.due_date == timezone.localdate() + dt.timedelta(days=10)
    assert "2" in action.title and csr.reference in action.title
    assert selectors.changes_since_previous(csr) is None


def test_revision_without_clauses_copies_them_and_nothing_changed(csr, engineer):
    new = services.csr_revise(
        document=csr, actor=engineer, revision="1a", issued_on=dt.date(2026, 2, 1)
    )
    assert new.clauses.count() == 3
    assert not selectors.changes_since_previous(new)


def test_only_the_latest_revision_is_revised_or_mapped(csr, engineer):
    services.csr_revise(document=csr, actor=engineer, revision="2", issued_on=dt.date(2026, 2, 1))
    with pytest.raises(DomainError):
        services.csr_revise(
            document=csr, actor=engineer, revision="3", issued_on=dt.date(2026, 3, 1)
        )
    with pytest.raises(DomainError):
        services.clause_map(clause=csr.clauses.first(), actor=engineer, status="implemented")


def test_the_same_revision_twice_is_refused(csr, engineer):
    with pytest.raises(DomainError):
        services.csr_revise(
            document=csr, actor=engineer, revision="1", issued_on=dt.date(2026, 2, 1)
        )


def test_not_applicable_needs_a_reason(csr, engineer):
    clause = csr.clauses.get(number="8.3")
    with pytest.raises(DomainError) as refused:
        services.clause_map(clause=clause, actor=engineer, status=ClauseStatus.NOT_APPLICABLE)
    assert refused.value.field == "not_applicable_reason"
    assert Clause.objects.get(pk=clause.pk).status == ClauseStatus.OPEN

    services.clause_map(
        clause=clause,
        actor=engineer,
        status=ClauseStatus.NOT_APPLICABLE,
        not_applicable_reason="We ship no painted parts.",
    )
    clause.refresh_from_db()
    assert clause.status == ClauseStatus.NOT_APPLICABLE
    assert clause.history.count() == 2


def test_customer_users_never_write(csr, user_a, customer_a):
    with pytest.raises(PermissionDenied):
        new_csr(actor=user_a, customer=customer_a, reference="X")
    with pytest.raises(PermissionDenied):
        services.clause_add(document=csr, actor=user_a, number="1", title="t", text="x")
    with pytest.raises(PermissionDenied):
        services.clause_map(clause=csr.clauses.first(), actor=user_a, status="implemented")
    with pytest.raises(PermissionDenied):
        services.csr_revise(document=csr, actor=user_a, revision="2", issued_on=dt.date.today())
