"""Controlled documents built through the real services, in the state a test needs."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

from .. import services
from ..models import Document


def pdf_upload(name: str = "pfmea.pdf", pages: int = 2) -> SimpleUploadedFile:
    """A real PDF of ``pages`` blank A4 pages: the upload checks take it by its content."""
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def text_upload(name: str = "notes.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"Torque 12 Nm\nCheck every 50 parts\n", "text/plain")


def new_document(*, actor, kind=Document.Kind.PFMEA, title="PFMEA brake bracket", **fields):
    return services.document_create(actor=actor, kind=kind, title=title, **fields)


def reviewer():
    return UserFactory(role="engineer")


def draft(document, *, author, reviewers=None, upload=None, effective_on=None, change="Update"):
    reviewers = reviewers if reviewers is not None else [reviewer()]
    return services.revision_start(
        document=document,
        actor=author,
        change_description=change,
        reviewers=reviewers,
        upload=upload if upload is not None else pdf_upload(),
        effective_on=effective_on,
    )


def reviewed(document, *, author, effective_on=None, upload=None, change="Update"):
    """A revision in review whose every reviewer approved: it waits for the signature."""
    revision = draft(
        document, author=author, upload=upload, effective_on=effective_on, change=change
    )
    revision = services.revision_submit(revision=revision, actor=author)
    for review in revision.reviews.select_related("reviewer"):
        services.review_record(revision=revision, actor=review.reviewer, decision="approved")
    revision.refresh_from_db()
    return revision


def effective(document, *, author, approver, on=None, upload=None, change="Update"):
    """A revision approved and in effect (on ``on``, default today)."""
    revision = reviewed(document, author=author, upload=upload, change=change)
    return services.revision_approve(
        revision=revision, actor=approver, password=DEFAULT_PASSWORD, on=on
    )


def today() -> dt.date:
    return timezone.localdate()
