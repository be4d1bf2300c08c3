"""seed_volume's changes, deviations, PPAP and audits at a tiny scale: counts, tenancy, reset,
working pages and numbering (the claims side is in test_seed_volume.py)."""

import datetime as dt

import pytest
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audits import services as audit_services
from audits.models import Answer, Audit, AuditProgramme, Finding, Process
from audits.tests.factories import plan as plan_audit
from changes import services as change_services
from changes.deviations import services as deviation_services
from changes.models import AffectedPart, ChangeEvent, ChangeRequest, Deviation, DeviationShipment
from changes.tests.factories import raise_change
from core.volumes import VolumeContext, reset_volume
from customers.models import Customer, Part
from customers.tests.factories import CustomerFactory, PartFactory
from customers.volume import ENGINEER_EMAIL
from ppap import editions
from ppap import services as ppap_services
from ppap.models import PpapElement, PpapSubmission, Warrant
from ppap.reasons import SubmissionReason
from ppap.tests.factories import draft as ppap_draft

from .conftest import VOLUME_TODAY, seed_tiny_volume

pytestmark = pytest.mark.django_db

# The same tiny seed as test_seed_volume.py (``--scale 0.0005``): the modules' minimums, 40
# changes, 20 deviations, 40 PPAP submissions and 30 audits.
VOLUME_CUSTOMER = Q(customer__code__regex=r"^VOL[0-9]{2,}$")


def _volume_rows() -> dict[str, int]:
    return {
        "changes": ChangeRequest.objects.filter(VOLUME_CUSTOMER).count(),
        "deviations": Deviation.objects.filter(VOLUME_CUSTOMER).count(),
        "shipments": DeviationShipment.objects.filter(VOLUME_CUSTOMER).count(),
        "ppap": PpapSubmission.objects.filter(part__part_number__startswith="VOL-").count(),
        "elements": PpapElement.objects.filter(VOLUME_CUSTOMER).count(),
        "audits": Audit.objects.filter(title__startswith="VOL ").count(),
        "answers": Answer.objects.filter(audit__title__startswith="VOL ").count(),
        "findings": Finding.objects.filter(audit__title__startswith="VOL ").count(),
        "processes": Process.objects.filter(name__startswith="VOL ").count(),
    }


def test_counts_tenancy_and_what_each_status_implies(volume):
    counts = _volume_rows()
    assert all(counts.values()), counts
    assert counts["changes"] == 40
    assert counts["deviations"] == 20
    assert counts["ppap"] == 40
    assert counts["elements"] == 40 * 18
    assert counts["audits"] == 30
    _every_row_belongs_to_a_volume_customer()
    _changes_carry_what_their_status_implies()
    _ppap_checklists_follow_the_level_matrix()
    _audits_are_scored_and_graded()


def _every_row_belongs_to_a_volume_customer():
    changes = ChangeRequest.objects.filter(VOLUME_CUSTOMER)
    assert not ChangeRequest.objects.exclude(VOLUME_CUSTOMER).exists()
    assert not AffectedPart.objects.exclude(customer=F("change__customer")).exists()
    assert not AffectedPart.objects.exclude(customer=F("part__customer")).exists()
    assert not ChangeEvent.objects.exclude(customer=F("change__customer")).exists()
    assert changes.filter(ppap_submissions__isnull=False).exists()
    assert not Deviation.objects.exclude(VOLUME_CUSTOMER).exists()
    assert not Deviation.parts.through.objects.exclude(
        part__customer=F("deviation__customer")
    ).exists()
    assert not DeviationShipment.objects.exclude(customer=F("deviation__customer")).exists()
    assert not PpapSubmission.objects.exclude(VOLUME_CUSTOMER).exists()
    assert not PpapSubmission.objects.exclude(customer=F("part__customer")).exists()
    linked = PpapSubmission.objects.filter(change__isnull=False)
    assert not linked.exclude(customer=F("change__customer")).exists()
    assert not PpapElement.objects.exclude(customer=F("submission__customer")).exists()
    assert not Warrant.objects.exclude(customer=F("submission__customer")).exists()
    # A database constraint keeps the customer off internal audits: a customer audit names a
    # volume customer, a product audit a volume part, a process audit a volume process.
    audits = Audit.objects.filter(title__startswith="VOL ")
    customer_audits = audits.filter(type=Audit.Type.CUSTOMER)
    product_audits = audits.filter(type=Audit.Type.PRODUCT)
    process_audits = audits.filter(type=Audit.Type.PROCESS)
    assert not customer_audits.exclude(VOLUME_CUSTOMER).exists()
    assert not product_audits.exclude(part__part_number__startswith="VOL-").exists()
    volume_process = Q(process__name__startswith="VOL ", process__plant__code__startswith="VOL")
    assert not process_audits.exclude(volume_process).exists()
    # Answers and findings carry their audit's customer (none for our own audits).
    same_customer = Q(customer=F("audit__customer")) | Q(
        customer__isnull=True, audit__customer__isnull=True
    )
    answers = Answer.objects.filter(audit__in=audits)
    assert answers.filter(audit__in=customer_audits).exists()
    assert not answers.exclude(same_customer).exists()
    assert not Finding.objects.filter(audit__in=audits).exclude(same_customer).exists()


