"""The whole API under schemathesis: no 5xx, and every answer is the one its schema documents.

Every operation of the OpenAPI schema is fuzzed in-process through the WSGI application, once
with a customer user's API token and once with a quality engineer's; the management reports,
which only managers may read, once more with a manager's. The database holds records of
customers A and B (a part, a claim with its 8D rows, costs and a photo, deliveries, a management
report). Path parameters and the ids in request bodies (part, customer, plant, owner, the
sign-in's e-mail and password) are now and then swapped for those records', so the operations
reach real records (the customer's own, and the other customer's: 404) as well as missing ones.

The run is bounded and derandomized: the same cases on every run, about 2,000 requests.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import token_create
from accounts.tests.factories import DEFAULT_PASSWORD
from claims import costs, services
from claims.eightd import services as eightd
from claims.tests.factories import file_claim, fill_step, png_upload
from core.models import Attachment
from customers.tests.factories import PartFactory
from metrics import reports
from metrics.tests.factories import deliver
from special_status.services import special_status_open

# Fuzzed cases per operation (besides the schema's examples): enough to reach the error paths,
# few enough for CI.
MAX_EXAMPLES = 6
SEED = 20260308

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            # No example database: a case found once must not change the next run's cases.
            "database": "none",
        },
        # Explicit examples, then fuzzing; the coverage phase's boundary cases are unbounded.
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "operations": [
            # Each case renders a PDF (about a second); the id and ?format are all there is to vary.
            {"include-name": "GET /api/v1/claims/{id}/report/", "generation": {"max-examples": 3}},
            # Filing a claim is the customers' main write: worth more cases.
            {"include-name": "POST /api/v1/claims/", "generation": {"max-examples": 30}},
        ],
    }
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


# --- the records the operations reach -----------------------------------------------------------


def _claim_in_8d_work(user, engineer, part):
    """A claim of ``user``'s customer with a photo, D1–D5 rows, a read-across row and costs."""
    claim = file_claim(actor=user, part=part, uploads=[png_upload()])
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_start_review(claim=claim, actor=engineer)
    services.claim_accept_responsibility(claim=claim, actor=engineer)
    for code in ("D1", "D3", "D4", "D5"):
        fill_step(claim, code, engineer)
    eightd.read_across_save(
        claim=claim, actor=engineer, scope="part", subject="HN-21-1030", measure="Same punch"
    )
    costs.cost_line_add(
        claim=claim, actor=engineer, category="sorting", quantity="3", unit="h", rate="45.50"
    )
    return claim


def _records_of(user, engineer, *, release_costs: bool) -> dict:
    part = PartFactory(customer=user.customer)
    claim = _claim_in_8d_work(user, engineer, part)
    if release_costs:
        costs.costs_release(claim=claim, actor=engineer)
    draft = file_claim(actor=user, part=part, submit=False)
    first_of_month = dt.date.today().replace(day=1)
    deliveries = [
        deliver(part, first_of_month - dt.timedelta(days=days), 1000) for days in (10, 40)
    ]
    report = reports.report_request(
        period=first_of_month - dt.timedelta(days=1), customer=user.customer
    )
    special_status = special_status_open(
        actor=engineer,
        customer=user.customer,
        parts=[part],
        criteria=["0 rejects for 30 days", "Audit passed"],
        kind="cs2",
        started_on=first_of_month,
        reason="Repeated burr claims",
    )
    return {
        "user": user,
        "customer": user.customer,
        "part": part,
        "claims": [claim, draft],
        "deliveries": deliveries,
        "report": report,
        "special_status": special_status,
    }


