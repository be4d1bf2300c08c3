"""The 8D report PDF: a plain, customer-facing context and its rendering.

The report is the document the customer receives, so it is always rendered as the customer sees
the 8D, whoever downloads it: our staff get exactly the file the customer gets. It never carries
internal notes, internal comments, internal-only actions or internal-only attachments, and it
shows a discipline's text and rows only once we have submitted it (drafts are our work in
progress).
"""

from __future__ import annotations

import base64

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import downloads
from core.models import Attachment
from core.pdf import record_frame
from core.renditions import PDF_SIZE, rendition_for

from .eightd.content import CONTENT_FORMS, FIVE_W_TWO_H, IS_IS_NOT
from .eightd.selectors import EightD, eight_d_for
from .models import Cause, Claim, ClaimEvent, Containment, CorrectiveAction, EightDStep

TEMPLATE = "pdf/claim_8d.html"
MAX_PHOTOS = 6
MAX_EVENTS = 30
# Images with a rendition; HEIC cannot be decoded here and is left out.
PHOTO_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
# Who the report is written for: any viewer outside our staff sees the customer's 8D.
CUSTOMER_VIEW = AnonymousUser()
IS_IS_NOT_LABELS = {
    "what": gettext_lazy("What"),
    "where": gettext_lazy("Where"),
    "when": gettext_lazy("When"),
    "how_big": gettext_lazy("How big"),
}


def claim_8d_filename(claim: Claim) -> str:
    return f"{claim.number}-8D.pdf"


def claim_8d_context(claim: Claim) -> dict:
    title = _("8D report %(number)s") % {"number": claim.number}
    eight_d = eight_d_for(claim, CUSTOMER_VIEW)
    steps = [_step_fields(step, eight_d) for step in eight_d.steps.values()]
    return {
        **record_frame(claim, title),
        "claim": _claim_fields(claim),
        "steps": steps,
        "photos": claim_photos(claim),
        "events": _recent_events(claim),
    }


# Deliberately ignores the viewer: staff and customer download the same customer-facing document.
claim_8d_html = downloads.customer_facing_html(TEMPLATE, claim_8d_context)
CLAIM_8D = downloads.register(
    downloads.DocumentKind(
        name="claims.documents:8d", model=Claim, html=claim_8d_html, filename=claim_8d_filename
    )
)
# The 8D report as PDF bytes, with dates in the customer's time zone.
render_claim_8d = CLAIM_8D.render_pdf


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


# --- the disciplines ------------------------------------------------------------------------------


def _step_fields(step: EightDStep, eight_d: EightD) -> dict:
    shown = step.shown_to_customer
    fields = {
        "code": step.code,
        "title": step.get_code_display(),
        "status": step.get_status_display(),
        "approved": step.status == EightDStep.Status.APPROVED,
        "shown": shown,
        "due_at": step.due_at,
        "submitted_at": step.submitted_at,
        "submitted_by": str(step.submitted_by) if step.submitted_by else "",
        "decided_at": step.decided_at,
        "decided_by": str(step.decided_by) if step.decided_by else "",
        "decision_comment": step.decision_comment,
        "summary": step.summary if shown else "",
    }
    if shown:
        fields.update(_DISCIPLINES[step.code](step, eight_d))
    return fields


def _d0(step: EightDStep, eight_d: EightD) -> dict:
    return {"fields": eight_d.content_rows("D0")}


def _d1(step: EightDStep, eight_d: EightD) -> dict:
    team = [
        {"name": m.name, "role": m.get_role_display(), "function": m.function} for m in eight_d.team
    ]
    return {"team": team}


def _d2(step: EightDStep, eight_d: EightD) -> dict:
    content, form_fields = step.content or {}, CONTENT_FORMS["D2"].base_fields
    five_w_two_h = [(str(form_fields[name].label), content.get(name, "")) for name in FIVE_W_TWO_H]
    is_is_not = [
        (
            str(IS_IS_NOT_LABELS[name]),
            content.get(f"is_{name}", ""),
            content.get(f"is_not_{name}", ""),
        )
        for name in IS_IS_NOT
    ]
    return {"five_w_two_h": five_w_two_h, "is_is_not": is_is_not}


def _d3(step: EightDStep, eight_d: EightD) -> dict:
    order = {location: index for index, location in enumerate(Containment.Location.values)}
    rows = sorted(eight_d.containments, key=lambda row: order.get(row.location, len(order)))
    return {"containments": [_containment(row) for row in rows]}


