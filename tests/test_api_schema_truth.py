"""The OpenAPI schema tells the truth about what the API answers and accepts.

Real answers (events by the portal itself, an element nobody owns, a warrant without e-mail, an
audit that is not scored, errors of a list body, a ppm series reaching back to the first month)
validate against the generated schema, as schemathesis validates them. Every read field of a
relation that may be empty is nullable, every optional e-mail admits "", every bounded query
parameter states its bounds (and the server keeps to them: yes/no filters take true or false,
months have a year), decimals need a digit, a download's errors are JSON, and If-Match is
documented with the format the server accepts.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import requests
import schemathesis
from django.db import models
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from schemathesis.core.transport import Response as CheckedResponse

from audits.tests import factories as audit_factories
from changes.deviations.tests.factories import draft_deviation
from changes.models import ChangeEvent, DeviationEvent
from changes.tests.factories import raise_change
from core.api.filters import DATE_PATTERN, ordering_pattern
from core.errors import DomainError
from core.filters import BIGINT_MAX, MAX_DATE, MIN_DATE
from core.locking import IF_MATCH_PATTERN, parse_if_match
from ppap.models import PpapEvent
from ppap.tests.factories import draft as ppap_draft

pytestmark = pytest.mark.django_db

API = "/api/v1"


# --- the schema ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated():
    """The schema as drf-spectacular generates it, with the registry of its components."""
    generator = SchemaGenerator()
    return generator, generator.get_schema(request=None, public=True)


@pytest.fixture
def document(generated):
    return generated[1]


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def _is_nullable(schema: dict) -> bool:
    alternatives = schema.get("oneOf", []) + schema.get("anyOf", []) + schema.get("allOf", [])
    return bool(schema.get("nullable")) or any(_is_nullable(part) for part in alternatives)


def _model_field(serializer, field):
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None or not field.source or field.source == "*" or "." in field.source:
        return None
    try:
        model_field = model._meta.get_field(field.source)
    except Exception:  # a property or method of the model: nothing to compare with
        return None
    return None if model_field.auto_created and not model_field.concrete else model_field


def _serializer_fields(generated, *, model_backed: bool = True):
    """(component, property, its schema, serializer field, model field or None) of each field."""
    generator, document = generated
    components = document["components"]["schemas"]
    for (name, kind), component in generator.registry._components.items():
        serializer = component.object
        if kind != "schemas" or not isinstance(serializer, serializers.Serializer):
            continue
        properties = components.get(name, {}).get("properties", {})
        for field_name, field in serializer.fields.items():
            model_field = _model_field(serializer, field)
            if field_name in properties and (model_field is not None or not model_backed):
                yield name, field_name, properties[field_name], field, model_field


def test_read_fields_of_relations_that_may_be_empty_are_nullable(generated):
    """E.g. an event's actor (null: the portal did it) and a PPAP element's owner."""
    wrong = [
        f"{name}.{field_name}"
        for name, field_name, schema, field, model_field in _serializer_fields(generated)
        if model_field.null
        and not field.write_only
        and not isinstance(field, serializers.SerializerMethodField)
        and not _is_nullable(schema)
    ]
    assert wrong == []


def test_optional_email_and_url_fields_admit_empty(generated):
    """A warrant's signer e-mail is "" until filled in: the schema must not demand an address."""
    wrong = [
        f"{name}.{field_name}"
        for name, field_name, schema, field, model_field in _serializer_fields(
            generated, model_backed=False
        )
        if "format" in schema
        and (
            (isinstance(model_field, models.EmailField | models.URLField) and model_field.blank)
            or getattr(field, "allow_blank", False)
        )
    ]
    assert wrong == []


def test_known_empty_values_are_documented(document):
    components = document["components"]["schemas"]
    for name in ("ChangeEvent", "DeviationEvent", "PpapEvent", "Event"):
        assert components[name]["properties"]["actor"]["nullable"] is True, name
    assert components["PpapElement"]["properties"]["owner"]["nullable"] is True
    signer_email = components["PpapWarrant"]["properties"]["signer_email"]
    assert {"maxLength": 0} in signer_email["anyOf"]


