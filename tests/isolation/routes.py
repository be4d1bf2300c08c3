"""Every route of the portal and who may reach it: the registry of the tenant isolation sweep.

``test_sweep.py`` walks Django's URL resolver and the OpenAPI schema and fails on any route that is
not classified here, so a new page or endpoint cannot slip past the sweep: adding a route means
adding one entry to ``REGISTRY``. An entry says what a customer user gets from the route and how
to fill its URL parameters from one customer's records (a ``Side`` of ``scenario.py``); the sweep
fills them with customer A's ids and calls the route as customer B's user.

Pages are keyed by their namespaced name (``claims:claim-detail``), API routes by the router's
name (``claim-eightd-causes-row``). The Django admin is classified as a whole: every view of the
admin site checks for staff itself, and the sweep calls each admin route to prove it.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from claims.api.views import STEP_ACTIONS as API_STEP_SERVICES
from claims.costs import COST_SERVICES
from claims.eightd.row_views import DELETABLE
from claims.eightd.services import ACTION_STEP
from claims.eightd.views import DECISIONS
from claims.models import Containment, EightDStep
from claims.services import STEP_SERVICES
from claims.views import CLAIM_TRANSITIONS


class Access(enum.Enum):
    PUBLIC = "public: anyone, signed in or not; shows no customer's data"
    OWN_ACCOUNT = "own account: the signed-in user's own settings; another user's token is a 404"
    STAFF_ONLY = "staff only: 403 for every customer user, checked before any record is read"
    TENANT_RECORD = "tenant record: one customer's record, a 404 for every other customer"
    LIST = "list: lists, searches, exports, counts and dashboards scoped to the viewer's customer"
    SHARED = "shared: our own master data (plants), read by everyone signed in, written by staff"
    ADMIN = "admin: the Django admin site, which sends customer users to its login"


Side = object  # scenario.Side: one customer's records (kept loose: routes import no fixtures)
Kwargs = Callable[[Side], list[dict]]
Body = Callable[[Side], dict]

PAGE_METHODS = ("GET", "POST")
POST_ONLY = ("POST",)
GET_ONLY = ("GET",)


def _no_kwargs(side) -> list[dict]:
    return [{}]


@dataclass(frozen=True)
class Route:
    access: Access
    # URL parameters from one customer's records; several dicts test several variants.
    kwargs: Kwargs = _no_kwargs
    # Pages: the methods the view serves, each swept. API methods come from the schema.
    methods: tuple[str, ...] = PAGE_METHODS
    # Methods a customer user gets 403 for whatever the record (capability checked first).
    forbidden: frozenset[str] = frozenset()
    # STAFF_ONLY: who opens the page (GET answers 200): "engineer" or "manager".
    staff: str = "engineer"
    # LIST: query strings tried besides the plain list and the search for the other's marker.
    queries: Callable[[Side], list[dict]] | None = None
    # The owner's response shows its records' text (the control that a leak would show): for a
    # LIST the owner's list, for a TENANT_RECORD a customer's GET of their own record.
    echoes: bool = True
    # LIST: the list has a search (``q`` on pages, ``search`` in the API).
    searchable: bool = True
    # PUBLIC: also called signed in as a customer user (not for documents the same for all).
    signed_in: bool = True
    # A plausible body for the route's writes (forms and JSON alike).
    sample: Body | None = None
    # The body is sent as multipart (file uploads over the API).
    multipart: bool = False
    # A write to one claim or its 8D, comments, files or costs (the closed-record sweep).
    claim_write: bool = False
    note: str = ""


# --- URL parameters ------------------------------------------------------------------------------


def _of(**params: Callable[[Side], object]) -> Kwargs:
    return lambda side: [{name: value(side) for name, value in params.items()}]


def _claim(**params: Callable[[Side], object]) -> Kwargs:
    return _of(pk=lambda side: side.claim.pk, **params)


def _claim_each(name: str, values) -> Kwargs:
    return lambda side: [{"pk": side.claim.pk, name: value} for value in values]


def _rows(param: str, *attributes: str) -> Kwargs:
    return lambda side: [
        {"pk": side.claim.pk, param: getattr(side, attribute).pk} for attribute in attributes
    ]


# Every transition, step action, location and row kind the product serves, read from the product:
# a new one is swept without an edit here.
CLAIM_ACTIONS = tuple(CLAIM_TRANSITIONS.services)
STEP_ACTIONS = tuple(STEP_SERVICES)
API_STEP_ACTIONS = tuple(API_STEP_SERVICES)
COST_ACTIONS = tuple(COST_SERVICES)
CONTAINMENT_LOCATIONS = tuple(Containment.Location.values)
STEP_CODES = tuple(EightDStep.Code.values)
# URL segment of the 8D row deletion -> the scenario's row of that kind.
SCENARIO_ROWS = {
    "team": "team",
    "containment": "containment",
    "causes": "cause",
    "actions": "corrective",
    "read-across": "read_across",
}


def _row_deletions(side) -> list[dict]:
    """One deletion per kind of row the page deletes (a new kind needs its SCENARIO_ROWS entry)."""
    return [
        {"pk": side.claim.pk, "kind": kind, "row": getattr(side, SCENARIO_ROWS[kind]).pk}
        for kind in DELETABLE
    ]


def _step_actions(side) -> list[dict]:
    return [
        {"pk": side.claim.pk, "code": "D2", "step_action": action} for action in API_STEP_ACTIONS
    ]


def _attachments(side) -> list[dict]:
    return [{"pk": side.part_attachment.pk}, {"pk": side.claim_attachment.pk}]


def _pictures(side) -> list[dict]:
    """The claim's photo as the page's thumbnail and as the large picture."""
    return [{"pk": side.claim_attachment.pk, "size": size} for size in (320, 1600)]


# --- bodies --------------------------------------------------------------------------------------


def png_upload(name: str = "evidence.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _today() -> str:
    return dt.date.today().isoformat()


def _claim_fields(side) -> dict:
    return {
        "part": side.part.pk,
        "kind": "0km",
        "severity": "major",
        "detection_location": "line",
        "detection_date": _today(),
        "symptom": "Changed symptom",
        "suspect_qty": 10,
        "nonconforming_qty": 1,
        "ppm_qty": 1,
        "version": getattr(side.claim, "version", 1),
    }


def _reasons(side) -> dict:
    return {
        "reason": "Stated reason",
        "reason_code": "no_fault_found",
        "defect_source": "design",
        "due_on": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        "evidence": "Stated evidence",
    }


def _cost_line(side) -> dict:
    return {
        "category": "sorting",
        "description": "Extra sorting",
        "quantity": "2",
        "unit": "h",
        "rate": "40",
        "currency": "EUR",
        "technical_factor_percent": "100",
    }


def _prefixed(prefix: Callable[[Side], str], body: Body) -> Body:
    return lambda side: {f"{prefix(side)}-{key}": value for key, value in body(side).items()}


def _containment(side) -> dict:
    return {"method": "sort", "qty_checked": 10, "qty_nonconforming": 0, "verification": "Checked"}


def _cause(side) -> dict:
    return {"leg": "systemic", "category": "method", "description": "Changed cause", "whys": "Why"}


def _action(side) -> dict:
    return {
        "title": "Changed action",
        "owner": side.owner.pk,
        "due_date": _today(),
        "causes": side.cause.pk,
        "verification": "Trial run",
    }


def _read_across(side) -> dict:
    return {"scope": "line", "subject": "Press 7", "applicable": True, "measure": "Counter fitted"}


# --- the registry: pages -------------------------------------------------------------------------

_CLAIM = _claim()
_WRITE = {"claim_write": True, "methods": POST_ONLY}

PAGES: dict[str, Route] = {
    # core
    "core:home": Route(Access.LIST, methods=GET_ONLY, searchable=False, echoes=False),
    "core:healthz": Route(Access.PUBLIC, methods=GET_ONLY, note="Load balancers' probe."),
    "core:my-actions": Route(Access.STAFF_ONLY, methods=GET_ONLY),
    "core:action-transition": Route(
        Access.STAFF_ONLY, _of(pk=lambda side: side.action.pk), methods=POST_ONLY
    ),
    "core:attachment-download": Route(Access.TENANT_RECORD, _attachments, echoes=False),
    "core:attachment-picture": Route(
        Access.TENANT_RECORD, _pictures, methods=GET_ONLY, echoes=False
    ),
    # customers, plants and parts
    "customers:customer-list": Route(Access.STAFF_ONLY, methods=GET_ONLY),
    "customers:customer-create": Route(Access.STAFF_ONLY, staff="manager"),
    "customers:customer-detail": Route(
        Access.STAFF_ONLY, _of(pk=lambda side: side.customer.pk), methods=GET_ONLY
    ),
    "customers:customer-update": Route(
        Access.STAFF_ONLY, _of(pk=lambda side: side.customer.pk), staff="manager"
    ),
    "customers:requirements-update": Route(
        Access.STAFF_ONLY, _of(pk=lambda side: side.customer.pk), staff="manager"
    ),
    "customers:contact-create": Route(
        Access.STAFF_ONLY, _of(pk=lambda side: side.customer.pk), staff="manager"
    ),
    "customers:contact-update": Route(
        Access.STAFF_ONLY,
        _of(pk=lambda side: side.customer.pk, contact_pk=lambda side: side.contact.pk),
        staff="manager",
    ),
    "customers:holiday-add": Route(
        Access.STAFF_ONLY, _of(pk=lambda side: side.customer.pk), staff="manager"
    ),
    "customers:holiday-remove": Route(
        Access.STAFF_ONLY,
        _of(pk=lambda side: side.customer.pk, holiday_pk=lambda side: side.holiday.pk),
        staff="manager",
    ),
    "customers:plant-list": Route(Access.STAFF_ONLY, methods=GET_ONLY),
    "customers:plant-create": Route(Access.STAFF_ONLY, staff="manager"),
    "customers:plant-detail": Route(
        Access.STAFF_ONLY, _of(pk=lambda side: side.part.plant_id), methods=GET_ONLY
    ),
    "customers:plant-update": Route(
        Access.STAFF_ONLY, _of(pk=lambda side: side.part.plant_id), staff="manager"
    ),
    "customers:part-list": Route(
        Access.LIST, methods=GET_ONLY, queries=lambda side: [{"customer": side.customer.pk}]
    ),
    "customers:part-create": Route(Access.STAFF_ONLY),
    "customers:part-import": Route(Access.STAFF_ONLY),
    "customers:part-import-template": Route(Access.STAFF_ONLY, methods=GET_ONLY),
    "customers:part-detail": Route(Access.TENANT_RECORD, _of(pk=lambda side: side.part.pk)),
    "customers:part-update": Route(Access.STAFF_ONLY, _of(pk=lambda side: side.part.pk)),
    "customers:part-attachment-add": Route(
        Access.STAFF_ONLY, _of(pk=lambda side: side.part.pk), methods=POST_ONLY
    ),
    # claims
    "claims:claim-list": Route(
        Access.LIST,
        methods=GET_ONLY,
        queries=lambda side: [{"customer": side.customer.pk}, {"part": side.part.pk}],
    ),
    "claims:inbox": Route(Access.STAFF_ONLY, methods=GET_ONLY),
    "claims:claim-export": Route(
        Access.LIST, methods=GET_ONLY, queries=lambda side: [{"customer": side.customer.pk}]
    ),
    "claims:claim-create": Route(
        Access.LIST,
        searchable=False,
        sample=_claim_fields,
        note="The part choices are the viewer's own; filing on another customer's part is a 400.",
    ),
    "claims:claim-detail": Route(Access.TENANT_RECORD, _CLAIM, methods=GET_ONLY),
    "claims:claim-report": Route(Access.TENANT_RECORD, _CLAIM, methods=GET_ONLY),
    "claims:claim-update": Route(
        Access.TENANT_RECORD, _CLAIM, sample=_claim_fields, claim_write=True
    ),
    "claims:claim-assign": Route(
        Access.TENANT_RECORD, _CLAIM, sample=lambda side: {"engineer": side.owner.pk}, **_WRITE
    ),
    "claims:comment-add": Route(
        Access.TENANT_RECORD, _CLAIM, sample=lambda side: {"body": "A question"}, **_WRITE
    ),
    "claims:attachment-add": Route(
        Access.TENANT_RECORD, _CLAIM, sample=lambda side: {"files": png_upload()}, **_WRITE
    ),
    "claims:step-action": Route(
        Access.TENANT_RECORD,
        lambda side: [{"pk": side.claim.pk, "code": "D2", "action": a} for a in STEP_ACTIONS],
        sample=lambda side: {"D2-summary": "Changed", "comment": "Changed"},
        **_WRITE,
    ),
    "claims:claim-transition": Route(
        Access.TENANT_RECORD, _claim_each("action", CLAIM_ACTIONS), sample=_reasons, **_WRITE
    ),
    # following another claim's 8D (claims.linking): staff only, a 403 for the owner's users
    "claims:claim-link": Route(
        Access.TENANT_RECORD, _CLAIM, sample=lambda side: {"master": side.claim.pk}, **_WRITE
    ),
    "claims:claim-unlink": Route(
        Access.TENANT_RECORD, _CLAIM, sample=lambda side: {"reason": "Stated reason"}, **_WRITE
    ),
    # the 8D pages and their rows
    "claims:eightd": Route(Access.TENANT_RECORD, _CLAIM, methods=GET_ONLY, echoes=False),
    "claims:eightd-step": Route(
        Access.TENANT_RECORD, _claim_each("code", STEP_CODES), methods=GET_ONLY
    ),
    "claims:eightd-save": Route(
        Access.TENANT_RECORD,
        _claim_each("code", STEP_CODES),
        sample=lambda side: {"summary": "Changed", "internal_note": "Changed"},
        **_WRITE,
    ),
    "claims:eightd-submit": Route(Access.TENANT_RECORD, _claim_each("code", STEP_CODES), **_WRITE),
    "claims:eightd-decide": Route(
        Access.TENANT_RECORD,
        lambda side: [
            {"pk": side.claim.pk, "code": "D3", "decision": decision} for decision in DECISIONS
        ],
        sample=lambda side: {"comment": "Changed"},
        **_WRITE,
    ),
    "claims:eightd-team-add": Route(
        Access.TENANT_RECORD,
        _CLAIM,
        sample=lambda side: {"name": "New member", "role": "member"},
        **_WRITE,
    ),
    "claims:eightd-team-edit": Route(
        Access.TENANT_RECORD,
        _rows("row", "team"),
        sample=lambda side: {"name": "Changed member", "role": "champion"},
        **_WRITE,
    ),
    "claims:eightd-containment-save": Route(
        Access.TENANT_RECORD,
        _claim_each("location", CONTAINMENT_LOCATIONS),
        sample=_prefixed(lambda side: "own_finished", _containment),
        **_WRITE,
    ),
    "claims:eightd-containment-remove": Route(
        Access.TENANT_RECORD,
        _rows("row", "containment"),
        sample=_prefixed(lambda side: f"remove-{side.containment.pk}", lambda s: {"note": "Lift"}),
        **_WRITE,
    ),
    "claims:eightd-cause-add": Route(Access.TENANT_RECORD, _CLAIM, sample=_cause, **_WRITE),
    "claims:eightd-cause-edit": Route(
        Access.TENANT_RECORD, _rows("row", "cause"), sample=_cause, **_WRITE
    ),
    "claims:eightd-cause-verify": Route(
        Access.TENANT_RECORD,
        _rows("row", "cause"),
        sample=_prefixed(
            lambda side: f"verify-{side.cause.pk}",
            lambda side: {"method": "On and off", "evidence": "Trial"},
        ),
        **_WRITE,
    ),
    "claims:eightd-cause-rule-out": Route(
        Access.TENANT_RECORD,
        _rows("row", "cause"),
        sample=_prefixed(lambda side: f"rule-out-{side.cause.pk}", lambda s: {"evidence": "No"}),
        **_WRITE,
    ),
    "claims:eightd-action-add": Route(
        Access.TENANT_RECORD,
        _claim_each("kind", tuple(ACTION_STEP)),
        sample=_action,
        **_WRITE,
    ),
    "claims:eightd-action-edit": Route(
        Access.TENANT_RECORD, _rows("row", "corrective", "preventive"), sample=_action, **_WRITE
    ),
    "claims:eightd-action-implement": Route(
        Access.TENANT_RECORD,
        _rows("row", "corrective"),
        sample=_prefixed(
            lambda side: f"implement-{side.corrective.pk}",
            lambda side: {"implemented_on": _today(), "validation": "3 lots OK"},
        ),
        **_WRITE,
    ),
    "claims:eightd-read-across-add": Route(
        Access.TENANT_RECORD, _CLAIM, sample=_read_across, **_WRITE
    ),
    "claims:eightd-read-across-edit": Route(
        Access.TENANT_RECORD, _rows("row", "read_across"), sample=_read_across, **_WRITE
    ),
    "claims:eightd-row-delete": Route(Access.TENANT_RECORD, _row_deletions, **_WRITE),
    # the customer's side of the 8D actions
    "claims:eightd-customer-action-add": Route(
        Access.TENANT_RECORD,
        _claim_each("code", ("D3", "D5", "D6")),
        sample=lambda side: {"title": "Gauge check", "due_date": _today()},
        **_WRITE,
    ),
    "claims:eightd-action-verdict": Route(
        Access.TENANT_RECORD,
        _rows("row", "corrective"),
        sample=lambda side: {
            f"verdict-{side.corrective.pk}-verdict": "declined",
            f"verdict-{side.corrective.pk}-comment": "Not enough",
            "back": "D5",
        },
        **_WRITE,
    ),
    "claims:eightd-action-revise": Route(
        Access.TENANT_RECORD,
        _rows("row", "corrective"),
        sample=_prefixed(
            lambda side: f"revise-{side.corrective.pk}",
            lambda side: {"title": "Revised", "due_date": _today(), "note": "Gauge added"},
        ),
        **_WRITE,
    ),
    # costs
    "claims:cost-card": Route(Access.TENANT_RECORD, _CLAIM, methods=GET_ONLY),
    "claims:cost-line-add": Route(Access.TENANT_RECORD, _CLAIM, sample=_cost_line, **_WRITE),
    "claims:cost-line-edit": Route(
        Access.TENANT_RECORD,
        _rows("line_pk", "cost_line"),
        sample=_prefixed(lambda side: f"line-{side.cost_line.pk}", _cost_line),
        **_WRITE,
    ),
    "claims:cost-line-remove": Route(Access.TENANT_RECORD, _rows("line_pk", "cost_line"), **_WRITE),
    "claims:cost-transition": Route(
        Access.TENANT_RECORD,
        _claim_each("action", COST_ACTIONS),
        sample=lambda side: {"reason": "Changed"},
        **_WRITE,
    ),
    # metrics
    "metrics:dashboard": Route(
        Access.LIST,
        methods=GET_ONLY,
        searchable=False,
        queries=lambda side: [{"customer": side.customer.pk}],
        note="A customer user is sent to the scorecard of their own company.",
        echoes=False,
    ),
    "metrics:scorecard": Route(
        Access.LIST,
        methods=GET_ONLY,
        searchable=False,
        queries=lambda side: [{"customer": side.customer.pk}],
        echoes=False,
    ),
    "metrics:delivery-list": Route(Access.STAFF_ONLY, methods=GET_ONLY),
    "metrics:delivery-import": Route(Access.STAFF_ONLY),
    "metrics:delivery-import-template": Route(Access.STAFF_ONLY, methods=GET_ONLY),
    "metrics:report-list": Route(Access.STAFF_ONLY, methods=GET_ONLY, staff="manager"),
    "metrics:report-generate": Route(Access.STAFF_ONLY, staff="manager"),
    "metrics:report-detail": Route(
        Access.TENANT_RECORD,
        _of(pk=lambda side: side.report.pk),
        methods=GET_ONLY,
        staff="manager",
        note="Management reports are internal: a 404 for every customer user, even their own.",
        echoes=False,
    ),
    "metrics:report-progress": Route(
        Access.TENANT_RECORD,
        _of(pk=lambda side: side.report.pk),
        methods=GET_ONLY,
        staff="manager",
        echoes=False,
    ),
    "metrics:report-download": Route(
        Access.TENANT_RECORD,
        _of(pk=lambda side: side.report.pk),
        methods=GET_ONLY,
        staff="manager",
        echoes=False,
    ),
    # documents served by the framework
    "api-schema": Route(Access.PUBLIC, methods=GET_ONLY, signed_in=False),
    "api-docs": Route(Access.PUBLIC, methods=GET_ONLY),
    "javascript-catalog": Route(Access.PUBLIC, methods=GET_ONLY),
    "favicon": Route(Access.PUBLIC, methods=GET_ONLY, note="A redirect to the static icon."),
    "admin:login": Route(
        Access.PUBLIC, note="The admin's sign-in form: a customer user gets the form, nothing else."
    ),
}


# Each later module keeps its routes in its own file, imported once Route and the helpers exist.
from . import (  # noqa: E402
    routes_accounts,
    routes_audits,
    routes_changes,
    routes_claim_imports,
    routes_claims_api,
    routes_deviations,
    routes_notifications,
    routes_ppap,
    routes_rating,
    routes_special_status,
    routes_surveys,
)

REGISTRY: dict[str, Route] = {
    **PAGES,
    **routes_claims_api.REGISTRY,
    **routes_accounts.REGISTRY,
    **routes_audits.REGISTRY,
    **routes_ppap.REGISTRY,
    **routes_changes.REGISTRY,
    **routes_deviations.REGISTRY,
    **routes_notifications.REGISTRY,
    **routes_claim_imports.REGISTRY,
    **routes_rating.REGISTRY,
    **routes_special_status.REGISTRY,
    **routes_surveys.REGISTRY,
}
# Whole namespaces classified at once: every view of the admin site checks for staff itself.
NAMESPACES: dict[str, Route] = {"admin": Route(Access.ADMIN)}


def classify(route) -> Route | None:
    """The registry's entry for a route of the resolver (``discovery.UrlRoute``), or None."""
    if route.name is not None and route.key in REGISTRY:
        return REGISTRY[route.key]
    return NAMESPACES.get(route.namespace.split(":")[0])
