"""PDF documents from Django templates with WeasyPrint, without any network access, bounded.

Templates live under ``templates/pdf/`` and extend ``pdf/base.html``. Relative URLs and
``static:`` URLs resolve to the project's static files; anything else (http, https, ftp, files
outside the static folders) is refused, so a URL that slipped into a record's text can neither
leak data to a third party nor stall report generation.

**Bounds.** Layout is the expensive part (seconds and hundreds of megabytes for a long document),
so it runs in a forked child process with a wall-clock limit (``CQM_PDF_SECONDS`` in a web
process, ``CQM_PDF_WORKER_SECONDS`` in a Celery worker) and an address-space limit
(``CQM_PDF_MEMORY_MB`` above what the process already maps). A document over either bound raises
``PdfTooHeavy`` with a message for the user instead of holding a web worker until gunicorn kills
it; and whatever the layout allocated goes away with the child, so a web or worker process does
not keep a report's peak as its own size.
"""

from __future__ import annotations

import os
import pickle
import re
import resource
import signal
import tempfile
import time
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import unquote, urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import default_url_fetcher

from .errors import DomainError

# Stands for the moment of rendering in a document's HTML, so that the same record gives the same
# HTML (and the same stored file, core.downloads) whenever it is asked for.
_GENERATED = re.compile(r"\[\[generated:([A-Za-z0-9_+/-]+)\]\]")
_budget_seconds: ContextVar[float | None] = ContextVar("pdf_budget_seconds", default=None)
# Set in Celery worker processes (cqm_portal/celery.py): every PDF there gets the worker's bound.
_process_is_worker = False


class RefusedResource(ValueError):
    """A PDF template asked for something that is not a local static file."""


class PdfTooHeavy(DomainError):
    """The document exceeds the time or memory a PDF may take."""


def render_pdf(template_name: str, context: dict | None = None) -> bytes:
    return html_to_pdf(render_to_string(template_name, context or {}))


def generated_note() -> str:
    """The "Generated …" footer: the time is filled in when the PDF is laid out (``stamp``)."""
    zone = timezone.get_current_timezone_name()
    return _("Generated %(when)s") % {"when": f"[[generated:{zone}]]"}


def record_frame(record, title: str, subtitle: str | None = None) -> dict:
    """A record's document frame: title, subtitle (customer · status), number top right, and the
    "Generated …" footer."""
    if subtitle is None:
        subtitle = f"{record.customer.name} · {record.get_status_display()}"
    return {
        "title": title,
        "subtitle": subtitle,
        "header_right": record.number,
        "footer_left": generated_note(),
    }


def stamp(html: str) -> str:
    """Fill in the moment of rendering wherever ``generated_note`` left its mark."""

    def local_now(match: re.Match) -> str:
        return timezone.now().astimezone(ZoneInfo(match.group(1))).strftime("%Y-%m-%d %H:%M %Z")

    return _GENERATED.sub(local_now, html)


@contextmanager
def worker_budget():
    """Inside: the (longer) time bound of a background worker."""
    token = _budget_seconds.set(float(settings.CQM_PDF_WORKER_SECONDS))
    try:
        yield
    finally:
        _budget_seconds.reset(token)


def use_worker_budget_in_this_process() -> None:
    global _process_is_worker
    _process_is_worker = True


def html_to_pdf(html: str) -> bytes:
    html = stamp(html)
    if not settings.CQM_PDF_ISOLATED:
        return _write_pdf(html)
    seconds = _budget_seconds.get() or float(
        settings.CQM_PDF_WORKER_SECONDS if _process_is_worker else settings.CQM_PDF_SECONDS
    )
    return _write_pdf_in_child(html, seconds, settings.CQM_PDF_MEMORY_MB * 1024 * 1024)


def _write_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=static_base_url(), url_fetcher=local_url_fetcher)
    return document.write_pdf()


