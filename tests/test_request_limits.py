"""Request size limits (DESIGN §11): one customer account must not be able to stop the portal.

A body over the API's limit is a 413 before anything is written; JSON nested 2,000 levels is a
400 rather than a RecursionError; free text has a length limit the API, the forms and the
OpenAPI schema agree on; closed and cancelled claims take no more comments.
"""

from __future__ import annotations

import io
import json

import pytest
from django.test import override_settings
from rest_framework.exceptions import ParseError

from claims.models import Claim, ClaimComment
from claims.tests.factories import file_claim
from core import limits
from core.api.parsers import (
    FormParser,
    JSONParser,
    RequestTooLarge,
    json_too_deep,
)

FIFTY_MB = 50 * 1024 * 1024


@pytest.fixture
def claim_a(user_a):
    return file_claim(actor=user_a)


def _comments_url(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/comments/"


class _Request:
    """What a parser needs of a request: its headers."""

    def __init__(self, content_length=None):
        self.META = {} if content_length is None else {"CONTENT_LENGTH": str(content_length)}


# --- Body size ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_50_mb_json_comment_is_413_and_writes_nothing(api_client_for, user_a, claim_a):
    body = b'{"body": "' + b"x" * FIFTY_MB + b'"}'
    response = api_client_for(user_a).generic(
        "POST", _comments_url(claim_a), body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert "too large" in response.json()["detail"]
    assert not ClaimComment.objects.exists()


@pytest.mark.django_db
@override_settings(API_MAX_BODY_BYTES=1000)
def test_a_url_encoded_body_over_the_limit_is_413(api_client_for, user_a, claim_a):
    response = api_client_for(user_a).generic(
        "POST",
        _comments_url(claim_a),
        "body=" + "x" * 2000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert not ClaimComment.objects.exists()


@pytest.mark.django_db
def test_a_comment_within_the_limits_is_still_taken(api_client_for, user_a, claim_a):
    response = api_client_for(user_a).post(
        _comments_url(claim_a), {"body": "y" * limits.COMMENT}, format="json"
    )
    assert response.status_code == 201
    assert ClaimComment.objects.get().body == "y" * limits.COMMENT


@override_settings(API_MAX_BODY_BYTES=1000)
def test_a_body_larger_than_its_content_length_says_is_refused_while_reading():
    body = json.dumps({"body": "x" * 5000}).encode()
    with pytest.raises(RequestTooLarge) as refused:
        JSONParser().parse(io.BytesIO(body), parser_context={"request": _Request(10)})
    assert refused.value.status_code == 413
    assert refused.value.detail["code"] == "request_too_large"


@override_settings(API_MAX_BODY_BYTES=1000)
def test_a_body_without_content_length_chunked_is_refused_while_reading():
    body = json.dumps({"body": "x" * 5000}).encode()
    with pytest.raises(RequestTooLarge):
        JSONParser().parse(io.BytesIO(body), parser_context={"request": _Request()})
    with pytest.raises(RequestTooLarge):
        FormParser().parse(io.BytesIO(b"body=" + b"x" * 5000), parser_context={})


@override_settings(API_MAX_BODY_BYTES=1000)
def test_an_announced_content_length_over_the_limit_reads_nothing():
    stream = io.BytesIO(b'{"body": "short"}')
    with pytest.raises(RequestTooLarge):
        JSONParser().parse(stream, parser_context={"request": _Request(FIFTY_MB)})
    assert stream.tell() == 0


def test_a_body_at_the_limit_is_parsed():
    body = json.dumps({"body": "x" * 100}).encode()
    with override_settings(API_MAX_BODY_BYTES=len(body)):
        parsed = JSONParser().parse(io.BytesIO(body), parser_context={"request": _Request()})
    assert parsed == {"body": "x" * 100}


# --- JSON depth ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_json_nested_2000_levels_is_400_not_500(api_client_for, user_a, claim_a):
    body = "[" * 2000 + "]" * 2000
    response = api_client_for(user_a).generic(
        "POST", _comments_url(claim_a), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested deeper" in str(response.json()["detail"])
    assert not ClaimComment.objects.exists()


def test_depth_is_counted_outside_strings_only():
    depth = limits.JSON_MAX_DEPTH
    assert not json_too_deep('{"a": "' + "[" * 5000 + '"}', depth)
    assert not json_too_deep('{"a": "\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', depth)
    assert not json_too_deep("[" * depth + "]" * depth, depth)
    assert json_too_deep("[" * (depth + 1) + "]" * (depth + 1), depth)
    assert json_too_deep('{"a":' * (depth + 1) + "1" + "}" * (depth + 1), depth)
    # Siblings do not add up: depth, not the number of brackets.
    assert not json_too_deep("[" + ",".join(["[[1]]"] * 1000) + "]", depth)


def test_deep_json_is_a_parse_error():
    body = ("[" * 2000 + "]" * 2000).encode()
    with pytest.raises(ParseError):
        JSONParser().parse(io.BytesIO(body), parser_context={"request": _Request(len(body))})


# --- Text length --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_comment_over_the_limit_is_400_with_the_field_error(api_client_for, user_a, claim_a):
    response = api_client_for(user_a).post(
        _comments_url(claim_a), {"body": "x" * (limits.COMMENT + 1)}, format="json"
    )
    assert response.status_code == 400
    assert "body" in response.json()
    assert str(limits.COMMENT) in response.json()["body"][0].replace(",", "")
    assert not ClaimComment.objects.exists()


@pytest.mark.django_db
def test_a_page_comment_over_the_limit_is_refused_with_the_reason(client_for, user_a, claim_a):
    response = client_for(user_a).post(
        f"/claims/{claim_a.pk}/comments/", {"body": "x" * (limits.COMMENT + 1)}, follow=True
    )
    assert response.status_code == 200
    assert not ClaimComment.objects.exists()
    messages = [str(message) for message in response.context["messages"]]
    assert any("at most" in message for message in messages), messages


@pytest.mark.django_db
def test_the_limit_is_in_the_openapi_schema(api_client_for, engineer):
    schema = api_client_for(engineer).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    operation = schema["paths"]["/api/v1/claims/{id}/comments/"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request = components[ref.rsplit("/", 1)[1]]
    assert request["properties"]["body"]["maxLength"] == limits.COMMENT
    assert "413" in operation["responses"]
    # Hand-declared fields carry it too, e.g. a transition's reason.
    assert any(
        prop.get("maxLength") == limits.LONG_TEXT
        for component in components.values()
        for prop in component.get("properties", {}).values()
    )


# --- Pages --------------------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_page_post_over_the_data_limit_is_a_friendly_413(client_for, user_a, claim_a):
    response = client_for(user_a).post(f"/claims/{claim_a.pk}/comments/", {"body": "x" * 5000})
    assert response.status_code == 413
    assert "Too much to send at once" in response.content.decode()
    assert not ClaimComment.objects.exists()


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_script_post_over_the_data_limit_gets_json_413(client_for, user_a, claim_a):
    response = client_for(user_a).post(
        f"/claims/{claim_a.pk}/comments/",
        {"body": "x" * 5000},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


# --- Closed and cancelled claims ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Claim.Status.CLOSED, Claim.Status.CANCELLED])
def test_a_closed_or_cancelled_claim_takes_no_comments(
    api_client_for, client_for, user_a, claim_a, status
):
    Claim.objects.filter(pk=claim_a.pk).update(status=status)
    response = api_client_for(user_a).post(_comments_url(claim_a), {"body": "hi"}, format="json")
    assert response.status_code == 409
    assert "takes no more comments" in response.json()["detail"]

    page = client_for(user_a).post(f"/claims/{claim_a.pk}/comments/", {"body": "hi"}, follow=True)
    messages = [str(message) for message in page.context["messages"]]
    assert any("takes no more comments" in message for message in messages), messages
    assert "takes no more comments" in page.content.decode()
    assert not ClaimComment.objects.exists()


@pytest.mark.django_db
def test_a_rejected_claim_still_takes_comments(api_client_for, user_a, claim_a):
    Claim.objects.filter(pk=claim_a.pk).update(status=Claim.Status.REJECTED)
    response = api_client_for(user_a).post(_comments_url(claim_a), {"body": "hi"}, format="json")
    assert response.status_code == 201
