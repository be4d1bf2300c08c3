"""Cross-cutting request handling: outages of the database or broker become a clear 503.

A view that hits a dead database or broker gets a 503 from ``process_exception``; the same error
raised outside a view (the session or authentication middleware reading the database) reaches
Django's ``handler500``, which is ``core.views.server_error`` and answers the same way. Either way
the answer is a friendly page for browsers or ``{"detail": …, "code": "service_unavailable"}`` for
API clients, with ``Retry-After`` and never a stack trace. The pages are rendered without request
context processors, so producing them needs neither the database nor the session.

Recovery needs nothing from here: ``CONN_HEALTH_CHECKS`` replaces a dead database connection on
the next request once the database is back.
"""

from __future__ import annotations

import logging
import tempfile

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerOperationalError

from . import health
from .signatures import signature_attempts_for

logger = logging.getLogger(__name__)

API_PATH_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 30
# The largest request body by default: the largest single file a customer's attachment policy
# may allow (500 MB) plus the form fields beside it (DATA_UPLOAD_MAX_MEMORY_SIZE, 10 MB).
# The setting CQM_MAX_REQUEST_BYTES overrides it.
MAX_REQUEST_BYTES = 510 * 1024 * 1024
_BODY_CHUNK_BYTES = 64 * 1024
STYLESHEETS = ("vendor/bootstrap/bootstrap.min.css", "css/app.css")


def _outage_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (
        OperationalError,
        InterfaceError,
        BrokerOperationalError,
    )
    try:
        import psycopg
    except ImportError:
        pass
    else:
        # Raised as such when psycopg is used outside the ORM's error wrapper.
        errors += (psycopg.OperationalError, psycopg.InterfaceError)
    try:
        from redis import exceptions as redis_errors
    except ImportError:
        pass
    else:
        errors += (redis_errors.ConnectionError, redis_errors.TimeoutError)
    return errors


# The database or the broker is unreachable (or went away mid-request).
OUTAGE_ERRORS = _outage_errors()


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OUTAGE_ERRORS)


def wants_json(request) -> bool:
    """API clients and scripts get JSON; browsers get the page."""
    if request.path.startswith(API_PATH_PREFIX):
        return True
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return True
    if getattr(request, "content_type", "") == "application/json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _error_answer(request, status: int, code: str, detail: str) -> HttpResponse:
    """``{"detail": …, "code": …}`` for API clients, the page ``<status>.html`` for browsers."""
    if wants_json(request):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    return _page(f"{status}.html", status=status)


def service_unavailable(request) -> HttpResponse:
    detail = _("The service is temporarily unavailable. Please try again in a moment.")
    response = _error_answer(request, 503, "service_unavailable", detail)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request) -> HttpResponse:
    detail = _("Something went wrong on our side. Please try again later.")
    response = _error_answer(request, 500, "server_error", detail)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request) -> HttpResponse:
    """A request the portal could not read (e.g. a malformed upload): nothing was saved."""
    detail = _("The request could not be read. Nothing was saved.")
    return _error_answer(request, 400, "bad_request", detail)


