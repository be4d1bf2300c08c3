"""Downloads written once: file responses, the API's download renderers, and PDFs kept once made.

**PDF documents.** Each module registers its documents (``DocumentKind``: how to find the record,
its HTML, its file name). ``pdf_download`` answers a request for one:

- The HTML is rendered first (milliseconds) and hashed, with the moment of rendering left out
  (``core.pdf.generated_note``): the same record, language and viewer's view give the same key,
  so a PDF made once is served from storage until the record changes.
- A light document (HTML up to ``CQM_PDF_INLINE_MAX_BYTES``) is laid out at once, in the request,
  within the web bound of ``core.pdf``.
- A heavy one (long texts, embedded photos) is made by the Celery worker (``core.render_document``)
  and kept under its key; the request answers 202 with a page that reloads itself (the API: 202
  and ``Retry-After``) until the file is there. Web workers stay free for everyone else however
  many heavy downloads are asked for at once.
- A document over the bounds gets a clear message, once, instead of a stuck worker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from zoneinfo import ZoneInfo

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework.renderers import BaseRenderer, JSONRenderer

from . import data_version, outbox, pdf

RENDER_TASK = "core.render_document"
logger = logging.getLogger(__name__)

FOLDER = "documents"
RETRY_AFTER_SECONDS = 3
# How long a render asked of the worker counts as under way (a lost one is asked again after it).
PENDING_SECONDS = 300
IDENTITY_SECONDS = 60


# --- responses and renderers ----------------------------------------------------------------------


def file_response(content, filename: str, content_type: str) -> HttpResponse:
    """``content`` as a download named ``filename``: bytes, or an open file streamed in chunks."""
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(content, as_attachment=True, filename=filename, content_type=content_type)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    return file_response(content, filename, "application/pdf")


class _DownloadRenderer(BaseRenderer):
    """Lets API clients ask for a download by ``Accept``; errors are still rendered as JSON."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data, renderer_context=renderer_context)


class PdfDownloadRenderer(_DownloadRenderer):
    media_type = "application/pdf"
    format = "pdf"


class CsvDownloadRenderer(_DownloadRenderer):
    media_type = "text/csv"
    format = "csv"


class ZipDownloadRenderer(_DownloadRenderer):
    media_type = "application/zip"
    format = "zip"


# --- PDF documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentKind:
    """A PDF document of a module: ``html(record, viewer)`` gives its HTML in the active language.

    ``name`` is ``"<module>:<document>"`` (e.g. ``"claims.documents:8d"``), so that a worker finds
    the kind by importing the module that registers it.

    ``per_viewer``: the content depends on who asks (e.g. internal notes for staff), so the worker
    renders it for the same user.
    """

    name: str
    model: type[models.Model]
    html: Callable
    filename: Callable[[models.Model], str]
    per_viewer: bool = False

    def render_pdf(self, record, viewer=None) -> bytes:
        """The document as PDF bytes, laid out here and now (not by the worker, not stored)."""
        return pdf.html_to_pdf(self.html(record, viewer))


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    _KINDS[kind.name] = kind
    return kind


def customer_facing_html(template: str, context: Callable[[models.Model], dict]) -> Callable:
    """The ``html(record, viewer=None)`` of a document the customer receives: ``template`` filled
    with ``context(record)``.

    Staff and customer download the same customer-facing document, so the viewer is ignored. Dates
    are shown in the customer's time zone.
    """

    def html(record, viewer=None) -> str:
        with timezone.override(ZoneInfo(record.customer.time_zone)):
            return render_to_string(template, context(record))

    return html


def kind_named(name: str) -> DocumentKind:
    """The kind registered as ``"<module>:<document>"``, importing its module if need be."""
    if name not in _KINDS:
        import_module(name.partition(":")[0])
    return _KINDS[name]


def pdf_download(request, kind: DocumentKind, record, *, api: bool = False) -> HttpResponse:
    """The document as a download, or 202 while the worker makes it, or a clear refusal."""
    viewer = request.user if kind.per_viewer else None
    key, heavy, html = _identify(kind, record, viewer)
    filename = kind.filename(record)
    stored = _stored(kind, key)
    if stored:
        return file_response(default_storage.open(stored, "rb"), filename, "application/pdf")
    if heavy:
        return _from_worker(request, kind, record, key, filename, api=api)
    try:
        return pdf_response(pdf.html_to_pdf(html or kind.html(record, viewer)), filename)
    except pdf.PdfTooHeavy as error:
        return _refused(request, str(error), api=api)


