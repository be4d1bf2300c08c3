"""One customer's PPAP submissions: the isolation sweep keeps them in ``side.extra``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD
from core.services import attachment_add
from ppap import services
from ppap.reasons import SubmissionReason


def build(side, *, engineer, manager) -> None:
    """Create one record of every kind of the module for ``side`` through the real services."""
    secret = side.secret
    submission = services.submission_create(
        actor=engineer,
        part=side.part,
        reason=SubmissionReason.OTHER,
        reason_detail=f"{secret} new coating",
        level=1,
        internal_note=f"{secret} internal",
    )
    element = submission.elements.get(number=13)
    side.extra["ppap_file"] = attachment_add(
        owner=element,
        upload=SimpleUploadedFile(f"{side.slug}-aar.txt", secret.encode(), "text/plain"),
        actor=engineer,
        policy=side.customer.requirements.attachment_policy,
    )
    services.element_transition(element=element, actor=engineer, action="ready")
    _complete_warrant(submission, engineer, secret)
    services.warrant_sign(warrant=submission.warrant, actor=manager, password=DEFAULT_PASSWORD)
    services.submission_update(
        submission=submission,
        actor=engineer,
        run_date=timezone.localdate() - dt.timedelta(days=3),
        run_hours=Decimal("8"),
        run_quantity=300,
    )
    services.study_add(
        submission=submission,
        actor=engineer,
        characteristic=f"{secret} hole",
        study_type="ppk",
        value="1.8",
    )
    services.submission_send(submission=submission, actor=engineer)
    submission.refresh_from_db()
    side.extra["ppap"] = submission
    side.extra["ppap_element"] = submission.elements.get(number=13)
    side.extra["ppap_draft"] = services.submission_create(
        actor=engineer,
        part=side.part,
        reason=SubmissionReason.OTHER,
        reason_detail=f"{secret} draft",
    )


def _complete_warrant(submission, engineer, secret) -> None:
    services.warrant_update(
        warrant=submission.warrant,
        actor=engineer,
        drawing_date=dt.date(2026, 1, 15),
        weight_kg=Decimal("0.2500"),
        safety_regulation="no",
        org_name="CQM Werke",
        imds_reported="yes",
        polymeric_marking="no",
        dimensional_ok="yes",
        material_ok="yes",
        appearance_ok="yes",
        statistical_ok="yes",
        production_rate=400,
        production_hours=Decimal("8"),
        signer_name=f"{secret} signer",
        signer_title="Quality manager",
    )
