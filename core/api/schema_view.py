"""``/api/schema/``, generated once per code version, API version and language, then cached.

Generating the OpenAPI document costs most of a second of CPU, and anyone may ask for it
(the interactive docs do on every visit): a loop of anonymous requests must not keep the
workers busy. The generated document is kept in the default cache under a key made of

- a fingerprint of the code (the API version of SPECTACULAR_SETTINGS, the URL patterns and the
  source of every Python module of the project, hashed once per process), so a deploy with any
  change to a serializer, view or route never serves the previous document;
- the API version asked for, and whether the schema is the public one;
- the language (``?lang=`` or the negotiated one), only among the languages we offer: an unknown
  ``?lang=`` is the default language, not another document to generate.

Nothing in the document depends on who asks (drf-spectacular's ``SERVE_PUBLIC``), so one
document serves everybody. Set ``API_SCHEMA_CACHE_SECONDS`` to change how long it is kept
(default a day; the fingerprint already tells versions apart).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.urls import get_resolver
from django.utils import translation
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView
from rest_framework.response import Response

DEFAULT_TIMEOUT = 24 * 3600
# Not hashed: they do not shape the schema.
_SKIPPED_DIRS = {".venv", "node_modules", "tests", "migrations", "static", "var", "locale", ".git"}


@functools.cache
def code_fingerprint() -> str:
    """A hash of what the schema is generated from; computed once per process."""
    digest = hashlib.sha256()
    digest.update(str(spectacular_settings.VERSION).encode())
    digest.update(repr(_patterns(get_resolver().url_patterns)).encode())
    base = Path(settings.BASE_DIR)
    for path in sorted(_python_files(base)):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _python_files(directory: Path):
    for entry in directory.iterdir():
        if entry.is_dir():
            if entry.name not in _SKIPPED_DIRS and not entry.name.startswith("."):
                yield from _python_files(entry)
        elif entry.suffix == ".py":
            yield entry


def _patterns(patterns, prefix: str = "") -> list[str]:
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            found.extend(_patterns(pattern.url_patterns, route))
        else:
            callback = getattr(pattern, "callback", None)
            found.append(f"{route} {getattr(callback, '__qualname__', callback)}")
    return found


def _language(request) -> str:
    """The language of the document: ``?lang=`` when we offer it, else the active one."""
    for candidate in (request.GET.get("lang"), translation.get_language()):
        if candidate:
            try:
                return translation.get_supported_language_variant(candidate)
            except LookupError:
                continue
    return settings.LANGUAGE_CODE


class CachedSpectacularAPIView(SpectacularAPIView):
    @extend_schema(**SCHEMA_KWARGS)  # as the parent's: not part of the schema it serves
    def get(self, request, *args, **kwargs):
        with translation.override(_language(request)):
            return self._get_schema_response(request)

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = ":".join(
            [
                "api-schema",
                code_fingerprint(),
                str(version or ""),
                translation.get_language() or "",
                "public" if self.serve_public else "private",
            ]
        )
        schema = cache.get(key)
        if schema is None:
            schema = self.generate(request, version)
            timeout = getattr(settings, "API_SCHEMA_CACHE_SECONDS", DEFAULT_TIMEOUT)
            cache.set(key, schema, timeout)
        filename = self._get_filename(request, version)
        return Response(
            data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )

    def generate(self, request, version) -> dict:
        """The document itself, as drf-spectacular generates it (the costly part)."""
        generator = self.generator_class(
            urlconf=self.urlconf, api_version=version, patterns=self.patterns
        )
        return generator.get_schema(request=request, public=self.serve_public)