def _changes_carry_what_their_status_implies():
    changes = ChangeRequest.objects.filter(VOLUME_CUSTOMER)
    assert not changes.filter(parts__isnull=True).exists()
    dates = sorted(changes.values_list("created_at", flat=True))
    assert dates[0].date() >= VOLUME_TODAY - dt.timedelta(days=5 * 365)
    assert dates[-1].date() <= VOLUME_TODAY
    past_board = changes.exclude(
        status__in=["draft", "submitted", "impact_assessment", "review_board", "deferred"]
    ).exclude(status__in=["rejected", "cancelled"])
    assert not past_board.filter(approvers__approved_at__isnull=True).exists()
    consent = past_board.filter(customer_approval_required=True).exclude(
        status=ChangeRequest.Status.CUSTOMER_APPROVAL
    )
    assert not consent.exclude(customer_decision__in=["approved", "waived"]).exists()
    validated = changes.filter(
        status__in=["validated", "implemented", "closed"], ppap_required=True
    )
    for change in validated:
        statuses = {s.status for s in change.ppap_submissions.all()}
        assert statuses and statuses <= {"approved", "approved_deviations"}, change.number
    for deviation in Deviation.objects.filter(VOLUME_CUSTOMER):
        shipped = sum(deviation.shipments.values_list("quantity", flat=True))
        assert shipped == deviation.quantity_shipped
        assert deviation.quantity_cap or deviation.expires_on


def _ppap_checklists_follow_the_level_matrix():
    for submission in PpapSubmission.objects.filter(VOLUME_CUSTOMER)[:10]:
        elements = {e.number: e.requirement for e in submission.elements.all()}
        assert elements == {
            number: editions.requirement(
                submission.edition,
                number,
                submission.level,
                proprietary=submission.design_proprietary,
                customer_elements=submission.customer_elements,
            )
            for number in range(1, 19)
        }
        assert submission.warrant.org_part_number == submission.part.part_number


def _audits_are_scored_and_graded():
    closed = Audit.objects.filter(
        title__startswith="VOL ", status=Audit.Status.CLOSED, catalogue__isnull=False
    )
    assert closed.exists()
    assert not closed.filter(grade="").exists()
    assert AuditProgramme.objects.filter(audits__title__startswith="VOL ").exists()


def test_reset_removes_exactly_the_volume_rows(volume, engineer, manager):
    others = _non_volume_records(engineer, manager)
    before = _volume_rows()

    reset_volume(VolumeContext(today=VOLUME_TODAY))
    assert not any(_volume_rows().values()), _volume_rows()
    assert not Customer.objects.filter(code__startswith="VOL").exists()
    for record in others:
        assert type(record).objects.filter(pk=record.pk).exists(), record

    seed_tiny_volume()  # and seeded again: the same volume, the other records untouched
    assert _volume_rows() == before
    for record in others:
        assert type(record).objects.filter(pk=record.pk).exists(), record


def _non_volume_records(engineer, manager) -> list:
    """One demo-like record of each type, through the modules' factories and services."""
    customer = CustomerFactory()
    part = PartFactory(customer=customer)
    change = raise_change(actor=engineer, customer=customer, part=part)
    deviation = deviation_services.deviation_create(
        actor=engineer,
        customer=customer,
        parts=[part],
        kind=Deviation.Kind.CONCESSION,
        title="Burr on the mounting hole",
        quantity_cap=100,
        specification="Burr-free",
        actual="Burr 0.2 mm",
        reason="Tool wear",
        risk_assessment="No effect on function",
        identification="Yellow label",
    )
    submission = ppap_draft(engineer, part=part)
    audit = plan_audit(actor=manager, title="Process audit pressing")
    return [change, deviation, submission, audit, part]


