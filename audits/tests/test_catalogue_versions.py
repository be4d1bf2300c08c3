"""Catalogue versions created from a JSON body and derived from an existing version.

Through the API (``POST /audit-catalogues/`` and ``POST /audit-catalogues/{id}/versions/``) and
the catalogue page's "New version" form: the same checks and messages as the import, all or
nothing, planners only, and audits keep the version they were planned with.
"""

from __future__ import annotations

import json

import pytest
import requests
import schemathesis
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.transport import Response as CheckedResponse
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import token_create
from audits import catalogues, services
from audits.models import Catalogue
from audits.tests import factories as f
from audits.workflow import PLAN, WORK
from core import limits

pytestmark = pytest.mark.django_db

API = "/api/v1/audit-catalogues"
ISO_ROWS = [
    {"code": "8.4.1", "element": "8.4", "text": "External providers evaluated?"},
    {"code": "8.5.1", "element": "8.5", "text": "Production under controlled conditions?"},
]
# Row 2 lacks its text and its sub-element, row 3 repeats row 1's code.
BAD_ROWS = [
    {"code": "P5.1", "element": "P5", "text": "Fine"},
    {"code": "P6.1", "element": "P6", "text": ""},
    {"code": "P5.1", "element": "P5", "text": "Again"},
]


def _body(**fields) -> dict:
    body = {
        "name": "Process audit",
        "version": "2027",
        "kind": "vda63",
        "notes": "Yearly review",
        "questions": f.SMALL_VDA,
    }
    return body | fields


def _stored(rows: list[dict]) -> list[dict]:
    """``rows`` as the catalogue stores them: every key present, defaults filled in."""
    defaults = {"element": "", "sub_element": "", "star": False}
    return [defaults | row for row in rows]


def _iso_catalogue(version: str = "2015") -> Catalogue:
    return catalogues.catalogue_import(
        actor=None, name="ISO 9001 checklist", version=version, kind="iso9001", rows=ISO_ROWS
    )


# --- POST /audit-catalogues/ ---------------------------------------------------------------------


def test_a_catalogue_sent_as_json_is_created_with_its_questions(manager, api_client_for):
    response = api_client_for(manager).post(f"{API}/", _body(), format="json")

    assert response.status_code == 201, response.json()
    catalogue = Catalogue.objects.get(pk=response.json()["id"])
    assert (catalogue.name, catalogue.version, catalogue.kind, catalogue.notes) == (
        "Process audit",
        "2027",
        "vda63",
        "Yearly review",
    )
    assert catalogues.question_rows(catalogue) == _stored(f.SMALL_VDA)
    assert [q["position"] for q in response.json()["questions"]] == list(range(1, 9))
    assert response.json()["questions"][1]["star"] is True
    assert catalogue.history.get().history_user == manager