# --- real answers validate ----------------------------------------------------------------------


@pytest.fixture
def api_schema(api_client_for, engineer):
    response = api_client_for(engineer).get("/api/schema/?format=json")
    assert response.status_code == 200
    return schemathesis.openapi.from_dict(response.json())


def _validate(api_schema, template: str, method: str, response) -> None:
    """Validate a test client's ``response`` as schemathesis does (raises on a violation)."""
    request = requests.Request(method, f"http://testserver{response.wsgi_request.path}").prepare()
    checked = CheckedResponse(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=request,
        elapsed=0.0,
        verify=False,
    )
    api_schema[template][method.upper()].validate_response(checked)


def test_events_by_the_portal_itself_validate(api_schema, api_client_for, engineer, customer_a):
    api = api_client_for(engineer)
    change = raise_change(actor=engineer, customer=customer_a)
    ChangeEvent.objects.create(change=change, customer=customer_a, actor=None, action="remind")
    deviation = draft_deviation(actor=engineer, customer=customer_a)
    DeviationEvent.objects.create(
        deviation=deviation, customer=customer_a, actor=None, action="expire"
    )
    submission = ppap_draft(engineer, customer=customer_a)
    PpapEvent.objects.create(
        submission=submission, customer=customer_a, actor=None, action="remind"
    )
    for template, pk in (
        ("/api/v1/changes/{id}/events/", change.pk),
        ("/api/v1/deviations/{id}/events/", deviation.pk),
        ("/api/v1/ppap/submissions/{id}/events/", submission.pk),
    ):
        response = api.get(template.replace("{id}", str(pk)))
        assert response.status_code == 200
        assert None in [event["actor"] for event in _rows(response.json())], template
        _validate(api_schema, template, "get", response)


def _rows(body):
    return body["results"] if isinstance(body, dict) else body


def test_unowned_elements_and_an_empty_warrant_validate(
    api_schema, api_client_for, engineer, customer_a
):
    api = api_client_for(engineer)
    submission = ppap_draft(engineer, customer=customer_a)
    submission.elements.update(owner=None)
    elements = api.get(f"{API}/ppap/submissions/{submission.pk}/elements/")
    assert elements.status_code == 200
    assert {element["owner"] for element in _rows(elements.json())} == {None}
    _validate(api_schema, "/api/v1/ppap/submissions/{id}/elements/", "get", elements)

    warrant = api.get(f"{API}/ppap/submissions/{submission.pk}/warrant/")
    assert warrant.status_code == 200 and warrant.json()["signer_email"] == ""
    _validate(api_schema, "/api/v1/ppap/submissions/{id}/warrant/", "get", warrant)


def test_an_audit_that_is_not_scored_is_a_documented_409(
    api_schema, document, api_client_for, engineer, manager
):
    audit = audit_factories.plan(actor=manager)
    assert audit.catalogue is None or not audit.catalogue.is_vda63
    response = api_client_for(engineer).get(f"{API}/audits/{audit.pk}/result/")
    assert response.status_code == 409
    assert "409" in document["paths"]["/api/v1/audits/{id}/result/"]["get"]["responses"]
    _validate(api_schema, "/api/v1/audits/{id}/result/", "get", response)


