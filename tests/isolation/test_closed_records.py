"""A closed claim stays as it was closed: no page, API call or admin view alters it or its history.

Customer A's claim is taken through the whole 8D to closed (and its costs accepted) by the
services. Then every write route of a claim in the registry (``claim_write``: the claim's pages
and API operations, its 8D rows, files and costs) is called by the engineer and by A's own user
with a plausible body: each answers with a refusal (400/403/404/409, a page's refusal being a
redirect with an error message) and nothing of A's changes — not the claim's fields, not a row,
not a history row.

Still allowed on a closed claim, each proven to work below:
* reopening it (engineer): a new event that starts root cause again (DESIGN §6, "reopen = new
  event"), recorded in the timeline and the history;
* classifying its defect source (engineer): our internal Pareto label, documented as
  "correctable at any time except on a cancelled claim"; recorded in the history, never shown to
  the customer and not part of the 8D the customer accepted.

Comments are refused too (page and API, with a clear message): a closed or cancelled claim takes
no more comments, so one customer account cannot keep writing to records that are done.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.forms import MultiWidget
from django.forms.models import model_to_dict
from django.urls import reverse

from claims.models import Claim, ClaimEvent

from .calls import api_caller, body_of, error_messages, page_caller, url_of
from .discovery import UrlRoute, schema_operations, url_routes
from .routes import Access, classify
from .scenario import (
    MARKER_A,
    build_side,
    changed,
    close_claim,
    fingerprint,
    our_plant,
    rolled_back,
    staff,
)

pytestmark = pytest.mark.django_db

LEGITIMATE = {
    "claims:claim-transition": {"reopen", "classify"},  # the ``action`` of the URL
    "claim-reopen": None,  # None: the whole route
    "claim-classify": None,
}
REFUSALS = {400, 403, 404, 409}
WRITE_ROUTES = sorted(
    (route for route in url_routes() if (entry := classify(route)) and entry.claim_write),
    key=lambda route: route.key,
)


@pytest.fixture(scope="module")
def closed(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        engineer, manager, admin_user = staff()
        plant = our_plant(manager)
        side = build_side(MARKER_A, engineer=engineer, manager=manager, plant=plant)
        close_claim(side, engineer)
        side.extra.update(engineer=engineer, admin=admin_user, fingerprint=fingerprint(side))
        yield side


def _claim_state(claim: Claim) -> dict:
    """Every field of the claim as stored (its change stamp included) and its history rows."""
    fields = Claim.objects.filter(pk=claim.pk).values().get()
    return {**fields, "history": claim.history.count(), "events": claim.events.count()}


def _write_methods(route: UrlRoute) -> list[str]:
    if route.is_api:
        return [
            m for m in ("POST", "PUT", "PATCH", "DELETE") if m in schema_operations()[route.key]
        ]
    return ["POST"]


def _legitimate(route: UrlRoute, kwargs: dict) -> bool:
    if route.key not in LEGITIMATE:
        return False
    actions = LEGITIMATE[route.key]
    return actions is None or kwargs.get("action") in actions


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=lambda route: route.key)
def test_no_write_alters_a_closed_claim(closed, route: UrlRoute):
    entry = classify(route)
    assert entry.access is Access.TENANT_RECORD
    state = _claim_state(closed.claim)
    people = {"engineer": closed.extra["engineer"], "customer user": closed.user}
    for kwargs in entry.kwargs(closed):
        if _legitimate(route, kwargs):
            continue
        url = url_of(route, kwargs)
        for label, user in people.items():
            caller = api_caller(label, user) if route.is_api else page_caller(label, user)
            for method in _write_methods(route):
                body = body_of(entry, closed)
                response = caller.call(method, url, body, multipart=entry.multipart)
                what = f"{label} {method} {url}"
                _assert_refused(response, route, what)
                assert _claim_state(closed.claim) == state, f"{what} changed the closed claim"
                assert not changed(closed.extra["fingerprint"], fingerprint(closed)), (
                    f"{what} changed a record or history row of the closed claim's customer"
                )


def _assert_refused(response, route: UrlRoute, what: str) -> None:
    status = response.status_code
    if route.is_api or status != 302:
        assert status in REFUSALS, f"{what}: {status}"
        if route.is_api:
            assert response.json(), f"{what}: a refusal without a message"
        return
    assert error_messages(response), f"{what}: redirected without saying why"


def test_every_write_route_of_a_claim_is_swept():
    """The closed-record sweep covers the claim's writes the registry knows: pages and API."""
    keys = {route.key for route in WRITE_ROUTES}
    assert {"claims:claim-update", "claims:eightd-row-delete", "claims:cost-line-add"} <= keys
    assert {"claim-detail", "claim-eightd-team-row", "claim-attachments", "claim-costs-accept"} <= (
        keys
    )


