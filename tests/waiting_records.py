"""Records of every workflow in every status, written straight to the database.

For the tests of whose turn it is (``core.waiting``): what matters there is the status and the
fields a table reads, not the road the services take to reach it, so every status of every
module (and every variant its table tells apart) is built in one cheap step.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.utils import timezone

from audits.models import Audit, Finding
from changes.models import ChangeRequest, Deviation
from claims.models import Claim, ClaimCostSheet, EightDStep
from claims.tests.factories import decided_claim
from customers.tests.factories import PartFactory
from ppap.models import PpapSubmission, Warrant
from special_status.models import SpecialStatus

_numbers = itertools.count(1)
TODAY = dt.date(2026, 12, 7)


def _number(prefix: str) -> str:
    return f"{prefix}-W-{next(_numbers):05d}"


@dataclass
class People:
    """Who the records belong to: one customer, its user, our engineer."""

    customer: object
    customer_user: object
    engineer: object

    def part(self):
        return PartFactory(customer=self.customer)


def claim(people: People, status: str, *, filed_by=None, **fields) -> Claim:
    made = decided_claim(
        people.part(),
        TODAY,
        1,
        actor=filed_by or people.customer_user,
        status=status,
        assigned_engineer=fields.pop("assigned_engineer", people.engineer),
        **fields,
    )
    return made


def claims(people: People) -> list[Claim]:
    """Every claim status; drafts filed by the customer and by us."""
    made = [claim(people, status) for status in Claim.Status.values]
    made.append(claim(people, Claim.Status.DRAFT, filed_by=people.engineer))
    made.append(claim(people, Claim.Status.SUBMITTED, assigned_engineer=None))
    # Closed provisionally: ours until the effectiveness evidence is sent, then the customer's.
    made.append(
        claim(
            people,
            Claim.Status.PROVISIONALLY_CLOSED,
            effectiveness_due_on=TODAY,
            effectiveness_evidence="3 lots without burr",
            effectiveness_evidence_at=timezone.now(),
        )
    )
    # Following another claim's 8D (claims.linking): the same party as on the master, whose 8D
    # is worked on; closed provisionally, the master's evidence decides.
    master, evidenced = made[0], made[-1]
    S = Claim.Status
    for status in (S.CONTAINMENT, S.CUSTOMER_EVALUATION, S.PROVISIONALLY_CLOSED):
        made.append(claim(people, status, master=master, effectiveness_due_on=TODAY))
    made.append(claim(people, S.PROVISIONALLY_CLOSED, master=evidenced, effectiveness_due_on=TODAY))
    return made


# Claims in these statuses carry steps: one where the 8D is worked on, one closed, one not yet.
STEP_CLAIM_STATUSES = (Claim.Status.CONTAINMENT, Claim.Status.CLOSED, Claim.Status.SUBMITTED)


def steps(people: People) -> list[EightDStep]:
    """Every step status, under claims that are live, closed and not yet acknowledged, and under
    a claim that follows another claim's 8D (claims.linking: nobody works on its steps)."""
    made = []
    now = timezone.now()
    live = Claim.Status.CONTAINMENT
    owners = [claim(people, claim_status) for claim_status in STEP_CLAIM_STATUSES]
    owners.append(claim(people, live, master=claim(people, live)))
    for owner in owners:
        for code, status in zip(EightDStep.Code.values, EightDStep.Status.values, strict=False):
            made.append(
                EightDStep.objects.create(
                    claim=owner,
                    customer=owner.customer,
                    code=code,
                    status=status,
                    due_at=now + dt.timedelta(days=3),
                    submitted_at=now if status == EightDStep.Status.SUBMITTED else None,
                )
            )
    return made


def cost_sheets(people: People) -> list[ClaimCostSheet]:
    made = []
    for status in ClaimCostSheet.Status.values:
        owner = claim(people, Claim.Status.CONTAINMENT)
        made.append(
            ClaimCostSheet.objects.create(claim=owner, customer=owner.customer, status=status)
        )
    return made


def change(people: People, status: str, **fields) -> ChangeRequest:
    return ChangeRequest.objects.create(
        number=_number("ECR"),
        customer=people.customer,
        title=f"Punch material ({status})",
        change_type=ChangeRequest.Type.PROCESS,
        origin=ChangeRequest.Origin.INTERNAL,
        reason="Tool life",
        status=status,
        created_by=people.engineer,
        customer_notified_at=timezone.now(),
        effectivity_date=TODAY,
        **fields,
    )


