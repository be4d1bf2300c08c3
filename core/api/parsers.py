"""Request body parsers with limits: one customer account must not be able to stop the portal.

- A JSON or form body larger than ``API_MAX_BODY_BYTES`` is refused with **413**
  ``{"detail": …, "code": "request_too_large"}``: by its ``Content-Length`` before anything is
  read, and while reading, for a body that is larger than announced (chunked, or a
  ``Content-Length`` that lies). Nothing reaches a service, so nothing is written.
- JSON nested deeper than ``JSON_MAX_DEPTH`` is a 400 (a body nested 2,000 levels would
  otherwise end in a ``RecursionError``).
- Multipart uploads keep their own limits (files: the customer's attachment policy; other
  fields: ``DATA_UPLOAD_MAX_MEMORY_SIZE``); Django's refusal of too large fields becomes the same
  413 instead of a 400 page.

These are the API's ``DEFAULT_PARSER_CLASSES``; a view that picks its parsers picks them here.
"""

from __future__ import annotations

import codecs
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.utils import json

from core import limits

READ_CHUNK_BYTES = 64 * 1024
CODE = "request_too_large"


class RequestTooLarge(APIException):
    """413 with ``{"detail": …, "code": "request_too_large"}``."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = CODE

    def __init__(self, max_bytes: int | None = None):
        if max_bytes:
            message = _("The request is too large: at most %(limit)s may be sent at once.") % {
                "limit": filesizeformat(max_bytes)
            }
        else:
            message = _("The request is too large.")
        super().__init__({"detail": message, "code": CODE})


def max_body_bytes() -> int:
    return getattr(settings, "API_MAX_BODY_BYTES", limits.API_MAX_BODY_BYTES)


def max_json_depth() -> int:
    return getattr(settings, "API_MAX_JSON_DEPTH", limits.JSON_MAX_DEPTH)


def announced_length(parser_context) -> int | None:
    request = (parser_context or {}).get("request")
    if request is None:
        return None
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) or None
    except (TypeError, ValueError):
        return None


def read_limited(stream, max_bytes: int, parser_context=None) -> bytes:
    """The whole body, or ``RequestTooLarge`` once it passes ``max_bytes``.

    The announced ``Content-Length`` is checked first, then the bytes actually read: reading
    stops one chunk past the limit, whatever the header said.
    """
    announced = announced_length(parser_context)
    if announced is not None and announced > max_bytes:
        raise RequestTooLarge(max_bytes)
    chunks, size = [], 0
    while True:
        chunk = stream.read(min(READ_CHUNK_BYTES, max_bytes + 1 - size))
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise RequestTooLarge(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def json_too_deep(text: str, max_depth: int) -> bool:
    """Whether objects and lists nest deeper than ``max_depth`` (strings do not count).

    Counts brackets outside strings without recursion, so any depth is safe to check.
    """
    if text.count("[") + text.count("{") <= max_depth:
        return False
    depth = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > max_depth:
                return True
        else:
            depth -= 1
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a body size and a nesting depth limit."""

    def max_bytes(self) -> int:
        return max_body_bytes()

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        body = read_limited(stream, self.max_bytes(), parser_context)
        try:
            text = codecs.decode(body, encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("JSON parse error - %s") % exc) from exc
        depth = max_json_depth()
        if json_too_deep(text, depth):
            raise ParseError(
                _("JSON parse error - nested deeper than %(depth)d levels.") % {"depth": depth}
            )
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %s") % exc) from exc
        except RecursionError as exc:  # a last guard; the depth check comes first
            raise ParseError(_("JSON parse error - nested too deeply.")) from exc


class BulkJSONParser(JSONParser):
    """For bulk imports, whose bodies are legitimately larger (``API_MAX_BULK_BODY_BYTES``)."""

    def max_bytes(self) -> int:
        return getattr(settings, "API_MAX_BULK_BODY_BYTES", limits.API_MAX_BULK_BODY_BYTES)


class FormParser(parsers.FormParser):
    """URL-encoded forms, limited like JSON (DRF's own reads the whole body into memory)."""

    def parse(self, stream, media_type=None, parser_context=None):
        from django.http import QueryDict

        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        body = read_limited(stream, max_body_bytes(), parser_context)
        return QueryDict(body, encoding=encoding)


class MultiPartParser(parsers.MultiPartParser):
    """Uploads: Django's limits on the non-file fields answer 413 rather than a 400 page."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig as exc:
            raise RequestTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) from exc
