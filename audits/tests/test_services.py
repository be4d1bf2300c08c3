"""Audit services: planning, independence, workflow, answers, findings, coverage, catalogues."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import DEFAULT_PASSWORD as PASSWORD
from audits import catalogues, selectors, services
from audits.models import Answer, Audit, AuditEvent, Catalogue, Finding, Question
from audits.tests import factories as f
from claims.tests.factories import file_claim
from core.errors import Conflict, DomainError, PermissionDenied
from core.locking import StaleVersion
from core.models import Signature
from customers.tests.factories import PartFactory

pytestmark = pytest.mark.django_db


def test_plan_gives_a_gap_free_number_and_an_event(manager, engineer):
    first = f.plan(actor=manager, lead_auditor=engineer)
    second = f.plan(actor=manager)
    assert first.number == "AUD-2026-00001" and second.number == "AUD-2026-00002"
    assert first.status == "planned"
    assert AuditEvent.objects.filter(audit=first, action="plan").count() == 1
    assert first.history.count() == 1


def test_an_auditor_may_not_audit_their_own_area(manager, engineer):
    own = f.process(responsible=[engineer], name="Welding line 2")
    with pytest.raises(DomainError) as refused:
        f.plan(actor=manager, process=own, lead_auditor=engineer)
    assert "own area" in refused.value.message and "Welding line 2" in refused.value.message
    with pytest.raises(DomainError):
        f.plan(actor=manager, process=own, lead_auditor=manager, team=[engineer])
    assert not Audit.objects.exists()  # nothing half-written, no number used up
    assert f.plan(actor=manager, process=own, lead_auditor=manager).number == "AUD-2026-00001"


def test_own_area_through_the_part_of_a_product_audit(manager, engineer):
    part = PartFactory()
    f.process(responsible=[engineer], parts=[part])
    with pytest.raises(DomainError):
        f.plan(actor=manager, type=Audit.Type.PRODUCT, part=part, lead_auditor=engineer)


def test_replanning_onto_own_area_is_refused(manager, engineer):
    audit = f.plan(actor=manager, lead_auditor=engineer)
    own = f.process(responsible=[engineer])
    with pytest.raises(DomainError):
        services.audit_update(audit=audit, actor=manager, process=own)
    audit.refresh_from_db()
    assert audit.process_id != own.pk


def test_only_planners_plan(engineer, user_a):
    for actor in (engineer, user_a):
        with pytest.raises(PermissionDenied):
            f.plan(actor=actor)


def test_customer_audit_needs_the_customer(manager, customer_a):
    with pytest.raises(DomainError):
        f.plan(actor=manager, type=Audit.Type.CUSTOMER)
    audit = f.plan(actor=manager, type=Audit.Type.CUSTOMER, customer=customer_a)
    assert audit.customer == customer_a
    internal = f.plan(actor=manager, customer=customer_a)
    assert internal.customer is None  # our own audits belong to no customer


def test_workflow_and_approval_freezes_the_grade(manager):
    audit = f.started(actor=manager, catalogue=f.vda_catalogue(), process_steps=["Press", "Weld"])
    assert audit.status == "in_progress" and audit.started_at
    for question in audit.catalogue.questions.all():
        steps = ["Press", "Weld"] if question.per_step else [""]
        for step in steps:
            services.answer_save(audit=audit, question=question, actor=manager, step=step, score=10)
    services.audit_transition(audit=audit, actor=manager, action="draft_report")
    with pytest.raises(DomainError):  # no summary yet
        services.audit_transition(
            audit=audit, actor=manager, action="approve_report", password=PASSWORD
        )
    services.audit_summary_save(audit=audit, actor=manager, summary="Well run process.")
    with pytest.raises(DomainError, match="password"):  # the approval is a signature
        services.audit_transition(
            audit=audit, actor=manager, action="approve_report", password="guess"
        )
    audit.refresh_from_db()
    assert audit.status == "report_draft" and not audit.grade
    assert not Signature.objects.for_owner(audit).exists()
    audit = services.audit_transition(
        audit=audit, actor=manager, action="approve_report", password=PASSWORD
    )
    assert audit.status == "closed" and audit.grade == "A"
    signature = Signature.objects.for_owner(audit).get()
    assert signature.signer == manager and signature.meaning == "Audit report approved"
    assert audit.result_percent == Decimal("100.00")
    assert list(AuditEvent.objects.filter(audit=audit).values_list("action", flat=True))[:1] == [
        "approve_report"
    ]
    with pytest.raises(Conflict):
        services.answer_save(audit=audit, question=question, actor=manager, score=4)


def test_engineer_cannot_approve_or_cancel(manager, engineer):
    audit = f.started(actor=manager)
    with pytest.raises(PermissionDenied):
        services.audit_transition(audit=audit, actor=engineer, action="cancel", comment="No")
    with pytest.raises(DomainError):
        services.audit_transition(audit=audit, actor=manager, action="cancel", comment="")


def test_answers_validate_score_and_reason(manager):
    audit = f.started(actor=manager, catalogue=f.vda_catalogue())
    question = audit.catalogue.questions.get(code="P5.1")
    with pytest.raises(DomainError) as refused:
        services.answer_save(audit=audit, question=question, actor=manager, score=5)
    assert "0, 4, 6, 8 or 10" in refused.value.message
    with pytest.raises(DomainError):
        services.answer_save(audit=audit, question=question, actor=manager, not_evaluated=True)
    assert not Answer.objects.exists()
    answer = services.answer_save(
        audit=audit, question=question, actor=manager, not_evaluated=True, reason="Line stopped"
    )
    assert answer.score is None and answer.reason == "Line stopped"


def test_answers_are_locked_optimistically(manager, engineer):
    audit = f.started(actor=manager, catalogue=f.vda_catalogue())
    question = audit.catalogue.questions.get(code="P5.1")
    first = services.answer_save(audit=audit, question=question, actor=manager, score=8)
    services.answer_save(
        audit=audit, question=question, actor=engineer, score=6, expected_version=first.version
    )
    with pytest.raises(StaleVersion):  # read before the engineer's write
        services.answer_save(
            audit=audit, question=question, actor=manager, score=4, expected_version=first.version
        )
    with pytest.raises(StaleVersion):  # the page showed it unanswered
        services.answer_save(
            audit=audit, question=question, actor=manager, score=4, expected_version=0
        )
    assert Answer.objects.get().score == 6


def test_p6_answers_need_a_process_step(manager):
    audit = f.started(actor=manager, catalogue=f.vda_catalogue(), process_steps=["Press"])
    question = audit.catalogue.questions.get(code="P6.1")
    with pytest.raises(DomainError):
        services.answer_save(audit=audit, question=question, actor=manager, step="Paint", score=8)
    answer = services.answer_save(
        audit=audit, question=question, actor=manager, step="Press", score=8
    )
    assert answer.step == "Press"


def test_finding_lowers_the_question_score(manager):
    audit = f.started(actor=manager, catalogue=f.vda_catalogue())
    question = audit.catalogue.questions.get(code="P7.1")
    services.answer_save(audit=audit, question=question, actor=manager, score=10)
    services.finding_raise(
        audit=audit,
        actor=manager,
        classification="minor",
        description="No plan",
        question=question,
        score=6,
    )
    assert selectors.audit_result(audit).question_values["P7.1"] == Decimal(6)


def test_finding_deadlines_follow_the_customer_requirements(manager, customer_a):
    requirements = customer_a.requirements
    requirements.finding_major_containment_hours = 24
    requirements.finding_major_implementation_days = 60
    requirements.save()
    audit = f.customer_audit(actor=manager, customer=customer_a)
    major = services.finding_raise(
        audit=audit, actor=manager, classification="major", description="Gap"
    )
    assert major.containment_due - major.raised_at == dt.timedelta(hours=24)
    assert major.plan_due - major.raised_at == dt.timedelta(days=30)
    assert major.implementation_due - major.raised_at == dt.timedelta(days=60)
    ofi = services.finding_raise(
        audit=audit, actor=manager, classification="ofi", description="Idea"
    )
    assert ofi.plan_due is None and ofi.implementation_due is None and ofi.customer == customer_a
    assert ofi.position == 2


def test_internal_finding_defaults(manager):
    audit = f.started(actor=manager)
    minor = services.finding_raise(
        audit=audit, actor=manager, classification="minor", description="Gap"
    )
    assert minor.containment_due is None
    assert minor.implementation_due - minor.raised_at == dt.timedelta(days=90)


def _respond(finding, actor):
    services.finding_action_add(
        finding=finding, actor=actor, title="Fix it", owner=actor, due_date=dt.date(2026, 6, 1)
    )
    return services.finding_respond(
        finding=finding,
        actor=actor,
        containment="Sorted",
        correction="Reworked",
        root_cause="Worn die",
    )


def test_a_nonconformity_needs_a_full_response(manager):
    audit = f.started(actor=manager)
    finding = services.finding_raise(
        audit=audit, actor=manager, classification="major", description="Gap"
    )
    with pytest.raises(ValidationError) as refused:
        services.finding_respond(finding=finding, actor=manager, correction="Reworked")
    assert {"containment", "root_cause", "actions"} <= set(refused.value.message_dict)
    finding.refresh_from_db()
    assert finding.status == "open" and finding.correction == ""
    finding = _respond(finding, manager)
    assert finding.status == "submitted"
    with pytest.raises(DomainError):  # no effectiveness check yet
        services.finding_close(finding=finding, actor=manager)
    # The response is edited after it is sent back.
    finding = services.finding_send_back(finding=finding, actor=manager, reason="Check it works")
    finding = services.finding_respond(
        finding=finding,
        actor=manager,
        containment="Sorted",
        correction="Reworked",
        root_cause="Worn die",
        effectiveness="3 lots without defect",
    )
    assert services.finding_close(finding=finding, actor=manager).status == "closed"


def test_customer_confirms_the_closure_of_their_own_findings(manager, customer_a, user_a, user_b):
    audit = f.customer_audit(actor=manager, customer=customer_a)
    finding = services.finding_raise(
        audit=audit, actor=manager, classification="minor", description="Gap"
    )
    finding = _respond(finding, manager)
    with pytest.raises(PermissionDenied):
        services.finding_close(finding=finding, actor=manager)  # the customer decides
    with pytest.raises(PermissionDenied):
        services.finding_confirm_closure(finding=finding, actor=user_b)
    back = services.finding_send_back(finding=finding, actor=user_a, reason="Show evidence")
    assert back.status == "open" and back.decision_comment == "Show evidence"
    back = _respond(back, manager)
    closed = services.finding_confirm_closure(finding=back, actor=user_a, comment="Fine")
    assert closed.status == "closed" and closed.closed_by == user_a
    actions = AuditEvent.objects.filter(finding=finding).values_list("action", flat=True)
    assert {"finding_send_back", "finding_confirm"} <= set(actions)


def test_observation_is_closed_without_a_response(manager):
    audit = f.started(actor=manager)
    finding = services.finding_raise(
        audit=audit, actor=manager, classification="observation", description="Note"
    )
    assert services.finding_close(finding=finding, actor=manager).status == "closed"


def test_coverage_flags(manager, engineer, customer_a, user_a):
    part = PartFactory(customer=customer_a)
    never = f.process(name="Never audited", shifts=1)
    one_shift = f.process(name="Two shifts, one audited", shifts=2, parts=[part])
    covered = f.process(name="Covered", shifts=2)
    f.started(actor=manager, process=one_shift, shifts_audited=[1])
    f.started(actor=manager, process=covered, shifts_audited=[1, 2])
    file_claim(actor=user_a, part=part)
    rows = {row.process.name: row for row in selectors.coverage(dt.date(2026, 11, 1))}
    assert rows[never.name].flags == ["not_audited"]
    assert rows[one_shift.name].flags == ["one_shift", "claims"]
    assert rows[one_shift.name].recent_claims == 1
    assert rows[covered.name].flags == []


def test_catalogue_import_is_all_or_nothing():
    rows = [
        {"code": "P2.1", "element": "P2", "text": "Fine"},
        {"code": "P6.1", "element": "P6", "text": "No sub-element"},
        {"code": "P2.1", "element": "P9", "text": ""},
    ]
    with pytest.raises(ValidationError) as refused:
        catalogues.catalogue_import(actor=None, name="X", version="1", kind="vda63", rows=rows)
    text = " ".join(refused.value.messages)
    assert "Row 2" in text and "Row 3" in text and "twice" in text
    assert not Catalogue.objects.exists() and not Question.objects.exists()


def test_catalogue_round_trip_json_and_csv():
    catalogue = f.vda_catalogue("1")
    exported = json.loads(catalogues.as_json(catalogue))
    exported["version"] = "2"
    again = catalogues.import_json(actor=None, content=json.dumps(exported))
    assert list(again.questions.values_list("code", "star")) == list(
        catalogue.questions.values_list("code", "star")
    )
    rows = catalogues.parse_csv(catalogues.as_csv(catalogue).encode())
    third = catalogues.catalogue_import(
        actor=None, name="CSV", version="1", kind="vda63", rows=rows
    )
    assert third.questions.count() == len(f.SMALL_VDA)
    with pytest.raises(ValidationError):
        catalogues.parse_csv(b"code;text\n1;x")


def test_shipped_catalogues_load_once():
    loaded = catalogues.load_shipped()
    assert {c.kind for c in loaded} == {"iso9001", "vda63"}
    assert catalogues.load_shipped() == []
    vda = next(c for c in loaded if c.kind == "vda63")
    assert set(vda.questions.values_list("element", flat=True)) == {
        "P2",
        "P3",
        "P4",
        "P5",
        "P6",
        "P7",
    }


def test_a_cancelled_audit_keeps_its_findings_read_only(manager):
    audit = f.started(actor=manager)
    finding = services.finding_raise(
        audit=audit, actor=manager, classification="minor", description="Gap"
    )
    services.audit_transition(audit=audit, actor=manager, action="cancel", comment="Moved")
    with pytest.raises(Conflict):
        services.finding_cancel(finding=finding, actor=manager, reason="x")
    assert Finding.objects.get().status == "open"