def request_too_large(request, limit_bytes: int | None = None) -> HttpResponse:
    """A body over a limit: nothing was read or saved.

    ``limit_bytes`` is the ceiling on the whole request (files included) that was passed; without
    it, the limit on form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``).
    """
    limit = filesizeformat(limit_bytes or settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if wants_json(request):
        detail = _("The request is too large: at most %(limit)s may be sent at once.") % {
            "limit": limit
        }
        return JsonResponse({"detail": detail, "code": "request_too_large"}, status=413)
    # Only the ceiling on the whole request counts files: then the advice is about files.
    too_many_files = limit_bytes is not None and request.META.get("CONTENT_TYPE", "").startswith(
        "multipart/form-data"
    )
    return _page("413.html", status=413, extra={"limit": limit, "too_many_files": too_many_files})


def error_response(request, error: BaseException | None) -> HttpResponse:
    """The answer for an error no view handled: 503 for an outage, else the plain 500."""
    return service_unavailable(request) if is_outage(error) else server_error(request)


def _page(template_name: str, *, status: int, extra: dict | None = None) -> HttpResponse:
    # A plain context, no request: context processors would read the user and the session.
    context = {
        "stylesheets": _stylesheet_urls(),
        "retry_after": RETRY_AFTER_SECONDS,
        **(extra or {}),
    }
    try:
        content = render_to_string(template_name, context)
    except Exception:  # the error page itself must not fail
        logger.exception("Error page %s could not be rendered", template_name)
        return HttpResponse(
            _("The service is temporarily unavailable. Please try again in a moment."),
            status=status,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(content, status=status)


def _stylesheet_urls() -> list[str]:
    try:
        return [static(path) for path in STYLESHEETS]
    except ValueError:
        # Hashed static files without their manifest: a plain page beats no page.
        return []


class ServiceUnavailableMiddleware:
    """Answers 503 when a backing service (database, broker) is down; serves ``/healthz``.

    Sits right after SecurityMiddleware: the health check is answered here, before any session
    or authentication middleware could touch the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == health.HEALTH_PATH:
            return health.healthz(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        logger.error(
            "Service unavailable on %s %s: %s",
            request.method,
            request.path,
            exception,
            exc_info=exception,
        )
        return service_unavailable(request)


class SignatureAttemptsMiddleware:
    """Wrong signature passwords count towards the sign-in lockout (``core.signatures``).

    They are recorded when the request is done: the signing service's transaction rolls back on a
    wrong password, and a failure written inside it would be rolled back with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with signature_attempts_for(request):
            return self.get_response(request)


def max_request_bytes() -> int:
    return int(getattr(settings, "CQM_MAX_REQUEST_BYTES", MAX_REQUEST_BYTES))


class RequestSizeLimitMiddleware:
    """A request body over ``CQM_MAX_REQUEST_BYTES`` is refused with a 413, pages and API alike.

    A ``Content-Length`` above the ceiling is answered before a byte of the body is read: nothing
    reaches a temporary upload file. A body sent without a length (``Transfer-Encoding:
    chunked``) is read here into a spooled file, never past the ceiling, and then handed on with
    its length as if it had been announced (Django reads no body without one). The finer limits
    follow later: API bodies (``core.api.parsers``), form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``)
    and each file (the customer's attachment policy).

    Sits early, before anything that reads the body (the CSRF check reads form posts).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ceiling = max_request_bytes()
        announced = _announced_length(request)
        if announced is not None and announced > ceiling:
            logger.warning(
                "Refused %s %s: body of %d bytes announced, at most %d allowed",
                request.method,
                request.path,
                announced,
                ceiling,
            )
            return _refused(request, ceiling)
        if announced is None and _has_unannounced_body(request):
            body = _take_unannounced_body(request, ceiling)
            if body is None:
                logger.warning(
                    "Refused %s %s: body without a length passed %d bytes",
                    request.method,
                    request.path,
                    ceiling,
                )
                return _refused(request, ceiling)
            with body:
                return self.get_response(request)
        return self.get_response(request)


def _refused(request, ceiling: int) -> HttpResponse:
    response = request_too_large(request, ceiling)
    # Said outright: the client is still sending, and no later middleware adds it.
    response["Content-Length"] = str(len(response.content))
    return response


def _announced_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _has_unannounced_body(request) -> bool:
    # Only a declared transfer coding says a body follows; reading otherwise would wait for
    # bytes that never come.
    return bool(request.META.get("HTTP_TRANSFER_ENCODING")) and "wsgi.input" in request.META


def _take_unannounced_body(request, ceiling: int):
    """Read a body sent without a length, up to ``ceiling``, and hand it on with its length.

    Returns the spooled file holding it (the caller closes it), or None once it passes the
    ceiling: reading stops there, the rest is never read.
    """
    source = request.META["wsgi.input"]
    # Handed to the caller, who closes it once the request is answered.
    spooled = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    size = 0
    while chunk := source.read(min(_BODY_CHUNK_BYTES, ceiling + 1 - size)):
        size += len(chunk)
        if size > ceiling:
            spooled.close()
            return None
        spooled.write(chunk)
    spooled.seek(0)
    request._stream = LimitedStream(spooled, size)
    request.META["CONTENT_LENGTH"] = str(size)
    return spooled
