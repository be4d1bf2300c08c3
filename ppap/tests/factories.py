"""Builders of PPAP submissions in each state, through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD
from core.services import attachment_add
from customers.tests.factories import PartFactory
from ppap import services
from ppap.models import PpapSubmission
from ppap.reasons import SubmissionReason

PASSWORD = DEFAULT_PASSWORD


def text_upload(name: str = "evidence.txt", text: str = "measured") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def draft(actor, *, part=None, customer=None, **fields) -> PpapSubmission:
    if part is None:
        part = PartFactory(customer=customer) if customer else PartFactory()
    fields.setdefault("reason", SubmissionReason.INITIAL)
    return services.submission_create(actor=actor, part=part, **fields)


def attach(element, actor, name: str = "evidence.txt", text: str = "measured"):
    return attachment_add(
        owner=element,
        upload=text_upload(name, text),
        actor=actor,
        policy=element.customer.requirements.attachment_policy,
    )


def make_elements_ready(submission, actor, *, skip=()) -> None:
    """Every submitted element gets a file and is marked ready, except the numbers in ``skip``."""
    for element in submission.elements.all():
        if not element.is_submitted_element or element.number in skip or element.number == 18:
            continue
        attach(element, actor, f"element-{element.number}.txt", f"{submission.number} data")
        services.element_transition(element=element, actor=actor, action="ready")


def complete_warrant(submission, actor, **overrides):
    fields = {
        "drawing_date": dt.date(2026, 1, 15),
        "weight_kg": Decimal("0.1234"),
        "safety_regulation": "no",
        "org_name": "CQM Werke, S-00001",
        "imds_reported": "yes",
        "imds_reference": "IMDS 123456",
        "polymeric_marking": "no",
        "dimensional_ok": "yes",
        "material_ok": "yes",
        "appearance_ok": "yes",
        "statistical_ok": "yes",
        "production_rate": 400,
        "production_hours": Decimal("8"),
        "signer_name": "Max Manager",
        "signer_title": "Quality manager",
        **overrides,
    }
    return services.warrant_update(warrant=submission.warrant, actor=actor, **fields)


def record_run(submission, actor, quantity: int = 300, hours: str = "8"):
    return services.submission_update(
        submission=submission,
        actor=actor,
        run_date=timezone.localdate(),
        run_hours=Decimal(hours),
        run_quantity=quantity,
    )


def sendable(engineer, manager, **fields) -> PpapSubmission:
    """A draft with everything in place: ready elements, a signed warrant and a valid run."""
    submission = draft(engineer, **fields)
    make_elements_ready(submission, engineer)
    complete_warrant(submission, engineer)
    services.warrant_sign(warrant=submission.warrant, actor=manager, password=PASSWORD)
    record_run(submission, engineer)
    return PpapSubmission.objects.get(pk=submission.pk)


def sent(engineer, manager, **fields) -> PpapSubmission:
    submission = sendable(engineer, manager, **fields)
    services.submission_send(submission=submission, actor=engineer)
    return PpapSubmission.objects.get(pk=submission.pk)


def interim(engineer, manager, customer_user, *, expires_on=None, **fields) -> PpapSubmission:
    submission = sent(engineer, manager, **fields)
    services.submission_dispose(
        submission=submission,
        actor=customer_user,
        disposition="interim",
        password=PASSWORD,
        expires_on=expires_on or timezone.localdate() + dt.timedelta(days=30),
        nonconformities="Burr on hole B out of tolerance",
        action_plan="New punch by week 12",
    )
    return PpapSubmission.objects.get(pk=submission.pk)
