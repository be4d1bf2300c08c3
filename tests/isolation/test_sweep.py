"""Tenant isolation over every route: customer B's user gets nothing of customer A's.

The routes come from Django's URL resolver and the OpenAPI schema, so a new page or endpoint is
swept as soon as it exists, and fails the sweep until ``routes.REGISTRY`` classifies it. For every
route B calls it with A's ids (404, or 403 for staff pages), every list, search, export, count and
PDF B gets is free of A's marker text, and no call of B's changes any of A's rows. Each check has
its control: what A (or our staff) gets from the same URL shows that the ids and markers are real.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from .calls import Caller, api_caller, body_of, page_caller, shows, text_of, url_of
from .discovery import UrlRoute, schema_operations, url_routes
from .routes import NAMESPACES, REGISTRY, Access, Route, classify
from .scenario import (
    MARKER_A,
    SHIPPED,
    Scenario,
    Side,
    build_scenario,
    changed,
    fingerprint,
    rolled_back,
)

ROUTES = sorted(url_routes(), key=lambda route: route.key)
# Deleting last: the controls write to A's records, and a deleted row cannot be changed after.
METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """The scenario and its people's ways in, each made (and signed in) when first used."""

    scenario: Scenario
    made: dict[tuple[str, bool], Caller] = field(default_factory=dict)

    @property
    def a(self) -> Side:
        return self.scenario.a

    @property
    def b(self) -> Side:
        return self.scenario.b

    def page(self, who: str) -> Caller:
        return self._made(who, api=False)

    def callers(self, route: UrlRoute, who: str) -> list[Caller]:
        """``who``'s ways in: the page client, or for API routes a session and a token client."""
        if not route.is_api:
            return [self.page(who)]
        callers = [self._made(who, api=True)]
        if who in ("a", "b"):
            callers.append(self._made(f"{who} (token)", api=True))
        return callers

    def _made(self, who: str, *, api: bool) -> Caller:
        if (who, api) not in self.made:
            self.made[who, api] = self._make(who, api)
        return self.made[who, api]

    def _make(self, who: str, api: bool) -> Caller:
        if who == "anonymous":
            return api_caller(who) if api else page_caller(who)
        name = who.split(" ")[0]
        side = {"a": self.scenario.a, "b": self.scenario.b}.get(name)
        user = side.user if side else getattr(self.scenario, name)
        if not api:
            return page_caller(who, user)
        if who.endswith("(token)"):
            return api_caller(name, token_key=side.token_key)
        return api_caller(who, user)


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        built = build_scenario()
        built.a.extra["fingerprint"] = fingerprint(built.a)
        yield built


@pytest.fixture
def world(scenario: Scenario) -> World:
    """Fresh clients for every test: a sign-out in one test signs nobody out in the next."""
    return World(scenario)


# --- completeness --------------------------------------------------------------------------------


def test_every_route_of_the_resolver_is_classified():
    unknown = [f"{route.key}  (/{route.pattern})" for route in ROUTES if classify(route) is None]
    assert not unknown, "Routes missing from tests/isolation/routes.py:\n" + "\n".join(unknown)


def test_the_registry_names_only_routes_that_exist():
    keys = {route.key for route in ROUTES}
    assert not sorted(set(REGISTRY) - keys), "Registry entries without a route"


def test_every_operation_of_the_api_schema_is_classified():
    keys = {route.key: route for route in ROUTES}
    unknown = [
        f"{key} {sorted(methods)}"
        for key, methods in schema_operations().items()
        if key not in keys or classify(keys[key]) is None
    ]
    assert not unknown, "Schema operations without a classified route:\n" + "\n".join(unknown)


def test_every_api_route_is_in_the_schema_or_public():
    undocumented = [
        route.key
        for route in ROUTES
        if route.is_api
        and route.key not in schema_operations()
        and classify(route).access != Access.PUBLIC
    ]
    assert not undocumented