def _known_path_parameters(records: list[dict]) -> dict[str, list[dict]]:
    """Path template → parameter sets that name real records (each customer's own)."""
    known: dict[str, list[dict]] = {}

    def add(path: str, **parameters) -> None:
        known.setdefault(f"/api/v1/{path}", []).append(parameters)

    for record in records:
        claim = record["claims"][0]
        add("customers/{id}/", id=record["customer"].pk)
        add("plants/{id}/", id=record["part"].plant_id)
        add("parts/{id}/", id=record["part"].pk)
        add("reports/{id}/", id=record["report"].pk)
        for delivery in record["deliveries"]:
            add("deliveries/{id}/", id=delivery.pk)
        for attachment in Attachment.objects.for_owner(claim):
            add("attachments/{id}/", id=attachment.pk)
        for link in claim.corrective_actions.all():
            add("actions/{id}/", id=link.action_id)
        for any_claim in record["claims"]:
            add("claims/{id}/", id=any_claim.pk)
        special_status = record["special_status"]
        add("special-statuses/{id}/", id=special_status.pk)
        for criterion in special_status.criteria.all():
            add(
                "special-statuses/{id}/criteria/{criterion_id}/",
                id=special_status.pk,
                criterion_id=criterion.pk,
            )
        rows = {
            "team": claim.team_members.all(),
            "containment": claim.containments.all(),
            "causes": claim.causes.all(),
            "actions": claim.corrective_actions.all(),
            "read-across": claim.read_across.all(),
            "costs/lines": claim.costs.all(),
        }
        for segment, queryset in rows.items():
            name = "line_id" if segment == "costs/lines" else "row_id"
            for row in queryset[:2]:
                add(f"claims/{{id}}/{segment}/{{{name}}}/", id=claim.pk, **{name: row.pk})
    return known


def _parameters_for(path: str, known: dict[str, list[dict]]) -> list[dict]:
    """Real parameter sets for ``path``: those of the longest known template it starts with.

    ``/claims/{id}/causes/{row_id}/verify/`` gets a claim's id with one of its causes' ids,
    ``/claims/{id}/steps/{code}/{step_action}/`` a claim's id (the rest stays generated).
    """
    templates = [template for template in known if path.startswith(template)]
    return known[max(templates, key=len)] if templates else []


def _known_relations(records: list[dict], engineer) -> list[dict]:
    """Request body values that name real records, one set per customer (and its user)."""
    return [
        {
            "part": record["part"].pk,
            "customer": record["customer"].pk,
            "plant": record["part"].plant_id,
            "owner": engineer.pk,
            "engineer": engineer.pk,
            "email": record["user"].email,
            "password": DEFAULT_PASSWORD,
        }
        for record in records
    ]


# --- the application under test -----------------------------------------------------------------


@pytest.fixture
def keep_test_connection():
    """Django closes "old" connections around each request: that would be the test's own."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def records(user_a, user_b, engineer):
    return [
        _records_of(user_a, engineer, release_costs=True),
        _records_of(user_b, engineer, release_costs=False),
    ]


def _token_header(user) -> dict:
    _token, key = token_create(user=user, name="API fuzzing")
    return {"Authorization": f"Token {key}"}


@pytest.fixture(params=["customer", "engineer"])
def auth_headers(request, user_a, engineer):
    return _token_header(user_a if request.param == "customer" else engineer)


@pytest.fixture
def api_schema(keep_test_connection, records, engineer):
    loaded = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application(), config=CONFIG
    )
    known_paths = _known_path_parameters(records)
    known_relations = _known_relations(records, engineer)

    @loaded.hook
    def flatmap_path_parameters(context, path_parameters):
        real = _parameters_for(context.operation.path, known_paths)
        return st.sampled_from([path_parameters, *({**path_parameters, **p} for p in real)])

    @loaded.hook
    def flatmap_body(context, body):
        if not isinstance(body, dict):
            return st.just(body)
        real = [
            {**body, **{name: value for name, value in relations.items() if name in body}}
            for relations in known_relations
        ]
        return st.sampled_from([body, *real])

    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


def _call_and_validate(case, headers):
    # The throttles count requests in the cache; their limits are not under test here.
    cache.clear()
    case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.mark.django_db
# Named here so pytest parametrizes the test by it: the schema's wrapper hides the argument.
@pytest.mark.usefixtures("auth_headers")
@schema.parametrize()
def test_api_answers_as_documented(case, auth_headers):
    _call_and_validate(case, auth_headers)


@pytest.fixture
def manager_headers(manager, records):
    """Management reports are for managers only; one of them is ready to download."""
    reports.report_generate(records[0]["report"].pk)
    return _token_header(manager)


@pytest.mark.django_db
@schema.include(path_regex=r"^/api/v1/reports/").parametrize()
def test_reports_answer_as_documented_to_managers(case, manager_headers):
    _call_and_validate(case, manager_headers)
