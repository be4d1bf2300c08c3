"""Whose turn it is over the API: a read-only ``waiting_for`` object and ``?waiting=`` on lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.fields import DateTimeField

from audits.models import Audit, Finding
from changes.models import ChangeRequest, Deviation
from claims.models import Claim, EightDStep
from claims.selectors import with_next_due
from core.waiting import Party, waiting_for
from ppap.models import PpapSubmission

from . import waiting_records as records
from .waiting_records import People

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/claims/": (Claim, records.claims),
    "/api/v1/changes/": (ChangeRequest, records.changes),
    "/api/v1/deviations/": (Deviation, records.deviations),
    "/api/v1/ppap/submissions/": (PpapSubmission, records.submissions),
    "/api/v1/findings/": (Finding, records.findings),
    "/api/v1/audits/": (Audit, records.audits),
}


@pytest.fixture
def people(customer_a, user_a, engineer):
    return People(customer_a, user_a, engineer)


def _rows(api, url, **query) -> list[dict]:
    response = api.get(url, query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("url", list(ENDPOINTS))
def test_every_row_says_whose_turn_it_is_as_its_record_does(url, people, api_client_for, engineer):
    model, build = ENDPOINTS[url]
    built = {record.pk for record in build(people)}

    rows = [
        row for row in _rows(api_client_for(engineer), url, page_size=100) if row["id"] in built
    ]

    assert {row["id"] for row in rows} == built
    for row in rows:
        assert row["waiting_for"] == _expected(_fresh(model, row["id"])), row["id"]


@pytest.mark.parametrize("url", list(ENDPOINTS))
def test_the_waiting_filter_gives_exactly_the_rows_of_that_party(
    url, people, api_client_for, engineer
):
    _model, build = ENDPOINTS[url]
    build(people)
    api = api_client_for(engineer)

    for party in Party.values:
        rows = _rows(api, url, waiting=party, page_size=100)
        assert all(row["waiting_for"]["party"] == party for row in rows), party
        everything = _rows(api, url, page_size=100)
        mine = [row for row in everything if (row["waiting_for"] or {}).get("party") == party]
        assert sorted(row["id"] for row in rows) == sorted(row["id"] for row in mine)


def test_an_unknown_party_is_refused(api_client_for, engineer):
    response = api_client_for(engineer).get("/api/v1/claims/", {"waiting": "nobody"})

    assert response.status_code == 400


def test_the_steps_of_a_claim_say_whose_turn_each_is(people, api_client_for, user_a):
    claim = records.claim(people, Claim.Status.CONTAINMENT)
    for code, status in (("D3", "submitted"), ("D4", "open"), ("D5", "approved")):
        EightDStep.objects.create(claim=claim, customer=claim.customer, code=code, status=status)

    steps = api_client_for(user_a).get(f"/api/v1/claims/{claim.pk}/steps/").json()

    turns = {step["code"]: step["waiting_for"] for step in steps}
    assert turns["D3"]["party"] == "customer" and turns["D3"]["action"] == "approve D3"
    assert turns["D4"]["party"] == "us" and turns["D4"]["action"] == "submit D4"
    assert turns["D5"] is None


def test_a_customer_reads_which_of_our_teams_acts_not_who_of_us(
    people, api_client_for, user_a, engineer
):
    finding_audit = records.audit(people, Audit.Status.IN_PROGRESS, customer_audit=True)
    claim = records.claim(people, Claim.Status.ROOT_CAUSE)

    staff = _rows(api_client_for(engineer), "/api/v1/claims/")
    customer = _rows(api_client_for(user_a), "/api/v1/claims/")

    assert _by_id(staff)[claim.pk]["waiting_for"]["who"] == engineer.full_name
    assert _by_id(customer)[claim.pk]["waiting_for"]["who"] == "quality engineers"
    assert waiting_for(finding_audit, internal=False).who == "quality engineers"


def test_dates_are_iso_8601(people, api_client_for, engineer):
    submission = records.submission(people, PpapSubmission.Status.DRAFT)

    row = _by_id(_rows(api_client_for(engineer), "/api/v1/ppap/submissions/"))[submission.pk]

    assert row["waiting_for"]["due"] == records.TODAY.isoformat()
    assert row["waiting_for"]["since"] == DateTimeField().to_representation(submission.created_at)


def test_the_schema_documents_the_object(api_client_for, engineer):
    schema = api_client_for(engineer).get("/api/schema/", {"format": "json"}).json()

    component = schema["components"]["schemas"]["WaitingFor"]
    assert set(component["properties"]) == {"party", "who", "since", "due", "action"}
    claim = schema["components"]["schemas"]["Claim"]["properties"]["waiting_for"]
    assert claim.get("readOnly") or any(item.get("readOnly") for item in claim.get("allOf", []))
    parameters = schema["paths"]["/api/v1/claims/"]["get"]["parameters"]
    waiting = next(parameter for parameter in parameters if parameter["name"] == "waiting")
    assert waiting["schema"]["enum"] == ["customer", "us"]


@pytest.mark.parametrize("url", list(ENDPOINTS))
def test_the_field_and_the_filter_cost_no_query_per_row(
    url, people, api_client_for, engineer, user_a
):
    _model, build = ENDPOINTS[url]
    build(people)
    few = {viewer: _queries(api_client_for(viewer), url) for viewer in (engineer, user_a)}

    for _more in range(2):
        build(people)

    assert {viewer: _queries(api_client_for(viewer), url) for viewer in (engineer, user_a)} == few


def _queries(api, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url, {"waiting": "us"}).status_code == 200
        assert api.get(url).status_code == 200
    return len(queries)


def _fresh(model, pk):
    records = model.objects.filter(pk=pk)
    if model is Claim:
        records = with_next_due(records)  # by when: the next 8D deadline, as the API reads it
    return records.get()


def _expected(record) -> dict | None:
    turn = waiting_for(record)
    if turn is None:
        return None
    return {
        "party": turn.party,
        "who": turn.who,
        "since": _iso(turn.since),
        "due": _iso(turn.due),
        "action": turn.action,
    }


def _iso(value):
    if value is None:
        return None
    return DateTimeField().to_representation(value) if hasattr(value, "hour") else value.isoformat()


def _by_id(rows) -> dict:
    return {row["id"]: row for row in rows}