# --- one test per route --------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.key)
def test_route(world: World, route: UrlRoute):
    entry = classify(route)
    assert entry is not None, f"{route.key} is not classified in tests/isolation/routes.py"
    refusals, controls = CHECKS[entry.access]
    refusals(world, route, entry)
    if entry.access is not Access.ADMIN:  # never past the admin's own check: nothing to write
        after = fingerprint(world.a)
        assert not changed(world.a.extra["fingerprint"], after), f"{route.key} changed A's records"
    if controls is not None:
        controls(world, route, entry)


def _methods(route: UrlRoute, entry: Route) -> tuple[str, ...]:
    if route.is_api:
        documented = schema_operations().get(route.key, {"GET"})
        return tuple(method for method in METHOD_ORDER if method in documented)
    return entry.methods


def _refused(response, expected: set[int], what: str, foreign: str = MARKER_A) -> None:
    """The expected refusal, without a trace of the ``foreign`` customer's records."""
    assert response.status_code in expected, f"{what}: {response.status_code}, not {expected}"
    assert not shows(text_of(response), foreign), f"{what} shows another customer's data"


def _check_public(world: World, route: UrlRoute, entry: Route) -> None:
    for kwargs in entry.kwargs(world.a):
        url = url_of(route, kwargs)
        callers = [world.page("anonymous")] + ([world.page("b")] if entry.signed_in else [])
        for caller in callers:
            for method in entry.methods:
                response = caller.call(method, url)
                what = f"{caller.label} {method} {url}"
                assert response.status_code < 500, f"{what}: {response.status_code}"
                assert not shows(text_of(response), world.a.marker), f"{what} shows A's data"


def _check_own_account(world: World, route: UrlRoute, entry: Route) -> None:
    for kwargs in entry.kwargs(world.a):
        url = url_of(route, kwargs)
        for method in entry.methods:
            response = world.page("b").call(method, url)
            expected = {404} if kwargs else {200, 302, 400}
            _refused(response, expected, f"b {method} {url}")


def _control_own_account(world: World, route: UrlRoute, entry: Route) -> None:
    """The owner reaches their own record: the ids are real."""
    for kwargs in entry.kwargs(world.a):
        if kwargs:
            url = url_of(route, kwargs)
            assert world.page("a").call(entry.methods[0], url).status_code != 404, url


def _check_staff_only(world: World, route: UrlRoute, entry: Route) -> None:
    methods = _methods(route, entry)
    for kwargs in entry.kwargs(world.a):
        url = url_of(route, kwargs)
        for who, other in (("a", world.b), ("b", world.a)):
            for caller in world.callers(route, who):
                for method in methods:
                    response = caller.call(method, url, body_of(entry, world.a))
                    what = f"{caller.label} {method} {url}"
                    _refused(response, {403}, what, foreign=other.marker)


def _control_staff_only(world: World, route: UrlRoute, entry: Route) -> None:
    """Our staff do reach the page (GET answers 200; a write is not refused)."""
    methods = _methods(route, entry)
    for kwargs in entry.kwargs(world.a):
        url = url_of(route, kwargs)
        staff = world.callers(route, entry.staff)[0]
        if "GET" in methods:
            response = staff.call("GET", url)
            assert response.status_code == 200, f"{entry.staff} GET {url}: {response.status_code}"
        else:
            response = staff.call(methods[0], url, body_of(entry, world.a))
            assert response.status_code not in (403, 404), f"{entry.staff} {url}"
            assert response.status_code < 500


def _check_tenant_record(world: World, route: UrlRoute, entry: Route) -> None:
    methods = _methods(route, entry)
    for kwargs in entry.kwargs(world.a):
        url = url_of(route, kwargs)
        for caller in world.callers(route, "b"):
            for method in methods:
                response = caller.call(
                    method, url, body_of(entry, world.a), multipart=entry.multipart
                )
                expected = {403} if method in entry.forbidden else {404}
                _refused(response, expected, f"{caller.label} {method} {url}")
    _same_answer_for_own_records(world, route, entry, methods)
    _own_reads_show_nothing_of_a(world, route, entry)


def _same_answer_for_own_records(world, route, entry, methods) -> None:
    """A 403 that does not depend on the record: B gets it for B's own record too."""
    for method in set(methods) & entry.forbidden:
        for kwargs in entry.kwargs(world.b):
            url = url_of(route, kwargs)
            response = world.callers(route, "b")[0].call(method, url, body_of(entry, world.b))
            assert response.status_code == 403, f"b {method} own {url}: {response.status_code}"


