"""The API describes itself and its docs work offline."""

import re

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_is_openapi(api_client_for, engineer):
    response = api_client_for(engineer).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/parts/", "/api/v1/customers/", "/api/v1/actions/", "/api/v1/auth/token/"):
        assert path in schema["paths"], path


@pytest.mark.django_db
def test_docs_load_only_local_assets(client_for, engineer):
    response = client_for(engineer).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []


@pytest.mark.django_db
def test_api_needs_authentication(client):
    assert client.get("/api/v1/parts/").status_code in (401, 403)


def test_schema_generates_without_warnings_and_validates(tmp_path):
    """Every endpoint is described precisely enough for client generators (CI runs the same)."""
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/claims/{id}/causes/{row_id}/verify/" in target.read_text()


EIGHT_D_ROWS = ("team", "containment", "causes", "actions", "read-across")


@pytest.mark.django_db
def test_8d_rows_are_documented_with_their_errors_and_examples(api_client_for, engineer):
    schema = api_client_for(engineer).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for segment in EIGHT_D_ROWS:
        rows, row = (
            f"/api/v1/claims/{{id}}/{segment}/",
            f"/api/v1/claims/{{id}}/{segment}/{{row_id}}/",
        )
        assert set(paths[rows]) >= {"get", "post"} and set(paths[row]) >= {"patch", "delete"}
        for operation in (paths[rows]["post"], paths[row]["patch"], paths[row]["delete"]):
            assert {"400", "403", "404", "409"} <= set(operation["responses"]), segment
    for transition in (
        "containment/{row_id}/remove",
        "causes/{row_id}/rule-out",
        "actions/{row_id}/implement",
    ):
        assert f"/api/v1/claims/{{id}}/{transition}/" in paths

    def request_examples(path: str) -> list[dict]:
        body = paths[path]["post"]["requestBody"]["content"]["application/json"]
        return [example["value"] for example in body["examples"].values()]

    causes = request_examples("/api/v1/claims/{id}/causes/")
    assert any(len(cause["whys"]) == 5 and cause["is_root_cause"] for cause in causes)
    saves = request_examples("/api/v1/claims/{id}/steps/{code}/{step_action}/")
    assert any({"what", "is_not_what", "how_many"} <= set(save["content"]) for save in saves)
    actions = paths["/api/v1/claims/{id}/actions/"]
    assert "/api/v1/actions/{action_id}/" in actions["post"]["description"]
