"""Demo PPAP submissions: one for each state of the lifecycle, on the demo customers' parts.

``seed()`` is idempotent: a submission is looked up by its part and its demo reason text, and
only a missing one is created. Every state is reached through ``ppap.services`` with the demo
users as actors, signatures included (the demo password), so the demo shows what the portal
would have recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.services import attachment_add
from customers.demo import DEMO_PASSWORD
from customers.models import Part

from . import services
from .models import PpapSubmission
from .reasons import SubmissionReason

ENGINEER = "engineer@demo.example"
MANAGER = "manager@demo.example"


@dataclass(frozen=True)
class DemoSubmission:
    part_number: str
    reason: str
    detail: str  # also the key that finds the demo submission again
    level: int
    stage: str  # draft, cancelled, submitted, approved, interim, expired, rejected, deviations,
    # resubmitted
    form_set: str = "aiag"


R = SubmissionReason
SUBMISSIONS = [
    DemoSubmission("HN-21-1001", R.INITIAL, "Demo: new caliper bracket", 3, "approved"),
    DemoSubmission("HN-21-1010", R.TOOLING, "Demo: second forging die", 3, "submitted"),
    DemoSubmission("HN-21-1020", R.PROCESSING, "Demo: new press line", 2, "interim"),
    DemoSubmission("HN-21-1030", R.ENGINEERING_CHANGE, "Demo: hinge pin Ø8", 3, "draft"),
    DemoSubmission("HN-32-2010", R.SUB_SUPPLIER, "Demo: new steel mill", 3, "rejected"),
    DemoSubmission("HN-32-2020", R.CORRECTION, "Demo: drain boss corrected", 1, "expired"),
    DemoSubmission("HN-32-2030", R.TOOLING_INACTIVE, "Demo: tool restarted", 2, "resubmitted"),
    DemoSubmission("HN-32-2050", R.OTHER, "Demo: project stopped", 3, "cancelled"),
    DemoSubmission(
        "HN-45-3001", R.ADDITIONAL_LOCATION, "Demo: welding moved to Brno", 3, "deviations",
        form_set="vda2",
    ),
]  # fmt: skip


def seed(*, today: dt.date | None = None, stdout=None) -> None:
    today = today or timezone.localdate()
    users = {user.email: user for user in User.objects.filter(email__endswith=".example")}
    parts = {part.part_number: part for part in Part.objects.select_related("customer")}
    created = 0
    for spec in SUBMISSIONS:
        part = parts.get(spec.part_number)
        if part is None:
            continue
        if PpapSubmission.objects.filter(part=part, reason_detail=spec.detail).exists():
            continue
        with transaction.atomic():
            _create(spec, part, users, today)
        created += 1
    if stdout is not None:
        stdout.write(
            f"Demo PPAP: {created} submissions created, {len(SUBMISSIONS) - created} already there."
        )


def summary(*, stdout) -> None:
    details = [spec.detail for spec in SUBMISSIONS]
    count = PpapSubmission.objects.filter(reason_detail__in=details).count()
    stdout.write(f"{count} demo PPAP submissions (with revisions).")


def _create(spec: DemoSubmission, part: Part, users: dict, today: dt.date) -> None:
    engineer, manager = users[ENGINEER], users[MANAGER]
    customer_user = users[f"quality@{part.customer.code.lower()}.example"]
    submission = services.submission_create(
        actor=engineer,
        part=part,
        reason=spec.reason,
        reason_detail=spec.detail,
        level=spec.level,
        form_set=spec.form_set,
        due_date=today + dt.timedelta(days=-3 if spec.stage == "draft" else 21),
    )
    if spec.stage == "cancelled":
        services.submission_cancel(submission=submission, actor=engineer, reason="Project stopped")
        return
    _prepare(submission, engineer, manager, ready=spec.stage != "draft")
    if spec.stage == "draft":
        return
    services.submission_send(submission=submission, actor=engineer)
    if spec.stage == "submitted":
        return
    _decide(spec, submission, customer_user, engineer, today)


def _prepare(submission, engineer, manager, *, ready: bool) -> None:
    """Files for the submitted elements, the warrant, the run; all of it when ``ready``."""
    elements = [e for e in submission.elements.all() if e.is_submitted_element and e.number != 18]
    for index, element in enumerate(elements):
        if not ready and index % 2:
            continue  # a draft half done
        attachment_add(
            owner=element,
            upload=SimpleUploadedFile(
                f"{element.number:02d}-{submission.number}.txt",
                f"{element.title}: {submission.part.part_number}\n".encode(),
                "text/plain",
            ),
            actor=engineer,
            policy=submission.customer.requirements.attachment_policy,
        )
        services.element_transition(element=element, actor=engineer, action="ready")
    services.study_add(
        submission=submission,
        actor=engineer,
        characteristic="Bore Ø42 H7",
        study_type="ppk",
        value="1.72" if ready else "1.41",
    )
    if not ready:
        return
    _warrant(submission, engineer)
    services.warrant_sign(warrant=submission.warrant, actor=manager, password=DEMO_PASSWORD)
    updates = {"run_date": timezone.localdate(), "run_hours": Decimal("8"), "run_quantity": 320}
    if submission.is_vda:
        updates.update(
            vda_trigger="relocation",
            vda_scope="Full sampling of all characteristics, 320 parts from the Brno line.",
            vda_self_assessment="All characteristics within tolerance; Ppk ≥ 1.67.",
        )
    services.submission_update(submission=submission, actor=engineer, **updates)


def _warrant(submission, engineer) -> None:
    services.warrant_update(
        warrant=submission.warrant,
        actor=engineer,
        drawing_date=timezone.localdate() - dt.timedelta(days=60),
        weight_kg=Decimal("1.2480"),
        safety_regulation="yes" if submission.part.safety_relevant else "no",
        org_name="CQM Werke GmbH, Heilbronn",
        org_address="Industriestraße 12\n74076 Heilbronn\nGermany",
        purchase_order="PO-2026-0815",
        application="Passenger car, chassis",
        imds_reported="yes",
        imds_reference="IMDS 81234567",
        polymeric_marking="no",
        dimensional_ok="yes",
        material_ok="yes",
        appearance_ok="yes",
        statistical_ok="yes",
        production_rate=400,
        production_hours=Decimal("8"),
        signer_name="Markus Weber",
        signer_title="Head of customer quality",
        signer_email="manager@demo.example",
    )


def _decide(spec, submission, customer_user, engineer, today: dt.date) -> None:
    sign = {"submission": submission, "actor": customer_user, "password": DEMO_PASSWORD}
    if spec.stage == "approved":
        services.submission_dispose(disposition="approve", **sign)
    elif spec.stage == "deviations":
        services.submission_dispose(
            disposition="approve_deviations",
            risk_assessment="Weld seam −2 mm on one seam; joint FMEA: no effect on strength.",
            **sign,
        )
    elif spec.stage in ("rejected", "resubmitted"):
        services.submission_dispose(
            disposition="reject", comment="Dimensional report incomplete: 4 of 38 features.", **sign
        )
        if spec.stage == "resubmitted":
            services.submission_resubmit(
                submission=submission, actor=engineer, comment="Complete dimensional report"
            )
    else:  # interim, expired
        services.submission_dispose(
            disposition="interim",
            expires_on=timezone.localdate()
            + dt.timedelta(days=1 if spec.stage == "expired" else 45),
            quantity=2000,
            nonconformities="Surface roughness Ra 1.8 on the sealing face (spec Ra 1.6).",
            action_plan="New honing stone and Ra check every 50 parts; full PPAP by week 24.",
            **sign,
        )
        if spec.stage == "expired":
            services.interim_approvals_expire(today=timezone.localdate() + dt.timedelta(days=2))