def _record_marker(route: UrlRoute, side: Side) -> str:
    """What shows that a record is there: a page names its user and customer around any content."""
    return side.marker if route.is_api else side.secret


def _own_reads_show_nothing_of_a(world, route, entry) -> None:
    """B's own record (nested lists, PDFs) holds nothing of A's, and does show B's own marker."""
    if "GET" not in _methods(route, entry):
        return
    caller = world.callers(route, "b")[0]
    texts = []
    for kwargs in entry.kwargs(world.b):
        url = url_of(route, kwargs)
        response = caller.call("GET", url)
        assert response.status_code < 500, f"{caller.label} GET own {url}"
        texts.append(text_of(response))
        assert not shows(texts[-1], world.a.marker), f"own {url} shows A's data"
    if entry.echoes:
        assert any(shows(text, _record_marker(route, world.b)) for text in texts), (
            f"control: B's own {route.key} does not show B's records"
        )


def _control_tenant_record(world: World, route: UrlRoute, entry: Route) -> None:
    """With the same ids our staff are not told "not found": the ids are real."""
    methods = _methods(route, entry)
    staff = world.callers(route, entry.staff)[0]
    for kwargs in entry.kwargs(world.a):
        url = url_of(route, kwargs)
        for method in methods:
            response = staff.call(method, url, body_of(entry, world.a), multipart=entry.multipart)
            what = f"{entry.staff} {method} {url}"
            assert response.status_code != 404 and response.status_code < 500, (
                f"{what}: {response.status_code}"
            )


def _list_queries(world: World, route: UrlRoute, entry: Route) -> list[dict]:
    """The plain list, a search for A's records (where the list searches) and the entry's own."""
    term = world.a.search_term
    search = [{"search": term} if route.is_api else {"q": term}] if entry.searchable else []
    return [{}, *search, *(entry.queries(world.a) if entry.queries else [])]


def _check_list(world: World, route: UrlRoute, entry: Route) -> None:
    methods = _methods(route, entry)
    url = url_of(route, {})
    if "GET" in methods:
        for caller in world.callers(route, "b"):
            for number, query in enumerate(_list_queries(world, route, entry)):
                response = caller.call("GET", url, query, follow=True)
                expected = {200} if number == 0 else {200, 400, 404}
                _refused(response, expected, f"{caller.label} GET {url} {query}")
    for method in (m for m in methods if m != "GET"):
        for caller in world.callers(route, "b"):
            response = caller.call(method, url, body_of(entry, world.a))
            expected = {403} if method in entry.forbidden else {400, 403, 404, 405}
            _refused(response, expected, f"{caller.label} {method} {url} with A's ids")


def _control_list(world: World, route: UrlRoute, entry: Route) -> None:
    """The same list for A shows A's marker: it would show if it leaked to B."""
    if "GET" not in _methods(route, entry) or not entry.echoes:
        return
    url = url_of(route, {})
    for caller in world.callers(route, "a"):
        for query in _list_queries(world, route, entry)[:2]:
            response = caller.call("GET", url, query, follow=True)
            assert shows(text_of(response), _record_marker(route, world.a)), (
                f"control: {caller.label} GET {url} {query} does not show A's records"
            )


def _check_shared(world: World, route: UrlRoute, entry: Route) -> None:
    for kwargs in entry.kwargs(world.a):
        url = url_of(route, kwargs)
        for caller in world.callers(route, "b"):
            for method in _methods(route, entry):
                response = caller.call(method, url, body_of(entry, world.a))
                expected = {403} if method in entry.forbidden else {200}
                _refused(response, expected, f"{caller.label} {method} {url}")


def _check_admin(world: World, route: UrlRoute, entry: Route) -> None:
    """A customer user is sent to the admin's sign-in (sign-out: to the index, which sends on)."""
    login, index = reverse("admin:login"), reverse("admin:index")
    for method in ("GET", "POST"):
        response = world.page("b").call(method, route.sample_path)
        what = f"customer user {method} {route.sample_path}"
        assert response.status_code == 302, f"{what}: {response.status_code}"
        target = response["Location"]
        assert target.startswith(login) or (route.key == "admin:logout" and target == index), (
            f"{what} was sent to {target}"
        )


