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

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerOperationalError

from . import health
from .signatures import signature_attempts_for

logger = logging.getLogger(__name__)

API_PATH_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 30
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


def service_unavailable(request) -> HttpResponse:
    if wants_json(request):
        detail = _("The service is temporarily unavailable. Please try again in a moment.")
        response = JsonResponse({"detail": detail, "code": "service_unavailable"}, status=503)
    else:
        response = _page("503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request) -> HttpResponse:
    if wants_json(request):
        detail = _("Something went wrong on our side. Please try again later.")
        response = JsonResponse({"detail": detail, "code": "server_error"}, status=500)
    else:
        response = _page("500.html", status=500)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request) -> HttpResponse:
    """A request the portal could not read (e.g. a malformed upload): nothing was saved."""
    if wants_json(request):
        detail = _("The request could not be read. Nothing was saved.")
        return JsonResponse({"detail": detail, "code": "bad_request"}, status=400)
    return _page("400.html", status=400)


def request_too_large(request) -> HttpResponse:
    """A body over the limits (``DATA_UPLOAD_MAX_MEMORY_SIZE``): nothing was read or saved."""
    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if wants_json(request):
        detail = _("The request is too large: at most %(limit)s may be sent at once.") % {
            "limit": limit
        }
        return JsonResponse({"detail": detail, "code": "request_too_large"}, status=413)
    response = _page("413.html", status=413, extra={"limit": limit})
    return response


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