def test_errors_of_a_list_body_are_messages_by_position(api_schema, api_client_for, engineer):
    response = api_client_for(engineer).put(
        f"{API}/notifications/preferences/",
        [None, {"kind": "claims.submitted", "delivery": "immediate"}],
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["0"]
    _validate(api_schema, "/api/v1/notifications/preferences/", "put", response)


# --- If-Match -----------------------------------------------------------------------------------

IF_MATCH_SAMPLES = {
    "": None,
    "*": None,
    '"3"': 3,
    'W/"3"': 3,
    "3": 3,
    '"0"': DomainError,
    "0": DomainError,
    '"3': DomainError,
    '"1", "2"': DomainError,
    "+3": DomainError,
    "abc": DomainError,
    "12345678901": DomainError,
}


@pytest.mark.parametrize(("header", "expected"), IF_MATCH_SAMPLES.items())
def test_if_match_pattern_is_what_the_server_accepts(header, expected):
    documented = re.fullmatch(IF_MATCH_PATTERN, header) is not None
    if expected is DomainError:
        assert not documented
        with pytest.raises(DomainError):
            parse_if_match(header)
    else:
        assert documented
        assert parse_if_match(header) == expected


def test_every_if_match_header_is_documented_with_its_format(document):
    documented = [
        (path, method, parameter)
        for path, method, operation in _operations(document)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "header" and parameter["name"] == "If-Match"
    ]
    paths = {path for path, _method, _parameter in documented}
    assert {
        "/api/v1/claims/{id}/",
        "/api/v1/changes/{id}/",
        "/api/v1/ppap/submissions/{id}/warrant/",
        "/api/v1/audits/{id}/start/",
        "/api/v1/findings/{id}/close/",
    } <= paths
    for path, method, parameter in documented:
        assert parameter["schema"] == {"type": "string", "pattern": IF_MATCH_PATTERN}, path
        assert '`"3"`' in parameter["description"], (path, method)


# --- query parameters ---------------------------------------------------------------------------


def _query_parameters(document):
    for path, _method, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                yield path, parameter


def test_every_whole_number_query_parameter_states_its_bounds(document):
    unbounded = []
    for path, parameter in _query_parameters(document):
        schema = parameter["schema"]
        schema = schema.get("items", schema)
        assert schema.get("type") != "number", (path, parameter["name"])
        bounded = "minimum" in schema and "maximum" in schema
        if schema.get("type") == "integer" and "enum" not in schema and not bounded:
            unbounded.append((path, parameter["name"]))
    assert unbounded == []


def test_years_pages_and_dates_state_their_bounds(document):
    parameters = {
        (path, parameter["name"]): parameter for path, parameter in _query_parameters(document)
    }
    year = parameters[("/api/v1/audits/", "year")]["schema"]
    assert (year["minimum"], year["maximum"]) == (MIN_DATE.year, MAX_DATE.year)
    page = parameters[("/api/v1/claims/", "page")]["schema"]
    assert page["minimum"] == 1 and page["maximum"] >= 1000
    assert parameters[("/api/v1/claims/", "page_size")]["schema"]["minimum"] == 1
    for key, parameter in parameters.items():
        if parameter["schema"].get("format") == "date":
            assert parameter["schema"]["pattern"] == DATE_PATTERN, key
            assert MIN_DATE.isoformat() in parameter["description"], key


@pytest.mark.parametrize(
    ("day", "accepted"),
    [
        (MIN_DATE, True),
        (MAX_DATE, True),
        (MIN_DATE - dt.timedelta(days=1), False),
        (MAX_DATE + dt.timedelta(days=1), False),
    ],
)
def test_date_pattern_is_the_bounded_range(day, accepted, api_client_for, engineer):
    assert (re.fullmatch(DATE_PATTERN, day.isoformat()) is not None) is accepted
    response = api_client_for(engineer).get(f"{API}/actions/", {"due_after": day.isoformat()})
    assert response.status_code == (200 if accepted else 400)


def test_ordering_documents_the_offered_keys(document, api_client_for, engineer):
    ordering = next(
        parameter
        for path, parameter in _query_parameters(document)
        if path == "/api/v1/actions/" and parameter["name"] == "ordering"
    )
    pattern = ordering["schema"]["pattern"]
    assert pattern == ordering_pattern(["due_date", "status", "title", "id"])
    api = api_client_for(engineer)
    for value, accepted in (("-due_date,id", True), ("", True), ("due", False), ("+id", False)):
        assert (re.fullmatch(pattern, value) is not None) is accepted, value
        status = api.get(f"{API}/actions/", {"ordering": value}).status_code
        assert status == (200 if accepted else 400), value


def test_optional_query_parameters_may_be_sent_empty(document, api_client_for, engineer):
    """``?month=`` is as if left out; a list of choices is the exception."""
    for path, parameter in _query_parameters(document):
        single = parameter["schema"].get("type") != "array"
        expected = single and not parameter.get("required")
        assert parameter.get("allowEmptyValue", False) is expected, (path, parameter["name"])
    api = api_client_for(engineer)
    for url in (f"{API}/metrics/kpis/?month=", f"{API}/audits/?year=", f"{API}/claims/?page="):
        assert api.get(url).status_code == 200, url


# --- request bodies and downloads ---------------------------------------------------------------


def test_an_error_of_a_download_is_json_as_documented(document, api_client_for, engineer):
    response = api_client_for(engineer).get(
        f"{API}/claims/export/", {"format": "csv", "customer": BIGINT_MAX}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "customer" in response.json()
    documented = document["paths"]["/api/v1/claims/export/"]["get"]["responses"]
    assert set(documented["400"]["content"]) == {"application/json"}
    assert set(documented["200"]["content"]) == {"text/csv"}


def test_decimals_need_a_digit(document):
    study_value = document["components"]["schemas"]["PpapStudyRequest"]["properties"]["value"]
    for text, accepted in (("", False), ("-", False), (".", False), ("1", True), ("-.5", True)):
        assert (re.fullmatch(study_value["pattern"], text) is not None) is accepted, text
    assert (
        document["components"]["schemas"]["DeviationRequest"]["properties"]["parts"]["minItems"]
        == 1
    )


def test_warrant_boxes_may_be_reset_to_null(api_client_for, engineer, customer_a):
    """The schema says a Y/N box is true, false or null; null clears it."""
    submission = ppap_draft(engineer, customer=customer_a)
    url = f"{API}/ppap/submissions/{submission.pk}/warrant/"
    api = api_client_for(engineer)
    assert api.patch(url, {"material_ok": True}, format="json").json()["material_ok"] is True
    cleared = api.patch(url, {"material_ok": None}, format="json")
    assert cleared.status_code == 200 and cleared.json()["material_ok"] is None


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"{API}/claims/?open=true", 200),
        (f"{API}/claims/?open=", 200),
        (f"{API}/claims/?open=maybe", 400),
        (f"{API}/customers/?is_active=false", 200),
        (f"{API}/customers/?is_active=2", 400),
        (f"{API}/audit-catalogues/?is_active=null", 400),
    ],
)
def test_yes_no_filters_take_true_or_false(url, status, api_client_for, engineer):
    """The schema says boolean: anything else is a 400, not a filter silently skipped."""
    response = api_client_for(engineer).get(url)
    assert response.status_code == status, response.content


def test_a_ppm_series_starts_no_earlier_than_a_query_may_name(api_schema, api_client_for, engineer):
    """12 months up to January 100 would begin in the year 99, a month no query may name."""
    response = api_client_for(engineer).get(f"{API}/metrics/ppm/", {"to": "0100-01"})
    assert response.status_code == 200
    assert response.json()["from"] == "0100-01"
    _validate(api_schema, "/api/v1/metrics/ppm/", "get", response)


@pytest.mark.parametrize(
    ("month", "status"), [("0000-01", 400), ("0099-12", 400), ("0100-01", 200)]
)
def test_a_month_with_no_year_before_it_is_refused(month, status, api_client_for, engineer):
    """``?month=0000-01`` was a 500: a year 0 does not exist, nor the one before the year 100."""
    response = api_client_for(engineer).get(f"{API}/metrics/kpis/", {"month": month})
    assert response.status_code == status