# Per kind of access: B's calls (refusals), then the controls that prove the ids and markers real.
CHECKS = {
    Access.PUBLIC: (_check_public, None),
    Access.OWN_ACCOUNT: (_check_own_account, _control_own_account),
    Access.STAFF_ONLY: (_check_staff_only, _control_staff_only),
    Access.TENANT_RECORD: (_check_tenant_record, _control_tenant_record),
    Access.LIST: (_check_list, _control_list),
    Access.SHARED: (_check_shared, None),
    Access.ADMIN: (_check_admin, None),
}
assert set(CHECKS) == set(Access), "every kind of access has its check"
assert set(NAMESPACES) == {"admin"}


# --- figures, documents and the owner's own view -------------------------------------------------


def test_metrics_of_b_count_only_b(world: World):
    """ppm and KPIs of B add up B's deliveries and claims only; A's ids are not found."""
    for caller in world.callers(_api_route("metrics-ppm"), "b"):
        ppm = caller.call("GET", reverse("metrics-ppm")).json()
        assert ppm["customer"] == world.b.customer.pk
        assert sum(period["delivered"] for period in ppm["periods"]) == world.b.delivery.quantity
        for query in ({"customer": world.a.customer.pk}, {"part": world.a.part.pk}):
            assert caller.call("GET", reverse("metrics-ppm"), query).status_code == 404
        kpis = caller.call("GET", reverse("metrics-kpis")).json()
        assert (kpis["customer"], kpis["open_claims"]) == (world.b.customer.pk, 1)
        query = {"customer": world.a.customer.pk}
        assert caller.call("GET", reverse("metrics-kpis"), query).status_code == 404
    own = world.callers(_api_route("metrics-ppm"), "a")[0].call("GET", reverse("metrics-ppm"))
    assert sum(period["delivered"] for period in own.json()["periods"]) == SHIPPED[MARKER_A]


def test_home_page_counts_only_b(world: World):
    """The cards on B's home page count B's part, claim and open actions: never A's as well."""
    expected = {"active_parts": 1, "open_claims": 1, "open_actions": 3}
    for who in ("b", "a"):  # A's own page is the control: as many records of its own
        response = world.page(who).call("GET", reverse("core:home"))
        cards = {card.key: card.value for card in response.context["cards"]}
        assert {key: cards.get(key) for key in expected} == expected, who


def test_management_report_of_b_holds_nothing_of_a(world: World):
    """The monthly report e-mailed to B's recipients: B's figures and claims, none of A's."""
    texts = {}
    for side in (world.a, world.b):
        assert side.report.status == "done", side.report.error
        response = world.page("manager").call(
            "GET", reverse("metrics:report-download", args=[side.report.pk])
        )
        assert response.status_code == 200
        texts[side.marker] = text_of(response)
    assert shows(texts[world.a.marker], world.a.secret)  # the control: A's own report names them
    assert shows(texts[world.b.marker], world.b.secret)
    assert not shows(texts[world.b.marker], world.a.marker)


def test_owner_reads_and_downloads_own_records(world: World):
    """What B is refused, A gets: the part page, the file as a download and the API lists."""
    page = world.page("a")
    part_page = reverse("customers:part-detail", args=[world.a.part.pk])
    assert page.call("GET", part_page).status_code == 200
    file_url = reverse("core:attachment-download", args=[world.a.part_attachment.pk])
    download = page.call("GET", file_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    api = world.callers(_api_route("part-list"), "a")[0]
    for name, record in (
        ("part-list", world.a.part),
        ("action-list", world.a.action),
        ("claim-list", world.a.claim),
    ):
        ids = {row["id"] for row in api.call("GET", reverse(name)).json()["results"]}
        assert record.pk in ids, name
    customers = api.call("GET", reverse("customer-list")).json()["results"]
    assert [row["id"] for row in customers] == [world.a.customer.pk]


def _api_route(key: str) -> UrlRoute:
    return next(route for route in ROUTES if route.key == key)
