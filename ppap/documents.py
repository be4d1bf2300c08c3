"""The PSW as PDF and the submission package (PSW + submitted elements' files) as a ZIP.

Both are customer-facing documents: they carry no internal notes and no internal-only files,
whoever downloads them.
"""

from __future__ import annotations

import zipfile

from django.contrib.auth.models import AnonymousUser
from django.http import StreamingHttpResponse
from django.utils.text import get_valid_filename

from core import downloads
from core.models import Attachment
from core.signatures import signatures_of

from .editions import Requirement
from .models import PpapElement, PpapSubmission, Warrant
from .reasons import SubmissionReason

TEMPLATE = "pdf/psw.html"
CUSTOMER_VIEW = AnonymousUser()
CHUNK = 64 * 1024


def psw_filename(submission: PpapSubmission) -> str:
    return f"{submission.number}-rev{submission.revision}-PSW.pdf"


def package_filename(submission: PpapSubmission) -> str:
    return f"{submission.number}-rev{submission.revision}-package.zip"


def psw_context(submission: PpapSubmission) -> dict:
    warrant = Warrant.objects.get(submission=submission)
    return {
        "title": "Part Submission Warrant",
        "submission": submission,
        "warrant": warrant,
        "part": submission.part,
        "customer": submission.customer,
        "reasons": [
            (value, label, value == submission.reason) for value, label in SubmissionReason.choices
        ],
        "levels": [(level, level == submission.level) for level in range(1, 6)],
        "organisation_signatures": list(signatures_of(warrant)),
        "customer_signatures": list(signatures_of(submission)),
        "decided": submission.status in PpapSubmission.DECIDED,
    }


# The same customer-facing warrant whoever asks.
psw_html = downloads.customer_facing_html(TEMPLATE, psw_context)
PSW = downloads.register(
    downloads.DocumentKind(
        name="ppap.documents:psw", model=PpapSubmission, html=psw_html, filename=psw_filename
    )
)
# The warrant as PDF bytes, with dates in the customer's time zone.
render_psw = PSW.render_pdf


def submitted_files(submission: PpapSubmission) -> list[tuple[PpapElement, Attachment]]:
    """The files of the elements that go to the customer, never internal-only ones."""
    elements = {
        e.pk: e
        for e in submission.elements.filter(requirement=Requirement.SUBMIT, not_applicable=False)
    }
    files = Attachment.objects.filter(
        content_type__app_label="ppap",
        content_type__model="ppapelement",
        object_id__in=list(elements),
        internal_only=False,
    ).order_by("object_id", "pk")
    return [(elements[f.object_id], f) for f in files]


class _Sink:
    """A write-only stream that hands out what was written so far (zip to a streamed response)."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def package_chunks(submission: PpapSubmission):
    """The package ZIP piece by piece: the PSW PDF, then one folder per submitted element."""
    psw = render_psw(submission)
    files = submitted_files(submission)
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(psw_filename(submission), psw)
        yield sink.take()
        used: set[str] = set()
        for element, attachment in files:
            name = _unique(
                f"{element.number:02d}-{get_valid_filename(element.title)}/"
                f"{get_valid_filename(attachment.original_name)}",
                used,
            )
            with attachment.file.open("rb") as source, archive.open(name, "w") as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield sink.take()
    yield sink.take()


def _unique(name: str, used: set[str]) -> str:
    candidate, counter = name, 1
    while candidate in used:
        counter += 1
        stem, dot, ext = name.rpartition(".")
        candidate = f"{stem}-{counter}.{ext}" if dot else f"{name}-{counter}"
    used.add(candidate)
    return candidate


def package_response(submission: PpapSubmission) -> StreamingHttpResponse:
    response = StreamingHttpResponse(package_chunks(submission), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{package_filename(submission)}"'
    response["Cache-Control"] = "private, no-store"
    return response
