"""Special statuses built through the real services, in the state a test needs."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD
from core.services import attachments_add
from customers.tests.factories import PartFactory

from .. import services

# The smallest file the upload checks take for a PDF: the customer's letter.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CRITERIA = (
    "0 rejects at the customer for 30 consecutive production days",
    "Containment inspection records complete for the period",
    "Root cause verified and 8D closed",
)


def status_fields(**overrides) -> dict:
    fields = {
        "kind": "cs1",
        "started_on": timezone.localdate() - dt.timedelta(days=40),
        "customer_reference": "CS1-2026-017",
        "reason": "Three burr claims on the brake bracket within one month",
    }
    fields.update(overrides)
    return fields


def open_status(*, actor, customer=None, parts=None, criteria=CRITERIA, **overrides):
    parts = parts if parts is not None else [PartFactory(customer=customer)]
    customer = customer or parts[0].customer
    return services.special_status_open(
        actor=actor,
        customer=customer,
        parts=parts,
        criteria=criteria,
        **status_fields(**overrides),
    )


def meet_all(special_status, *, actor):
    for criterion in special_status.criteria.filter(met=False):
        services.criterion_meet(
            criterion=criterion,
            actor=actor,
            met_on=timezone.localdate() - dt.timedelta(days=1),
            evidence="Inspection records of the period, no reject",
        )
    special_status.refresh_from_db()
    return special_status


def exit_requested(*, actor, **kwargs):
    special_status = meet_all(open_status(actor=actor, **kwargs), actor=actor)
    return services.special_status_request_exit(special_status=special_status, actor=actor)


def closed(*, actor, signer, **kwargs):
    """Ended by ``signer``: a customer user, or a manager naming the customer's letter."""
    special_status = exit_requested(actor=actor, **kwargs)
    confirmation = None
    if signer.is_internal:
        policy = special_status.customer.requirements.attachment_policy
        upload = SimpleUploadedFile("exit-letter.pdf", PDF, content_type="application/pdf")
        confirmation = attachments_add(
            owner=special_status, uploads=[upload], actor=actor, policy=policy
        )[0]
    return services.special_status_sign_exit(
        special_status=special_status,
        actor=signer,
        password=DEFAULT_PASSWORD,
        confirmation=confirmation,
    )