def test_pages_and_api_work_on_it(volume, client):
    client.force_login(User.objects.get(email=ENGINEER_EMAIL))
    change = ChangeRequest.objects.filter(VOLUME_CUSTOMER, status="closed").first()
    deviation = Deviation.objects.filter(VOLUME_CUSTOMER, shipments__isnull=False).first()
    submission = PpapSubmission.objects.filter(VOLUME_CUSTOMER, status="approved").first()
    audit = Audit.objects.filter(title__startswith="VOL ", findings__isnull=False).first()
    finding = audit.findings.first()
    for url in (
        reverse("changes:change-list"),
        reverse("changes:change-list") + "?status=closed",
        reverse("changes:change-detail", args=[change.pk]),
        reverse("changes:deviation-list"),
        reverse("changes:deviation-detail", args=[deviation.pk]),
        reverse("ppap:submission-list"),
        reverse("ppap:submission-detail", args=[submission.pk]),
        reverse("audits:audit-list"),
        reverse("audits:audit-detail", args=[audit.pk]),
        reverse("audits:audit-conduct", args=[audit.pk]),
        reverse("audits:finding-list"),
        reverse("audits:finding-detail", args=[finding.pk]),
        reverse("audits:programme-list"),
        reverse("audits:coverage"),
        "/api/v1/changes/",
        f"/api/v1/changes/{change.pk}/",
        "/api/v1/deviations/",
        f"/api/v1/deviations/{deviation.pk}/",
        "/api/v1/ppap/submissions/",
        f"/api/v1/ppap/submissions/{submission.pk}/",
        "/api/v1/audits/",
        f"/api/v1/audits/{audit.pk}/",
        "/api/v1/findings/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    # Every status's page renders: one change, deviation and submission of each.
    for model, prefix in (
        (ChangeRequest, "changes:change-detail"),
        (Deviation, "changes:deviation-detail"),
        (PpapSubmission, "ppap:submission-detail"),
    ):
        for status in set(model.objects.filter(VOLUME_CUSTOMER).values_list("status", flat=True)):
            record = model.objects.filter(VOLUME_CUSTOMER, status=status).first()
            assert client.get(reverse(prefix, args=[record.pk])).status_code == 200, status


def test_records_filed_afterwards_get_unused_numbers(volume, engineer, manager):
    customer = Customer.objects.filter(code="VOL01").get()
    part = Part.objects.filter(customer=customer).first()
    change = change_services.change_create(
        actor=engineer,
        customer=customer,
        title="Another change",
        change_type=ChangeRequest.Type.PROCESS,
        origin=ChangeRequest.Origin.INTERNAL,
        reason="Test",
    )
    deviation = deviation_services.deviation_create(
        actor=engineer,
        customer=customer,
        parts=[part],
        kind=Deviation.Kind.DEVIATION,
        title="Another deviation",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        specification="Spec",
        actual="Actual",
        reason="Reason",
        risk_assessment="Risk",
        identification="Label",
    )
    submission = ppap_services.submission_create(
        actor=engineer, part=part, reason=SubmissionReason.INITIAL
    )
    audits = [
        audit_services.audit_plan(
            actor=manager,
            type=Audit.Type.SYSTEM,
            title="System audit",
            planned_date=planned,
        )
        for planned in (VOLUME_TODAY, dt.date(2024, 3, 1))
    ]
    for record in (change, deviation, submission, *audits):
        # PREFIX-YYYY-NNNNN: the next after the seeded numbers of that year, used only once.
        model = type(record)
        prefix, year, serial = record.number.split("-")
        seeded = model.objects.filter(number__startswith=f"{prefix}-{year}-").exclude(pk=record.pk)
        serials = [int(number.split("-")[2]) for number in seeded.values_list("number", flat=True)]
        assert serials, f"nothing seeded in {prefix} {year}"
        assert int(serial) == max(serials) + 1, record.number
        assert model.objects.filter(number=record.number).count() == 1
