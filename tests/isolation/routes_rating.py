"""Routes of the rated scorecard, classified for the tenant isolation sweep.

Merged into ``routes.REGISTRY``. A customer user reads their own company's card (pages and API),
certificates and scores; another company's is a 404. The settings, the certificate and score
pages and every write are for our staff, a 403 for customer users before any record is read. The
records come from ``scenario_rating.build`` (``side.extra``).
"""

from __future__ import annotations

from .routes import GET_ONLY, Access, Route, _of

_CUSTOMER = _of(pk=lambda side: side.customer.pk)
_CERTIFICATE = _of(
    pk=lambda side: side.customer.pk, certificate_pk=lambda side: side.extra["certificate"].pk
)
_SCORE = _of(
    pk=lambda side: side.customer.pk, rating_pk=lambda side: side.extra["customer_rating"].pk
)
_WRITES = frozenset({"POST", "PUT", "PATCH"})


def _settings(side) -> dict:
    return {"zero_km_ppm_enabled": "on", "zero_km_ppm_weight": "30", "green_from": "85"}


def _certificate(side) -> dict:
    return {"name": "ISO 14001", "certificate_number": "C-1", "valid_until": "2030-01-31"}


def _score(side) -> dict:
    return {"month": "2026-01", "score": "80", "band": "yellow", "note": "From their portal"}


def _api_certificate(side) -> dict:
    return {"customer": side.customer.pk, **_certificate(side)}


def _api_score(side) -> dict:
    return {"customer": side.customer.pk, **_score(side)}


REGISTRY: dict[str, Route] = {
    # pages
    "metrics:rating-overview": Route(
        Access.LIST,
        methods=GET_ONLY,
        searchable=False,
        echoes=False,
        note="A customer user is sent to the card of their own company.",
    ),
    "metrics:rating-card": Route(
        Access.TENANT_RECORD,
        _CUSTOMER,
        methods=GET_ONLY,
        note="The card names the missing certificate: B's own card shows B's.",
    ),
    "metrics:rating-settings": Route(
        Access.STAFF_ONLY, _CUSTOMER, staff="manager", sample=_settings
    ),
    "metrics:certificate-list": Route(Access.STAFF_ONLY, _CUSTOMER, methods=GET_ONLY),
    "metrics:certificate-create": Route(
        Access.STAFF_ONLY, _CUSTOMER, staff="manager", sample=_certificate
    ),
    "metrics:certificate-update": Route(
        Access.STAFF_ONLY, _CERTIFICATE, staff="manager", sample=_certificate
    ),
    "metrics:customer-rating-list": Route(Access.STAFF_ONLY, _CUSTOMER, methods=GET_ONLY),
    "metrics:customer-rating-create": Route(
        Access.STAFF_ONLY, _CUSTOMER, staff="manager", sample=_score
    ),
    "metrics:customer-rating-update": Route(
        Access.STAFF_ONLY, _SCORE, staff="manager", sample=_score
    ),
    # API
    "metrics-scorecard": Route(
        Access.LIST,
        searchable=False,
        queries=lambda side: [{"customer": side.customer.pk}],
        note="Another customer's id is a 404, as documented.",
    ),
    "scorecard-settings-detail": Route(
        Access.STAFF_ONLY, _of(customer=lambda side: side.customer.pk)
    ),
    "certificate-list": Route(
        Access.LIST,
        forbidden=frozenset({"POST"}),
        queries=lambda side: [{"customer": side.customer.pk}],
        sample=_api_certificate,
    ),
    "certificate-detail": Route(
        Access.TENANT_RECORD,
        _of(pk=lambda side: side.extra["certificate"].pk),
        forbidden=_WRITES,
        sample=_certificate,
    ),
    "customer-rating-list": Route(
        Access.LIST,
        forbidden=frozenset({"POST"}),
        searchable=False,
        queries=lambda side: [{"customer": side.customer.pk}],
        sample=_api_score,
        echoes=False,
        note="The note, the only text, is internal: customer users read null.",
    ),
    "customer-rating-detail": Route(
        Access.TENANT_RECORD,
        _of(pk=lambda side: side.extra["customer_rating"].pk),
        forbidden=_WRITES,
        sample=_score,
        echoes=False,
    ),
}
