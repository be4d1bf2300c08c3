"""The API describes itself and its docs work offline."""

import re

import pytest


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