# --- what is still allowed -----------------------------------------------------------------------


def test_reopening_is_a_new_event(closed):
    engineer = page_caller("engineer", closed.extra["engineer"])
    url = reverse("claims:claim-transition", args=[closed.claim.pk, "reopen"])
    response = engineer.call("POST", url, {"reason": "Repeat failure at the customer"})
    assert response.status_code == 302 and not error_messages(response)
    claim = Claim.objects.get(pk=closed.claim.pk)
    assert claim.status == Claim.Status.ROOT_CAUSE and claim.closed_at is None
    assert ClaimEvent.objects.filter(claim=claim, action="reopen").exists()


def test_classifying_is_recorded_in_the_history(closed):
    engineer = api_caller("engineer", closed.extra["engineer"])
    history = closed.claim.history.count()
    url = reverse("claim-classify", args=[closed.claim.pk])
    response = engineer.call("POST", url, {"defect_source": "design"})
    assert response.status_code == 200, response.content
    claim = Claim.objects.get(pk=closed.claim.pk)
    assert claim.status == Claim.Status.CLOSED and claim.defect_source == "design"
    assert claim.history.count() == history + 1
    assert claim.history.first().history_user == closed.extra["engineer"]


def test_a_closed_claim_takes_no_more_comments(closed):
    state = _claim_state(closed.claim)
    comments = closed.claim.comments.count()
    customer = api_caller("customer user", closed.user)
    url = reverse("claim-comments", args=[closed.claim.pk])
    response = customer.call("POST", url, {"body": "Thank you"})
    assert response.status_code == 409
    assert "takes no more comments" in response.json()["detail"]
    assert closed.claim.comments.count() == comments
    assert _claim_state(closed.claim) == state


# --- the admin -----------------------------------------------------------------------------------


def test_the_admin_has_no_pages_for_history_rows():
    historical = [
        model._meta.label
        for model in admin.site._registry
        if hasattr(model, "instance_type") or model.__name__.startswith("Historical")
    ]
    assert not historical
    admin_routes = [route.key for route in url_routes() if route.namespace == "admin"]
    assert not [key for key in admin_routes if "historical" in key]


def test_the_claim_admin_is_read_only_for_a_closed_claim(closed):
    admin_user = closed.extra["admin"]
    client = page_caller("admin", admin_user)
    claim_admin = admin.site._registry[Claim]
    request = client.call("GET", reverse("admin:index")).wsgi_request
    for check in ("has_add_permission", "has_change_permission", "has_delete_permission"):
        arguments = (request,) if check == "has_add_permission" else (request, closed.claim)
        assert not getattr(claim_admin, check)(*arguments), check
    state = _claim_state(closed.claim)
    change = reverse("admin:claims_claim_change", args=[closed.claim.pk])
    assert client.call("GET", change).status_code == 200  # looking it up is what the admin is for
    body = {**model_to_dict(Claim.objects.get(pk=closed.claim.pk)), "symptom": "Changed"}
    body = {key: value for key, value in body.items() if value is not None}
    for url in (change, reverse("admin:claims_claim_delete", args=[closed.claim.pk])):
        assert client.call("POST", url, {**body, "post": "yes"}).status_code == 403, url
    assert _claim_state(closed.claim) == state


def test_an_old_version_cannot_be_saved_over_a_closed_claim(closed):
    """The history page of a record shows old versions; saving one back is refused.

    simple-history's history form saves whatever is POSTed to it with only the view permission;
    this body is a complete, valid form of the claim as it was filed (a draft).
    """
    client = page_caller("admin", closed.extra["admin"])
    state = _claim_state(closed.claim)
    old = closed.claim.history.earliest("history_date")
    url = reverse("admin:claims_claim_simple_history", args=[closed.claim.pk, old.history_id])
    response = client.call("GET", url)
    assert response.status_code == 200
    body = _form_body(response.context["adminform"].form)
    assert body["status"] == Claim.Status.DRAFT
    assert client.call("POST", url, body).status_code == 403
    assert _claim_state(closed.claim) == state


def _form_body(form) -> dict:
    """What a browser would send back for ``form`` unchanged (split date and time fields too)."""
    body = {}
    for field in form:
        value, widget = field.value(), field.field.widget
        parts = widget.decompress(value) if isinstance(widget, MultiWidget) else [value]
        names = [f"{field.html_name}_{n}" for n in range(len(parts))] if len(parts) > 1 else None
        for name, part in zip(names or [field.html_name], parts, strict=True):
            if part is not None:
                body[name] = part
    return body