def test_bad_question_rows_are_a_400_naming_each_row_and_store_nothing(manager, api_client_for):
    response = api_client_for(manager).post(f"{API}/", _body(questions=BAD_ROWS), format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == [
        "Row 2: the question text is missing.",
        "Row 2: a P6 question needs its sub-element U1 to U6.",
        "Row 3: the code P5.1 appears twice.",
    ]
    assert not Catalogue.objects.exists()


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ([], "The catalogue has no questions."),
        (["P5.1"], "Row 1: each question must be an object."),
        (
            [{"code": "P5.1", "element": "P5", "text": "x" * (limits.LONG_TEXT + 1)}],
            f"Row 1: the question text is longer than {limits.LONG_TEXT} characters.",
        ),
        (
            [{"code": "P5.1", "element": "P5", "star": "maybe", "text": "Fine"}],
            "Row 1: “star” must be yes or no.",
        ),
        (
            [{"code": "P5.1", "element": "P5", "text": "Fine\u0000"}],
            "Row 1: the row contains a null character.",
        ),
    ],
)
def test_rows_the_import_refuses_are_refused_with_its_message(
    questions, message, manager, api_client_for
):
    response = api_client_for(manager).post(f"{API}/", _body(questions=questions), format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == [message]
    assert not Catalogue.objects.exists()


def test_a_question_at_the_length_limit_is_taken(manager, api_client_for):
    longest = [{"code": "P5.1", "element": "P5", "text": "x" * limits.LONG_TEXT}]

    response = api_client_for(manager).post(f"{API}/", _body(questions=longest), format="json")

    assert response.status_code == 201
    assert len(Catalogue.objects.get().questions.get().text) == limits.LONG_TEXT


def test_missing_fields_and_an_unknown_kind_are_400_by_field(manager, api_client_for):
    response = api_client_for(manager).post(
        f"{API}/", {"kind": "vda99", "version": "x" * 21}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"name", "version", "kind", "questions"}
    assert not Catalogue.objects.exists()


def test_a_version_that_exists_is_refused(manager, api_client_for):
    existing = f.vda_catalogue(version="7")

    response = api_client_for(manager).post(
        f"{API}/", _body(name=existing.name, version="7"), format="json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == [
        "Test VDA 6.3 7 exists already: give the new one another version."
    ]
    assert Catalogue.objects.count() == 1


def test_customer_users_and_staff_who_do_not_plan_may_not_create(user_a, engineer, api_client_for):
    assert engineer.has_capability(WORK) and not engineer.has_capability(PLAN)

    for user in (user_a, engineer):
        response = api_client_for(user).post(f"{API}/", _body(), format="json")
        assert response.status_code == 403, user

    assert not Catalogue.objects.exists()


# --- POST /audit-catalogues/{id}/versions/ -------------------------------------------------------


@pytest.mark.parametrize("make", [f.vda_catalogue, _iso_catalogue], ids=["vda63", "iso9001"])
def test_a_new_version_copies_the_questions(make, manager, api_client_for):
    source = make()

    response = api_client_for(manager).post(
        f"{API}/{source.pk}/versions/", {"version": "v2", "notes": "Wording"}, format="json"
    )

    assert response.status_code == 201, response.json()
    new = Catalogue.objects.get(pk=response.json()["id"])
    assert new.pk != source.pk
    assert (new.name, new.kind, new.version, new.notes) == (
        source.name,
        source.kind,
        "v2",
        "Wording",
    )
    assert catalogues.question_rows(new) == catalogues.question_rows(source)
    assert not set(new.questions.values_list("pk", flat=True)) & set(
        source.questions.values_list("pk", flat=True)
    )
    assert new.history.get().history_user == manager


def test_a_new_version_takes_the_questions_sent(manager, api_client_for):
    source = f.vda_catalogue(version="1")
    rows = [{"code": "P2.1", "element": "P2", "star": True, "text": "Project plan agreed?"}]

    response = api_client_for(manager).post(
        f"{API}/{source.pk}/versions/", {"version": "2", "questions": rows}, format="json"
    )

    assert response.status_code == 201, response.json()
    new = Catalogue.objects.get(pk=response.json()["id"])
    assert catalogues.question_rows(new) == _stored(rows)
    assert new.notes == ""
    assert catalogues.question_rows(source) == _stored(f.SMALL_VDA)


def test_bad_questions_for_a_new_version_store_nothing(manager, api_client_for):
    source = f.vda_catalogue(version="1")

    response = api_client_for(manager).post(
        f"{API}/{source.pk}/versions/", {"version": "2", "questions": BAD_ROWS}, format="json"
    )

    assert response.status_code == 400
    assert "Row 2: the question text is missing." in response.json()["detail"]
    assert list(Catalogue.objects.values_list("version", flat=True)) == ["1"]


def test_a_new_version_that_exists_is_refused(manager, api_client_for):
    source = f.vda_catalogue(version="1")
    f.vda_catalogue(version="2")
    api = api_client_for(manager)

    same = api.post(f"{API}/{source.pk}/versions/", {"version": "1"}, format="json")
    other = api.post(f"{API}/{source.pk}/versions/", {"version": " 2 "}, format="json")
    no_version = api.post(f"{API}/{source.pk}/versions/", {}, format="json")

    assert same.status_code == 400 and "Test VDA 6.3 1 exists already" in same.json()["detail"][0]
    assert other.status_code == 400 and "Test VDA 6.3 2 exists already" in other.json()["detail"][0]
    assert no_version.status_code == 400 and "version" in no_version.json()
    assert Catalogue.objects.count() == 2


def test_an_audit_keeps_the_version_it_was_planned_with(manager, api_client_for):
    source = f.vda_catalogue(version="1")
    audit = f.started(actor=manager, catalogue=source)
    question = source.questions.get(code="P7.1")
    services.answer_save(audit=audit, question=question, actor=manager, score=8)

    response = api_client_for(manager).post(
        f"{API}/{source.pk}/versions/", {"version": "2"}, format="json"
    )

    assert response.status_code == 201
    audit.refresh_from_db()
    assert audit.catalogue_id == source.pk != response.json()["id"]
    assert audit.answers.get().question_id == question.pk
    assert source.questions.count() == len(f.SMALL_VDA)


def test_new_versions_are_for_planners_only(user_a, engineer, manager, api_client_for):
    source = f.vda_catalogue(version="1")
    url = f"{API}/{source.pk}/versions/"

    for user in (user_a, engineer):
        assert api_client_for(user).post(url, {"version": "2"}, format="json").status_code == 403
    missing = api_client_for(manager).post(
        f"{API}/{source.pk + 1000}/versions/", {"version": "2"}, format="json"
    )

    assert missing.status_code == 404
    assert Catalogue.objects.count() == 1


def test_a_version_stored_meanwhile_is_the_message_not_a_database_error():
    """The unique constraint catches what the check before it missed (here: a name cut to 200)."""
    f.vda_catalogue(version="1")
    name = Catalogue.objects.get().name.ljust(200, "-")
    Catalogue.objects.update(name=name)

    with pytest.raises(ValidationError, match="exists already"):
        catalogues.catalogue_import(
            actor=None, name=f"{name}+", version="1", kind="vda63", rows=f.SMALL_VDA
        )

    assert Catalogue.objects.count() == 1


def test_a_file_with_a_null_character_is_refused_not_a_server_error(manager, api_client_for):
    content = json.dumps(_body(notes="Review\u0000")).encode()
    upload = SimpleUploadedFile("c.json", content, "application/json")

    response = api_client_for(manager).post(
        f"{API}/import/", {"file": upload, "format": "json"}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == [
        "The name, version and notes may not contain a null character."
    ]
    assert not Catalogue.objects.exists()


# --- the schema ----------------------------------------------------------------------------------


def _validate(api_schema, template: str, response) -> None:
    request = requests.Request("POST", f"http://testserver{response.wsgi_request.path}").prepare()
    checked = CheckedResponse(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=request,
        elapsed=0.0,
        verify=False,
    )
    api_schema[template]["POST"].validate_response(checked)


def test_the_schema_documents_both_writes_and_their_answers(manager, api_client_for):
    api = api_client_for(manager)
    document = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    api_schema = schemathesis.openapi.from_dict(document)
    created = api.post(f"{API}/", _body(), format="json")
    refused = api.post(f"{API}/", _body(version="8", questions=BAD_ROWS), format="json")
    derived = api.post(f"{API}/{created.json()['id']}/versions/", {"version": "9"}, format="json")

    for path, responses in (
        (f"{API}/", {"201", "400", "403"}),
        (f"{API}/{{id}}/versions/", {"201", "400", "403", "404"}),
    ):
        operation = document["paths"][path]["post"]
        assert responses <= set(operation["responses"]), path
        body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        questions = document["components"]["schemas"][body.rsplit("/", 1)[1]]["properties"][
            "questions"
        ]
        assert questions["items"]["required"] == ["code", "text"]
        assert questions["maxItems"] == catalogues.MAX_QUESTIONS
    _validate(api_schema, f"{API}/", created)
    _validate(api_schema, f"{API}/", refused)
    _validate(api_schema, f"{API}/{{id}}/versions/", derived)


# --- the catalogue page --------------------------------------------------------------------------


def test_the_page_form_creates_a_version_and_goes_to_it(manager, client_for):
    source = f.vda_catalogue(version="1")
    client = client_for(manager)
    page = client.get(source.get_absolute_url())
    assert page.status_code == 200 and 'id="new-version"' in page.content.decode()

    response = client.post(
        reverse("audits:catalogue-new-version", args=[source.pk]),
        {"version": "2", "notes": "New wording for P7"},
    )

    new = Catalogue.objects.get(version="2")
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Catalogue Test VDA 6.3 2 created."
    ]
    assert (new.name, new.kind, new.notes) == (source.name, source.kind, "New wording for P7")
    assert catalogues.question_rows(new) == catalogues.question_rows(source)
    assert new.history.get().history_user == manager


def test_the_page_refuses_a_version_that_exists_on_the_form(manager, client_for):
    source = f.vda_catalogue(version="1")

    response = client_for(manager).post(
        reverse("audits:catalogue-new-version", args=[source.pk]), {"version": "1"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    form = html[html.index('id="new-version"') :]
    assert "Test VDA 6.3 1 exists already: give the new one another version." in form
    assert 'value="1"' in form
    assert Catalogue.objects.count() == 1


def test_the_page_form_needs_a_version(manager, client_for):
    source = f.vda_catalogue(version="1")

    response = client_for(manager).post(
        reverse("audits:catalogue-new-version", args=[source.pk]), {"version": " "}
    )

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert Catalogue.objects.count() == 1


def test_only_planners_see_and_use_the_form(engineer, user_a, client_for):
    source = f.vda_catalogue(version="1")
    url = reverse("audits:catalogue-new-version", args=[source.pk])

    page = client_for(engineer).get(source.get_absolute_url())
    assert page.status_code == 200 and 'id="new-version"' not in page.content.decode()
    assert client_for(engineer).post(url, {"version": "2"}).status_code == 403
    assert client_for(user_a).post(url, {"version": "2"}).status_code == 403
    assert Catalogue.objects.count() == 1


# --- fuzzing the writes as a planner -------------------------------------------------------------
# tests/test_api_fuzz.py calls them as a customer user and an engineer, who both get 403: here a
# planner's random bodies reach the checks and the service, and every answer is as documented.

FUZZ = schemathesis.Config.from_dict(
    {
        "seed": 20260308,
        "generation": {"max-examples": 25, "deterministic": True, "database": "none"},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
FUZZ_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_test_connection():
    """Django closes "old" connections around each request: that would be the test's own."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def planner_schema(keep_test_connection, manager):
    source = f.vda_catalogue(version="1")
    loaded = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application(), config=FUZZ
    )

    @loaded.hook
    def flatmap_path_parameters(context, path_parameters):
        if not path_parameters:
            return st.just(path_parameters)
        return st.sampled_from([path_parameters, {**path_parameters, "id": source.pk}])

    return loaded


@pytest.fixture
def planner_headers(manager):
    _token, key = token_create(user=manager, name="Catalogue fuzzing")
    return {"Authorization": f"Token {key}"}


planner_writes = schemathesis.pytest.from_fixture("planner_schema")


@pytest.mark.usefixtures("planner_headers")
@planner_writes.include(
    path_regex=r"^/api/v1/audit-catalogues/(\{id\}/versions/)?$", method="POST"
).parametrize()
def test_a_planners_writes_answer_as_documented(case, planner_headers):
    cache.clear()
    case.call_and_validate(headers=planner_headers, checks=FUZZ_CHECKS)
