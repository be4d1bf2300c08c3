"""An unknown URL under /api/ answers in JSON like the API; other unknown pages get the 404 page."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/abc/",  # ids are numbers: no route matches
        "/api/v1/claims/1.5/steps/D9/save/",
        "/api/v1/no-such-resource/",
    ],
)
def test_unknown_api_url_is_a_json_404(api_client_for, engineer, path):
    response = api_client_for(engineer).get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_unknown_page_is_the_html_404(client_for, engineer):
    response = client_for(engineer).get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_nul_character_in_a_search_is_refused_with_the_shared_error_shape(api_client_for, user_a):
    response = api_client_for(user_a).get("/api/v1/customers/", {"search": "a\x00b"})

    assert response.status_code == 400
    assert isinstance(response.json(), dict)
    assert response.json()["detail"]