def _identify(kind: DocumentKind, record, viewer) -> tuple[str, bool, str | None]:
    """The document's key and weight, and its HTML when it had to be rendered to know them.

    Rendering a heavy document's HTML (photos, long texts) takes a web worker a while, so what it
    gives is remembered per data version: while nothing is written, asking again for a document
    costs one query and a look into storage. Its content may also follow the clock (due dates),
    hence the short life.
    """
    identity = ":".join(
        [
            "pdf:key",
            kind.name,
            str(record.pk),
            translation.get_language() or "",
            str(viewer.pk if viewer else ""),
            data_version.version(),
        ]
    )
    known = cache.get(identity)
    if known:
        return known[0], known[1], None
    html = kind.html(record, viewer)
    key, heavy = _key(kind, html), len(html.encode()) > settings.CQM_PDF_INLINE_MAX_BYTES
    cache.set(identity, (key, heavy), IDENTITY_SECONDS)
    return key, heavy, html


def render_document(kind_name: str, pk: int, language: str, viewer_id: int | None = None) -> str:
    """Make and keep one document (the worker's part of ``pdf_download``); returns its name."""
    from accounts.models import User

    kind = kind_named(kind_name)
    record = kind.model._default_manager.get(pk=pk)
    viewer = User.objects.get(pk=viewer_id) if viewer_id else None
    with translation.override(language):
        html = kind.html(record, viewer)
    key = _key(kind, html)
    name = _name(kind, key)
    if default_storage.exists(name):
        return name
    try:
        with pdf.worker_budget():
            content = pdf.html_to_pdf(html)
    except pdf.PdfTooHeavy as error:
        # Kept beside the documents (not in a cache that may be per process) for the web to show.
        default_storage.save(_failure_name(name), ContentFile(str(error).encode()))
        logger.warning("%s %s not made: %s", kind_name, pk, error)
        return ""
    return default_storage.save(name, ContentFile(content))


def prune(days: int | None = None) -> int:
    """Forget documents (and refusals) made more than ``days`` ago: made again when asked for."""
    days = settings.CQM_PDF_KEEP_DAYS if days is None else days
    cutoff = timezone.now() - dt.timedelta(days=days)
    removed = 0
    for name in _stored_names():
        if default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            removed += 1
    return removed


def _from_worker(request, kind, record, key, filename, *, api):
    failure = _failure(kind, key)
    if not failure:
        _ask_worker(request, kind, record, key)
        stored = _stored(kind, key)  # the worker may have finished already (or runs in-process)
        if stored:
            return file_response(default_storage.open(stored, "rb"), filename, "application/pdf")
        failure = _failure(kind, key)
    if failure:
        return _refused(request, failure, api=api)
    return _preparing(request, filename, api=api)


def _ask_worker(request, kind, record, key: str) -> None:
    """Queue the render by name, once per document while it is under way.

    Not a business fact, so not through the outbox: a lost request is simply asked again.
    """
    viewer_id = request.user.pk if kind.per_viewer else None
    arguments = [kind.name, record.pk, translation.get_language(), viewer_id]
    app = current_app
    if app.conf.task_always_eager:  # no broker in this mode: the task runs here
        outbox.registered_task(app, RENDER_TASK).apply(arguments)
        return
    if not cache.add(_pending_key(key), True, PENDING_SECONDS):
        return
    try:
        with outbox.publishing_connection(app) as connection:
            outbox.publish(app, RENDER_TASK, arguments, {}, connection=connection)
    except outbox.BROKER_ERRORS as error:
        logger.warning("Broker unreachable; %s rendered in the request: %s", kind.name, error)
        cache.delete(_pending_key(key))
        render_document(*arguments)


def _preparing(request, filename: str, *, api: bool) -> HttpResponse:
    message = _("%(name)s is being prepared. It will be ready in a few seconds.") % {
        "name": filename
    }
    if api:
        response = JsonResponse({"detail": message}, status=202)
    else:
        context = {"message": message, "retry_after": RETRY_AFTER_SECONDS}
        response = render(request, "documents/preparing.html", context, status=202)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _refused(request, message: str, *, api: bool) -> HttpResponse:
    if api:
        return JsonResponse({"detail": message}, status=422)
    return render(request, "documents/refused.html", {"message": message}, status=422)


def _key(kind: DocumentKind, html: str) -> str:
    return hashlib.sha256(f"{kind.name}\n{html}".encode()).hexdigest()[:40]


def _name(kind: DocumentKind, key: str) -> str:
    return f"{FOLDER}/{kind.name.replace(':', '.')}/{key}.pdf"


def _stored(kind: DocumentKind, key: str) -> str:
    name = _name(kind, key)
    return name if default_storage.exists(name) else ""


def _stored_names() -> list[str]:
    if not default_storage.exists(FOLDER):
        return []
    folders, _files = default_storage.listdir(FOLDER)
    return [
        f"{FOLDER}/{folder}/{name}"
        for folder in folders
        for name in default_storage.listdir(f"{FOLDER}/{folder}")[1]
    ]


def _failure_name(name: str) -> str:
    return name.removesuffix(".pdf") + ".failed"


def _failure(kind: DocumentKind, key: str) -> str:
    name = _failure_name(_name(kind, key))
    if not default_storage.exists(name):
        return ""
    with default_storage.open(name, "rb") as stored:
        return stored.read().decode()


def _pending_key(key: str) -> str:
    return f"pdf:pending:{key}"
