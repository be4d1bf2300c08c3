"""A revision's file as a download: the file as stored, marked when it is no longer in force.

A superseded or obsolete revision's PDF carries a diagonal "SUPERSEDED" / "OBSOLETE" on every
page (``watermark``); any other file keeps its bytes and says its status in its name. The
download is behind the same ``visible_to`` as the page, never inline, never cached.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpResponse

from core.attachments import served_content_type

from .models import Revision
from .watermark import watermarked

PDF_TYPE = "application/pdf"
# The words stamped on an outdated revision: English, whatever the reader's language, as on the
# shop floor's printed copies.
OUTDATED_MARKS = {
    Revision.Status.SUPERSEDED: "SUPERSEDED",
    Revision.Status.OBSOLETE: "OBSOLETE",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def revision_content(revision: Revision) -> tuple[bytes, str, str]:
    """The bytes to serve, their file name and their type."""
    attachment = revision.file
    if attachment is None:
        raise Http404
    try:
        with attachment.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    mark = OUTDATED_MARKS.get(revision.status)
    if mark and attachment.mime_type == PDF_TYPE:
        content = watermarked(content, mark)
    return content, file_name(revision, attachment.extension), attachment.mime_type


def file_name(revision: Revision, extension: str) -> str:
    """``DOC-2026-00001_rev-B.pdf``; an outdated revision says so: ``…_rev-A_SUPERSEDED.pdf``."""
    parts = [revision.document.number, f"rev-{revision.letter}"]
    mark = OUTDATED_MARKS.get(revision.status)
    if mark:
        parts.append(mark)
    stem = _UNSAFE.sub("-", "_".join(parts))
    return f"{stem}.{extension or 'bin'}"


def revision_response(revision: Revision) -> HttpResponse:
    content, name, mime_type = revision_content(revision)
    response = HttpResponse(content, content_type=served_content_type(mime_type))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
