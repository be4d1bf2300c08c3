"""The 8D report PDF: a plain, customer-facing context and its rendering.

The report is what the customer receives, so it is the same for staff and customer: it never
carries internal notes, internal comments or internal-only attachments, and it shows a
discipline's text only once we have submitted it (drafts are our work in progress).
"""

from __future__ import annotations

import base64
import io
from zoneinfo import ZoneInfo

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from core.models import Attachment
from core.pdf import render_pdf

from . import selectors
from .models import Claim, ClaimEvent

TEMPLATE = "pdf/claim_8d.html"
MAX_PHOTOS = 6
MAX_EVENTS = 30
# Types WeasyPrint can draw; HEIC cannot be decoded here and is left out.
PHOTO_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
# Larger photos are shrunk before embedding so the PDF stays small and quick to lay out.
PHOTO_EMBED_MAX_BYTES = 512 * 1024
PHOTO_MAX_PIXELS = 1000


def claim_8d_filename(claim: Claim) -> str:
    return f"{claim.number}-8D.pdf"


def render_claim_8d(claim: Claim) -> bytes:
    """The 8D report as PDF bytes, with dates in the customer's time zone."""
    with timezone.override(ZoneInfo(claim.customer.time_zone)):
        return render_pdf(TEMPLATE, claim_8d_context(claim))


def claim_8d_context(claim: Claim) -> dict:
    title = _("8D report %(number)s") % {"number": claim.number}
    return {
        "title": title,
        "subtitle": f"{claim.customer.name} · {claim.get_status_display()}",
        "header_right": claim.number,
        "footer_left": _("Generated %(when)s")
        % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")},
        "claim": _claim_fields(claim),
        "steps": [_step_fields(step) for step in selectors.steps_for(claim)],
        "photos": claim_photos(claim),
        "events": _recent_events(claim),
    }


def _claim_fields(claim: Claim) -> dict:
    part = claim.part
    return {
        "number": claim.number,
        "customer": claim.customer.name,
        "customer_reference": claim.customer_reference,
        "customer_contact": claim.customer_contact,
        "part_number": part.part_number,
        "customer_part_number": part.customer_part_number,
        "revision": claim.part_revision,
        "part_description": part.description,
        "kind": claim.get_kind_display(),
        "severity": claim.get_severity_display(),
        "status": claim.get_status_display(),
        "detection_location": claim.get_detection_location_display(),
        "detection_date": claim.detection_date,
        "symptom": claim.symptom,
        "notified_at": claim.notified_at,
        "acknowledged_at": claim.acknowledged_at,
        "reaction_at": claim.reaction_at,
        "closed_at": claim.closed_at,
        "suspect_qty": claim.suspect_qty,
        "nonconforming_qty": claim.nonconforming_qty,
        "ppm_qty": claim.ppm_qty,
        "lot": claim.lot,
        "batch": claim.batch,
        "serial": claim.serial,
        "date_code": claim.date_code,
        "production_date": claim.production_date,
        "engineer": str(claim.assigned_engineer) if claim.assigned_engineer else "",
        "responsibility": claim.get_responsibility_display() if claim.responsibility else "",
        "rejection": (
            f"{claim.get_rejection_code_display()}: {claim.rejection_reason}"
            if claim.rejection_code
            else ""
        ),
    }


def _step_fields(step) -> dict:
    return {
        "code": step.code,
        "title": step.get_code_display(),
        "status": step.get_status_display(),
        "due_at": step.due_at,
        "submitted_at": step.submitted_at,
        "submitted_by": str(step.submitted_by) if step.submitted_by else "",
        "decided_at": step.decided_at,
        "decided_by": str(step.decided_by) if step.decided_by else "",
        "decision_comment": step.decision_comment,
        "summary": step.summary if step.shown_to_customer else "",
    }


def _recent_events(claim: Claim) -> list[dict]:
    events = ClaimEvent.objects.filter(claim=claim).select_related("actor")[:MAX_EVENTS]
    return [
        {
            "when": event.created_at,
            "label": event.label,
            "step_code": event.step_code,
            "actor": str(event.actor) if event.actor else "",
            "comment": event.comment,
        }
        for event in reversed(list(events))
    ]


def claim_photos(claim: Claim) -> list[dict]:
    """Up to ``MAX_PHOTOS`` customer-visible images of the claim as ``data:`` URIs."""
    attachments = (
        Attachment.objects.for_owner(claim)
        .filter(internal_only=False, mime_type__in=PHOTO_TYPES)
        .order_by("uploaded_at", "pk")[:MAX_PHOTOS]
    )
    photos = []
    for attachment in attachments:
        uri = _data_uri(attachment)
        if uri:
            photos.append({"uri": uri, "name": attachment.original_name})
    return photos


def _data_uri(attachment: Attachment) -> str:
    try:
        with default_storage.open(attachment.file.name, "rb") as stored:
            content = stored.read()
        mime_type = attachment.mime_type
        if len(content) > PHOTO_EMBED_MAX_BYTES:
            content, mime_type = _shrunk_jpeg(content), "image/jpeg"
    except (OSError, UnidentifiedImageError, ValueError):
        return ""  # a missing or unreadable file must not cost the customer the whole report
    return f"data:{mime_type};base64,{base64.b64encode(content).decode('ascii')}"


def _shrunk_jpeg(content: bytes) -> bytes:
    with Image.open(io.BytesIO(content)) as image:
        image.draft("RGB", (PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
        image.thumbnail((PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
        output = io.BytesIO()
        image.convert("RGB").save(output, format="JPEG", quality=80)
    return output.getvalue()
