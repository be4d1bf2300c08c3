"""Routes of the controlled documents register, classified for the tenant isolation sweep.

Merged into ``routes.REGISTRY``; the records the URL parameters come from are built by
``scenario_documents.build`` and kept in ``side.extra``.
"""

from __future__ import annotations

from documents.api.views import REVISION_ACTIONS as API_REVISION_ACTIONS
from documents.services import TRANSITION_SERVICES

from .routes import GET_ONLY, POST_ONLY, Access, Route, _of

# Read from the product: a new transition is swept without an edit here.
TRANSITIONS = tuple(TRANSITION_SERVICES)


def _document(side):
    return side.extra["document"]


def _revision(side):
    return side.extra["document_revision"]


_PK = _of(pk=lambda side: _document(side).pk)
_REVISION = _of(pk=lambda side: _document(side).pk, revision_pk=lambda side: _revision(side).pk)
_API_REVISION = _of(pk=lambda side: _document(side).pk, revision_id=lambda side: _revision(side).pk)
_CLAIM = _of(claim_pk=lambda side: side.claim.pk)
_CLAIM_LINK = _of(
    claim_pk=lambda side: side.claim.pk,
    link_pk=lambda side: side.extra["document_eightd_link"].pk,
)
_CHANGE = _of(change_pk=lambda side: side.extra["change"].pk)
_CHANGE_LINK = _of(
    change_pk=lambda side: side.extra["change"].pk,
    link_pk=lambda side: side.extra["document_change_link"].pk,
)


def _each(name: str, values, revision_key: str = "revision_pk"):
    def kwargs(side) -> list[dict]:
        base = {"pk": _document(side).pk, revision_key: _revision(side).pk}
        return [{**base, name: value} for value in values]

    return kwargs


def _fields(side) -> dict:
    return {
        "kind": "control_plan",
        "title": "Changed title",
        "customer": side.customer.pk,
        "parts": [side.part.pk],
        "version": _document(side).version,
    }


def _revision_inputs(side) -> dict:
    return {
        "change_description": "Changed description",
        "reason": "Stated reason",
        "decision": "approved",
        "password": "wrong-password",
        "revision": _revision(side).pk,
        "version": _revision(side).version,
    }


def _lists(side) -> list[dict]:
    return [
        {"customer": side.customer.pk},
        {"part": side.part.pk},
        {"kind": "pfmea"},
        {"status": "effective"},
        {"waiting": "us"},
        {"review_due": "on"},
    ]


def _api_lists(side) -> list[dict]:
    return [{"customer": side.customer.pk}, {"part": side.part.pk}, {"kind": "pfmea"}]


PAGES = {
    "documents:document-list": Route(Access.LIST, methods=GET_ONLY, queries=_lists),
    "documents:document-create": Route(Access.STAFF_ONLY, sample=_fields),
    "documents:document-detail": Route(Access.TENANT_RECORD, _PK, methods=GET_ONLY),
    "documents:document-update": Route(
        Access.TENANT_RECORD,
        _PK,
        sample=_fields,
        echoes=False,
        note="Staff only, but looked up first: another customer's document is a 404.",
    ),
    "documents:document-review-done": Route(
        Access.TENANT_RECORD, _PK, methods=POST_ONLY, sample=lambda side: {"comment": "Done"}
    ),
    "documents:document-download": Route(
        Access.TENANT_RECORD, _PK, methods=GET_ONLY, echoes=False, note="The file, no page."
    ),
    "documents:revision-create": Route(
        Access.TENANT_RECORD, _PK, sample=_revision_inputs, echoes=False
    ),
    "documents:revision-update": Route(
        Access.TENANT_RECORD, _REVISION, sample=_revision_inputs, echoes=False
    ),
    "documents:revision-transition": Route(
        Access.TENANT_RECORD,
        _each("action", TRANSITIONS),
        methods=POST_ONLY,
        sample=_revision_inputs,
    ),
    "documents:revision-review": Route(
        Access.TENANT_RECORD, _REVISION, methods=POST_ONLY, sample=_revision_inputs
    ),
    "documents:revision-approve": Route(
        Access.TENANT_RECORD, _REVISION, methods=POST_ONLY, sample=_revision_inputs
    ),
    "documents:revision-download": Route(
        Access.TENANT_RECORD, _REVISION, methods=GET_ONLY, echoes=False, note="The file, no page."
    ),
    "documents:eightd-link-add": Route(
        Access.TENANT_RECORD, _CLAIM, methods=POST_ONLY, sample=_revision_inputs, claim_write=True
    ),
    "documents:eightd-link-remove": Route(
        Access.TENANT_RECORD, _CLAIM_LINK, methods=POST_ONLY, claim_write=True
    ),
    "documents:change-link-add": Route(
        Access.TENANT_RECORD, _CHANGE, methods=POST_ONLY, sample=_revision_inputs
    ),
    "documents:change-link-remove": Route(Access.TENANT_RECORD, _CHANGE_LINK, methods=POST_ONLY),
}

API = {
    "document-list": Route(
        Access.LIST,
        queries=_api_lists,
        sample=_fields,
        note="Customers may not create documents (403); staff's fields are scoped.",
    ),
    "document-detail": Route(
        Access.TENANT_RECORD, _PK, sample=lambda side: {"title": "Changed title"}
    ),
    "document-download": Route(Access.TENANT_RECORD, _PK, echoes=False, note="The file."),
    "document-events": Route(
        Access.TENANT_RECORD, _PK, echoes=False, note="Staff only read the timeline: [] else."
    ),
    "document-revisions": Route(Access.TENANT_RECORD, _PK, sample=_revision_inputs),
    "document-revision": Route(Access.TENANT_RECORD, _API_REVISION, sample=_revision_inputs),
    **{
        f"document-revision-{name}": Route(
            Access.TENANT_RECORD, _API_REVISION, sample=_revision_inputs
        )
        for name in API_REVISION_ACTIONS
    },
    "document-revision-download": Route(
        Access.TENANT_RECORD, _API_REVISION, echoes=False, note="The file."
    ),
}

REGISTRY: dict = {**PAGES, **API}
