"""OpenAPI schema post-processing: every operation documents the errors it can answer with.

400 for an operation with a body or query parameters, 401 and 403 unless it is public, 404 with
path parameters (or pages, or ``?format=``), 409 for an authenticated write, 413 and 415
with a body, 429 and 503 always. The bodies are what ``core.api.base.exception_handler`` and DRF
really send:

- a refusal as a whole, ``{"detail": "…"}``: authentication, permission, not found, conflicts,
  throttling, domain errors without a field; a Django ``ValidationError`` without fields gives a
  list, ``{"detail": ["D3: …", "D4: …"]}``;
- validation errors by field, ``{"<field>": ["…"]}``; nested serializers, lists and dicts nest
  the same shape (``{"rows": [{}, {"quantity": ["…"]}]}``, ``{"whys": {"0": ["…"]}}``).

A body ``{"detail": ["…"]}`` fits both shapes, so ``Error`` is ``anyOf`` rather than ``oneOf``.

A decimal written as a string gets a pattern that needs a digit (drf-spectacular's admits "",
"-" and ".", which DRF refuses). Every ``If-Match`` header gets one description and the pattern
``core.locking`` checks. An optional query parameter sent empty (``?month=``) is as if left out,
as in an HTML form (DRF and django-filter read it so): its parameter says ``allowEmptyValue``. A
list of values (``?status=`` repeated) is the exception: an empty one is a value, not a choice.
"""

from __future__ import annotations

import re

from drf_spectacular.utils import OpenApiParameter

from core.locking import IF_MATCH_PATTERN

# A serializer's schema extension listing the fields it leaves out for customer users:
# ``@extend_schema_serializer(extensions={INTERNAL_ONLY: ["internal_note"]})``. They are never
# required in the schema, since customer users' answers do not have them.
INTERNAL_ONLY = "x-internal-only"

ERROR = "Error"
DETAIL_ERROR = "DetailError"
FIELD_ERRORS = "FieldErrors"

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
HTTP_METHODS = frozenset({"get", "head", "options", "trace", *WRITE_METHODS})

IF_MATCH_DESCRIPTION = (
    'The ETag you read, e.g. `"3"` (weak `W/"3"` and the bare version `3` too): the write is '
    "refused with 409 when the record changed since. Same as `version` in the body; `*`, empty "
    "or left out: no check. Anything else is a 400."
)
# For a view that reads If-Match: ``@extend_schema(parameters=[IF_MATCH])``.
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    pattern=IF_MATCH_PATTERN,
    description=IF_MATCH_DESCRIPTION,
)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


ERROR_COMPONENTS = {
    DETAIL_ERROR: {
        "type": "object",
        "description": "The request was refused as a whole.",
        "properties": {
            "detail": {
                "oneOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"type": "string"}},
                ],
                "description": "Why; a list when several reasons apply.",
            },
            "code": {
                "type": "string",
                "description": (
                    "A fixed code for programs, where given (`service_unavailable`, "
                    "`request_too_large`)."
                ),
            },
        },
        "required": ["detail"],
    },
    FIELD_ERRORS: {
        "type": "object",
        "description": (
            "Messages by field name (`non_field_errors` for the input as a whole); nested "
            "inputs, lists and dicts nest the same shape, by field name or position."
        ),
        "additionalProperties": {
            "oneOf": [
                {
                    "type": "array",
                    "items": {"anyOf": [{"type": "string"}, _ref(FIELD_ERRORS)]},
                },
                _ref(FIELD_ERRORS),
            ]
        },
    },
    ERROR: {
        "description": "An error answer: a refusal with `detail`, or messages by field.",
        "anyOf": [_ref(DETAIL_ERROR), _ref(FIELD_ERRORS)],
    },
}

_DETAIL_ONLY = _ref(DETAIL_ERROR)
_ANY_ERROR = _ref(ERROR)
_RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer"},
        "description": "Seconds to wait before trying again, when known.",
    }
}

# status → (description, body schema, headers)
_RESPONSES = {
    "400": ("Invalid input: messages by field, or a refusal with `detail`.", _ANY_ERROR, {}),
    "401": (
        "Missing, invalid or revoked credentials.",
        _DETAIL_ONLY,
        {
            "WWW-Authenticate": {
                "schema": {"type": "string"},
                "description": "How to authenticate: `Token`.",
            }
        },
    ),
    "403": ("You may not do this.", _DETAIL_ONLY, {}),
    "404": ("Not found, or not visible to you.", _DETAIL_ONLY, {}),
    "409": ("Not possible in the record's current state.", _DETAIL_ONLY, {}),
    "413": (
        "The body is too large (`code`: `request_too_large`); nothing was read or saved.",
        _DETAIL_ONLY,
        {},
    ),
    "415": ("The body's Content-Type is none of the documented ones.", _DETAIL_ONLY, {}),
    "429": ("Too many requests: wait and try again.", _DETAIL_ONLY, _RETRY_AFTER),
    "503": (
        "A backing service (database, broker) is unavailable: try again later.",
        _DETAIL_ONLY,
        _RETRY_AFTER,
    ),
}