def _containment(row: Containment) -> dict:
    return {
        "location": row.get_location_display(),
        "status": row.get_status_display(),
        "not_applicable": row.status == Containment.Status.NOT_APPLICABLE,
        "not_applicable_reason": row.not_applicable_reason,
        "method": row.get_method_display() if row.method else "",
        "qty_checked": row.qty_checked,
        "qty_nonconforming": row.qty_nonconforming,
        "verification": row.verification,
        "certified_marking": row.certified_marking,
        "responsible": row.responsible,
        "started_on": row.started_on,
        "removed_at": row.removed_at,
        "removal_note": row.removal_note,
    }


def _d4(step: EightDStep, eight_d: EightD) -> dict:
    numbers = _cause_numbers(eight_d)
    by_leg, board = eight_d.causes_by_leg(), eight_d.ishikawa()
    root_causes = [
        {"leg": label, "causes": [_cause(c, numbers) for c in by_leg[leg] if c.is_root_cause]}
        for leg, label in Cause.Leg.choices
    ]
    ishikawa = [
        {"category": label, "causes": [_cause(c, numbers) for c in board[category]]}
        for category, label in Cause.Category.choices
    ]
    return {
        "root_causes": root_causes,
        "has_root_causes": any(group["causes"] for group in root_causes),
        "ishikawa": ishikawa,
    }


def _cause(cause: Cause, numbers: dict[int, str]) -> dict:
    return {
        "number": numbers.get(cause.pk, ""),
        "description": cause.description,
        "leg": cause.get_leg_display(),
        "status": cause.get_status_display(),
        "status_code": cause.status,
        "is_root_cause": cause.is_root_cause,
        "whys": list(cause.whys or ()),
        "verification_method": cause.verification_method,
        "verification_evidence": cause.verification_evidence,
        "verified_by": str(cause.verified_by) if cause.verified_by else "",
        "verified_at": cause.verified_at,
    }


def _cause_numbers(eight_d: EightD) -> dict[int, str]:
    """C1, C2, …: how actions refer to the causes listed under D4, numbered leg by leg."""
    legs = Cause.Leg.values
    ordered = sorted(eight_d.causes, key=lambda cause: (legs.index(cause.leg), cause.pk))
    return {cause.pk: f"C{index}" for index, cause in enumerate(ordered, start=1)}


def _d5(step: EightDStep, eight_d: EightD) -> dict:
    numbers = _cause_numbers(eight_d)
    return {"actions": [_action(link, numbers) for link in eight_d.corrective_actions]}


def _d6(step: EightDStep, eight_d: EightD) -> dict:
    return _d5(step, eight_d)


def _d7(step: EightDStep, eight_d: EightD) -> dict:
    numbers = _cause_numbers(eight_d)
    read_across = [
        {
            "scope": row.get_scope_display(),
            "subject": row.subject,
            "applicable": row.applicable,
            "measure": row.measure,
            "completed_on": row.completed_on,
        }
        for row in eight_d.read_across
    ]
    return {
        "fields": eight_d.content_rows("D7"),
        "read_across": read_across,
        "preventive_actions": [_action(link, numbers) for link in eight_d.preventive_actions],
    }


def _d8(step: EightDStep, eight_d: EightD) -> dict:
    return {"fields": eight_d.content_rows("D8")}


def _action(link: CorrectiveAction, numbers: dict[int, str]) -> dict:
    action = link.action
    return {
        "title": action.title,
        "description": action.description,
        "owner": str(action.owner),
        "due_date": action.due_date,
        "status": action.get_status_display(),
        "causes": [
            {"number": numbers.get(cause.pk, ""), "description": cause.description}
            for cause in link.causes.all()
        ],
        "verification": link.verification,
        "implemented_on": link.implemented_on,
        "validation": link.validation,
        "effectiveness": (
            action.get_effectiveness_result_display() if action.effectiveness_result else ""
        ),
        "effectiveness_evidence": action.effectiveness_evidence,
        "effectiveness_checked_at": action.effectiveness_checked_at,
    }


# One function per discipline, in the order of EightDStep.Code (D0 to D8).
_DISCIPLINES = dict(
    zip(EightDStep.Code.values, (_d0, _d1, _d2, _d3, _d4, _d5, _d6, _d7, _d8), strict=True)
)


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
    """Up to ``MAX_PHOTOS`` customer-visible images of the claim as ``data:`` URIs.

    Each is the attachment's small rendition, never the uploaded original: an original may be
    many megapixels, and decoding it here would cost a report worker hundreds of megabytes.
    """
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
    name = rendition_for(attachment, PDF_SIZE)
    if name is None:
        return ""  # a missing or unreadable file must not cost the customer the whole report
    try:
        with attachment.file.storage.open(name, "rb") as stored:
            content = stored.read()
    except OSError:
        return ""
    return f"data:image/jpeg;base64,{base64.b64encode(content).decode('ascii')}"