def _write_pdf_in_child(html: str, seconds: float, memory_bytes: int) -> bytes:
    with tempfile.TemporaryFile(prefix="cqm-pdf-") as result:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            _child(html, result.fileno(), memory_bytes)
        status = _wait(pid, seconds)
        result.seek(0)
        outcome = result.read()
    if status is None:
        raise PdfTooHeavy(
            _(
                "The document took longer than %(seconds)d seconds to lay out. "
                "Shorten its longest texts, or ask us for the document."
            )
            % {"seconds": seconds}
        )
    if outcome[:1] == b"P":
        return outcome[1:]
    if outcome[:1] == b"E":
        raise pickle.loads(outcome[1:])
    raise PdfTooHeavy(
        _("The document needs more memory than a PDF may take (%(megabytes)d MB).")
        % {"megabytes": memory_bytes // (1024 * 1024)}
    )


def _child(html: str, fd: int, memory_bytes: int) -> None:  # pragma: no cover
    """Lay the document out under an address-space limit, write the outcome, never return."""
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        mapped = _mapped_bytes()
        if mapped is not None:
            resource.setrlimit(resource.RLIMIT_AS, (mapped + memory_bytes, mapped + memory_bytes))
        content = b"P" + _write_pdf(html)
        code = 0
    except (MemoryError, SystemError):  # SystemError: a C extension whose allocation failed
        content = b"M"
    except Exception as error:  # handed to the parent, which raises it there
        try:
            content = b"E" + pickle.dumps(error)
        except Exception:
            content = b"E" + pickle.dumps(RuntimeError(repr(error)))
    try:
        _write_all(fd, content)
    finally:
        os._exit(code)


def _write_all(fd: int, content: bytes) -> None:  # pragma: no cover
    view = memoryview(content)
    while view:
        view = view[os.write(fd, view) :]


def _mapped_bytes() -> int | None:
    """What the process maps already (the limit comes on top); None without /proc."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:  # e.g. macOS, which does not enforce RLIMIT_AS anyway: the time bound stays
        return None


def _wait(pid: int, seconds: float) -> int | None:
    """The child's exit status, or None when it ran out of time (it is killed)."""
    deadline = time.monotonic() + seconds
    pause = 0.005
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def static_base_url() -> str:
    """``file://…/static/``: where relative URLs in PDF templates are looked up."""
    return Path(_static_roots()[0]).resolve().as_uri() + "/"


def local_url_fetcher(url: str, timeout=10, ssl_context=None, **kwargs):
    """Serve only data: URLs and local static files; refuse every other URL."""
    if url.startswith("data:"):
        return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)
    path = _local_static_path(url)
    if path is None:
        raise RefusedResource(f"PDF resources must be local static files, not {url!r}")
    return default_url_fetcher(path.as_uri(), timeout=timeout, ssl_context=ssl_context)


def _local_static_path(url: str) -> Path | None:
    parsed = urlparse(url)
    if parsed.scheme == "static":
        return _find_static(unquote(parsed.path).lstrip("/"))
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parsed.path)).resolve()
    if any(path.is_relative_to(root) for root in _resolved_roots()):
        return path if path.is_file() else None
    # "{% static 'x' %}" gives "/static/x", which the base URL turns into file:///static/x.
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if parsed.path.startswith(static_prefix):
        return _find_static(unquote(parsed.path)[len(static_prefix) :])
    return None


def _find_static(relative: str) -> Path | None:
    found = finders.find(relative)
    if not found:
        root_copy = Path(settings.STATIC_ROOT, relative) if settings.STATIC_ROOT else None
        found = str(root_copy) if root_copy and root_copy.is_file() else None
    return Path(found).resolve() if found else None


def _static_roots() -> list[str]:
    roots = [
        str(entry[1] if isinstance(entry, tuple | list) else entry)
        for entry in settings.STATICFILES_DIRS
    ]
    if settings.STATIC_ROOT:
        roots.append(str(settings.STATIC_ROOT))
    return roots


def _resolved_roots() -> list[Path]:
    return [Path(root).resolve() for root in _static_roots()]