def document_error_responses(result, generator, request, public):
    """Add the error responses of every operation and the shared ``Error`` component.

    Also makes the fields listed under ``x-internal-only`` optional in their components.
    """
    components = result.setdefault("components", {}).setdefault("schemas", {})
    _make_internal_fields_optional(components)
    _require_a_digit_in_decimals(result)
    components.update(ERROR_COMPONENTS)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in HTTP_METHODS:
                _document_operation(method, operation)
    return result


def _make_internal_fields_optional(components: dict) -> None:
    for component in components.values():
        internal = component.get(INTERNAL_ONLY)
        if not internal or "required" not in component:
            continue
        component["required"] = [name for name in component["required"] if name not in internal]
        if not component["required"]:
            del component["required"]


# drf-spectacular's pattern of a DecimalField written as a string, with its digit counts.
_LOOSE_DECIMAL = re.compile(r"^\^-\?\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)\?\$$")


def _require_a_digit_in_decimals(node) -> None:
    """Decimals as DRF reads them ("12", "12.5", ".5", "-12.50"); not "", "-" or "." (a 400)."""
    if isinstance(node, list):
        for item in node:
            _require_a_digit_in_decimals(item)
        return
    if not isinstance(node, dict):
        return
    loose = node.get("format") == "decimal" and _LOOSE_DECIMAL.match(node.get("pattern", ""))
    if loose:
        whole, places = loose.groups()
        node["pattern"] = rf"^-?(\d{{1,{whole}}}(\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"
    for value in node.values():
        _require_a_digit_in_decimals(value)


def _document_operation(method: str, operation: dict) -> None:
    _describe_if_match(operation)
    _allow_empty_query_values(operation)
    responses = operation.setdefault("responses", {})
    # Errors declared by the view itself (e.g. a 404 for an unknown customer in a query) too.
    declared = [status for status in responses if status in _RESPONSES]
    for status in dict.fromkeys([*_error_statuses(method, operation), *declared]):
        description, schema, headers = _RESPONSES[status]
        response = responses.setdefault(status, {"description": description})
        _describe_body(response, schema)
        if headers:
            response.setdefault("headers", {})
            for name, header in headers.items():
                response["headers"].setdefault(name, header)


def _describe_if_match(operation: dict) -> None:
    """Every view's If-Match, however it declares it, with the format the server accepts."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "header" and parameter.get("name", "").lower() == "if-match":
            parameter["schema"] = {"type": "string", "pattern": IF_MATCH_PATTERN}
            parameter["description"] = IF_MATCH_DESCRIPTION


def _allow_empty_query_values(operation: dict) -> None:
    for parameter in operation.get("parameters", []):
        if (
            parameter.get("in") == "query"
            and not parameter.get("required")
            and parameter.get("schema", {}).get("type") != "array"
        ):
            parameter["allowEmptyValue"] = True


def _error_statuses(method: str, operation: dict) -> list[str]:
    locations = {parameter.get("in") for parameter in operation.get("parameters", [])}
    authenticated = any(operation.get("security") or [])
    statuses = []
    if "requestBody" in operation or "query" in locations:
        statuses.append("400")
    if authenticated:
        statuses += ["401", "403"]
    # A page past the end of a list is a 404 as well, and so is a ?format= that is not offered.
    if "path" in locations or _has_query_parameter(operation, "page", "format"):
        statuses.append("404")
    if authenticated and method in WRITE_METHODS:
        statuses.append("409")
    if "requestBody" in operation:
        statuses += ["413", "415"]
    return [*statuses, "429", "503"]


def _has_query_parameter(operation: dict, *names: str) -> bool:
    return any(
        parameter.get("in") == "query" and parameter.get("name") in names
        for parameter in operation.get("parameters", [])
    )


def _describe_body(response: dict, schema: dict) -> None:
    """Give an error response the shared body, keeping an explicit, specific schema.

    A response declared without a body, or with a bare object, gets the shared schema (its
    description and examples stay); a response with its own component (the bulk import's list
    of row errors) keeps it. An error is JSON, also where the answer would have been a download
    (``core.api.base.exception_handler``): other media types are no error's.
    """
    content = response.setdefault("content", {})
    for media_type in [name for name in content if name != "application/json"]:
        del content[media_type]
    media = content.setdefault("application/json", {})
    if _is_unspecific(media.get("schema")):
        media["schema"] = schema


def _is_unspecific(schema) -> bool:
    if not schema:
        return True
    return schema.get("type") == "object" and set(schema) <= {"type", "additionalProperties"}
