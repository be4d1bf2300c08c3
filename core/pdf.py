"""PDF documents from Django templates with WeasyPrint, without any network access.

Templates live under ``templates/pdf/`` and extend ``pdf/base.html``. Relative URLs and
``static:`` URLs resolve to the project's static files; anything else (http, https, ftp, files
outside the static folders) is refused, so a URL that slipped into a record's text can neither
leak data to a third party nor stall report generation.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import default_url_fetcher


class RefusedResource(ValueError):
    """A PDF template asked for something that is not a local static file."""


def render_pdf(template_name: str, context: dict | None = None) -> bytes:
    html = render_to_string(template_name, context or {})
    document = HTML(string=html, base_url=static_base_url(), url_fetcher=local_url_fetcher)
    return document.write_pdf()


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
