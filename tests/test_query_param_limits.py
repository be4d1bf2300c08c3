"""No query parameter a customer can send makes a list answer 500 (issue: "one customer account
must not be able to stop the portal").

The API half walks the OpenAPI schema: every list operation (a GET without path parameters) gets
out-of-range values in each of its integer, number and date query parameters, and very long text
in every other one, as a customer user and as a quality engineer. Each answer is a 400 with a
message for that parameter, or a 200 where the value is legitimately in range (a page past the
last is the 404 DRF answers), never a 5xx. The page half repeats the reported reproductions on
the list pages, which show the list with an inline error or the last page instead.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from audits.tests.factories import customer_audit
from claims.tests.factories import file_claim
from customers.tests.factories import PartFactory

HUGE = "9" * 20
LONG = "7" * 5000
# Out of range, malformed or both, for every integer, number and date parameter.
NUMBER_VALUES = ("0", "-1", "1e5", HUGE, "-" + HUGE, "9999-99-99", "abc", "1.5", "NaN", LONG)
DATE_VALUES = ("0", "-1", "1e5", HUGE, "9999-99-99", "0000-01-01", "1899-12-31", "abc", LONG)
TEXT_VALUES = (LONG, HUGE)


def _list_operations(schema: dict):
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is None or "{" in path:
            continue
        query = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
        yield path, operation, query


def _kind(parameter: dict) -> str:
    schema = parameter.get("schema", {})
    if schema.get("type") == "array":
        schema = schema.get("items", {})
    if schema.get("type") in ("integer", "number"):
        return "number"
    if schema.get("format") in ("date", "date-time"):
        return "date"
    if schema.get("enum") or schema.get("type") == "boolean":
        return "choice"
    return "text"


def _values(kind: str):
    return {"number": NUMBER_VALUES, "date": DATE_VALUES}.get(kind, TEXT_VALUES)


@pytest.fixture
def records(customer_a, user_a, engineer, manager):
    part = PartFactory(customer=customer_a)
    file_claim(actor=user_a, part=part)
    customer_audit(actor=manager, customer=customer_a)
    return part


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["user_a", "engineer", "manager"])
def test_no_list_parameter_causes_a_server_error(request, api_client_for, records, persona):
    user = request.getfixturevalue(persona)
    api = api_client_for(user)
    api.raise_request_exception = False  # a 500 is collected with the others, not raised
    schema = api.get("/api/schema/", {"format": "json"}).json()
    failures, tried = [], 0
    for path, operation, parameters in _list_operations(schema):
        # A 404 where the operation documents one: a page past the last, an unknown customer.
        documented_404 = {404} if "404" in operation.get("responses", {}) else set()
        for parameter in parameters:
            name, kind = parameter["name"], _kind(parameter)
            if kind == "choice" or name == "format":
                continue
            for value in _values(kind):
                cache.clear()  # the list cache must not hide a failure of the same URL
                response = api.get(path, {name: value})
                tried += 1
                expected = {200, 400, 403} | documented_404
                if response.status_code not in expected:
                    failures.append((path, name, value[:30], response.status_code))
                elif response.status_code == 400 and kind != "text":
                    body = response.json()
                    assert name in body or "detail" in body, (path, name, body)
    assert tried > 100
    assert failures == [], "\n".join(map(str, failures))


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-1", "1e5", HUGE, "abc"])
def test_audit_year_out_of_range_is_a_400(api_client_for, engineer, user_a, records, value):
    for user in (engineer, user_a):
        response = api_client_for(user).get("/api/v1/audits/", {"year": value})
        assert response.status_code == 400
        assert "year" in response.json()


@pytest.mark.django_db
def test_audit_year_in_range_filters(api_client_for, engineer, records):
    response = api_client_for(engineer).get("/api/v1/audits/", {"year": 2026})
    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-1", "abc", "1e5", HUGE])
def test_api_page_that_is_no_page_number_is_a_400(api_client_for, user_a, records, value):
    response = api_client_for(user_a).get("/api/v1/claims/", {"page": value})
    assert response.status_code == 400
    assert "page" in response.json()


@pytest.mark.django_db
def test_api_page_past_the_last_is_a_404(api_client_for, user_a, records):
    assert api_client_for(user_a).get("/api/v1/claims/", {"page": 99}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-1", "abc", HUGE + "x"])
def test_api_page_size_that_is_no_size_is_a_400(api_client_for, user_a, records, value):
    response = api_client_for(user_a).get("/api/v1/claims/", {"page_size": value})
    assert response.status_code == 400
    assert "page_size" in response.json()


@pytest.mark.django_db
def test_api_page_size_above_the_maximum_is_capped(api_client_for, user_a, records):
    response = api_client_for(user_a).get("/api/v1/claims/", {"page_size": HUGE})
    assert response.status_code == 200


@pytest.mark.django_db
def test_api_unknown_ordering_is_a_400(api_client_for, user_a, records):
    response = api_client_for(user_a).get("/api/v1/claims/", {"ordering": "internal_note"})
    assert response.status_code == 400
    assert "ordering" in response.json()
    assert api_client_for(user_a).get("/api/v1/claims/", {"ordering": "-number"}).status_code == 200


# --- the pages ------------------------------------------------------------------------------------

PAGES = (
    "/claims/",
    "/audits/",
    "/audits/findings/",
    "/changes/",
    "/changes/deviations/",
    "/ppap/",
    "/parts/",
    "/metrics/deliveries/",
    "/metrics/reports/",
    "/actions/",
    "/customers/",
    "/plants/",
    "/notifications/",
)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-1", "1e5", HUGE, "abc", "9999-99-99", LONG])
def test_audits_page_with_a_bad_year_shows_the_list_with_an_error(
    client_for, engineer, user_a, records, value
):
    for user in (engineer, user_a):
        response = client_for(user).get("/audits/", {"year": value})
        assert response.status_code == 200
        assert b"is-invalid" in response.content or b"errorlist" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-1", "1e5", HUGE, "9999999999999999999", "abc", LONG])
def test_pages_answer_any_page_number_with_a_page(client_for, engineer, user_a, records, value):
    for user in (engineer, user_a):
        client = client_for(user)
        for url in PAGES:
            response = client.get(url, {"page": value})
            assert response.status_code in (200, 403, 404), (url, value, response.status_code)
            assert response.status_code != 404 or url != "/claims/", (url, value)


@pytest.mark.django_db
def test_claims_page_far_past_the_end_shows_the_last_page(client_for, user_a, records):
    response = client_for(user_a).get("/claims/", {"page": "9999999999999999999"})
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.number == page.paginator.num_pages == 1