def changes(people: People) -> list[ChangeRequest]:
    return [change(people, status) for status in ChangeRequest.Status.values]


def deviation(people: People, status: str) -> Deviation:
    made = Deviation.objects.create(
        number=_number("DEV"),
        customer=people.customer,
        kind=Deviation.Kind.CONCESSION,
        status=status,
        title=f"Burr ({status})",
        quantity_cap=500,
        expires_on=TODAY,
        specification="Burr-free",
        actual="Burr 0.3 mm",
        reason="Worn punch",
        risk_assessment="No effect on fit",
        identification="Yellow label",
        owner=people.engineer,
        created_by=people.engineer,
        requested_at=timezone.now(),
    )
    made.parts.set([people.part()])
    return made


def deviations(people: People) -> list[Deviation]:
    return [deviation(people, status) for status in Deviation.Status.values]


def submission(people: People, status: str, *, is_current: bool = True) -> PpapSubmission:
    part = people.part()
    made = PpapSubmission.objects.create(
        number=_number("PPAP"),
        is_current=is_current,
        customer=people.customer,
        part=part,
        part_revision=part.revision,
        reason="initial",
        level=3,
        status=status,
        owner=people.engineer,
        due_date=TODAY,
        created_by=people.engineer,
    )
    Warrant.objects.create(submission=made, customer=people.customer)
    return made


def submissions(people: People) -> list[PpapSubmission]:
    """Every status, as the current revision and as an earlier one."""
    return [
        submission(people, status, is_current=current)
        for status in PpapSubmission.Status.values
        for current in (True, False)
    ]


def audit(people: People, status: str, *, customer_audit: bool = False) -> Audit:
    return Audit.objects.create(
        number=_number("AUD"),
        type=Audit.Type.CUSTOMER if customer_audit else Audit.Type.SYSTEM,
        customer=people.customer if customer_audit else None,
        title=f"Audit ({status})",
        planned_date=TODAY,
        status=status,
        lead_auditor=people.engineer,
        created_by=people.engineer,
    )


def audits(people: People) -> list[Audit]:
    return [audit(people, status) for status in Audit.Status.values]


# Findings live under these audits: the customer's and ours, conducted, closed and cancelled.
FINDING_AUDITS = (
    (Audit.Status.IN_PROGRESS, True),
    (Audit.Status.IN_PROGRESS, False),
    (Audit.Status.CLOSED, True),
    (Audit.Status.CANCELLED, True),
    (Audit.Status.CANCELLED, False),
)


def findings(people: People) -> list[Finding]:
    made = []
    for audit_status, customer_audit in FINDING_AUDITS:
        owner = audit(people, audit_status, customer_audit=customer_audit)
        for position, status in enumerate(Finding.Status.values, start=1):
            made.append(
                Finding.objects.create(
                    audit=owner,
                    customer=owner.customer,
                    position=position,
                    classification=Finding.Classification.MAJOR,
                    description=f"Finding ({status})",
                    status=status,
                    created_by=people.engineer,
                    plan_due=timezone.now() + dt.timedelta(days=30),
                )
            )
    return made


def special_statuses(people: People) -> list[SpecialStatus]:
    return [
        SpecialStatus.objects.create(
            number=_number("SS"),
            customer=people.customer,
            kind=SpecialStatus.Kind.CS1,
            status=status,
            started_on=TODAY,
            reason=f"Burr claims ({status})",
            owner=people.engineer,
            created_by=people.engineer,
            exit_requested_at=timezone.now(),
        )
        for status in SpecialStatus.Status.values
    ]


# Per model: how to build all of its records, and the statuses in which nobody has to act.
BUILDERS = {
    Claim: (claims, Claim.FINAL_STATUSES),
    EightDStep: (steps, (EightDStep.Status.APPROVED,)),
    ClaimCostSheet: (cost_sheets, (ClaimCostSheet.Status.ACCEPTED,)),
    ChangeRequest: (changes, ChangeRequest.FINAL_STATUSES),
    Deviation: (deviations, Deviation.FINAL_STATUSES),
    PpapSubmission: (
        submissions,
        (
            PpapSubmission.Status.APPROVED,
            PpapSubmission.Status.APPROVED_WITH_DEVIATIONS,
            PpapSubmission.Status.CANCELLED,
        ),
    ),
    Audit: (audits, Audit.FINAL_STATUSES),
    Finding: (findings, Finding.FINAL_STATUSES),
    SpecialStatus: (special_statuses, SpecialStatus.FINAL_STATUSES),
}
