"""The documents API: scoping, documents and revisions, the signed approval, downloads; and the
register's query count, the same for few or many documents."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from customers.tests.factories import PartFactory
from documents.models import Document, Revision

from .factories import effective, new_document, pdf_upload, reviewed

pytestmark = pytest.mark.django_db
BASE = "/api/v1/documents/"


@pytest.fixture
def released(engineer, manager, customer_a):
    document = new_document(
        actor=engineer, kind=Document.Kind.CUSTOMER_SPECIFICATION, title="Spec", customer=customer_a
    )
    old = effective(document, author=engineer, approver=manager)
    current = effective(document, author=engineer, approver=manager)
    return document, old, current


def test_staff_create_a_document_start_review_and_approve_a_revision(
    engineer, manager, customer_a, api_client_for
):
    part = PartFactory(customer=customer_a)
    api = api_client_for(engineer)
    created = api.post(
        BASE,
        {"kind": "pfmea", "title": "PFMEA", "customer": customer_a.pk, "parts": [part.pk]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    document = created.json()
    assert document["number"].startswith("DOC-") and document["parts"] == [part.pk]

    reviewer = UserFactory()
    started = api.post(
        f"{BASE}{document['id']}/revisions/",
        {"change_description": "First issue", "reviewers": [reviewer.pk], "file": pdf_upload()},
        format="multipart",
    )
    assert started.status_code == 201, started.json()
    revision = started.json()
    assert (revision["letter"], revision["status"]) == ("A", "draft")
    action = f"{BASE}{document['id']}/revisions/{revision['id']}/"
    assert api.post(f"{action}submit/", {}, format="json").status_code == 200
    answered = api_client_for(reviewer).post(
        f"{action}review/", {"decision": "approved"}, format="json"
    )
    assert answered.status_code == 200, answered.json()
    own = api.post(f"{action}approve/", {"password": DEFAULT_PASSWORD}, format="json")
    assert own.status_code == 403  # an engineer does not approve
    approved = api_client_for(manager).post(
        f"{action}approve/", {"password": DEFAULT_PASSWORD}, format="json"
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "effective"
    assert api.get(f"{BASE}{document['id']}/").json()["current_revision"] == "A"


def test_the_author_cannot_approve_over_the_api(manager, api_client_for):
    document = new_document(actor=manager, title="Procedure")
    revision = reviewed(document, author=manager)
    response = api_client_for(manager).post(
        f"{BASE}{document.pk}/revisions/{revision.pk}/approve/",
        {"password": DEFAULT_PASSWORD},
        format="json",
    )
    assert response.status_code == 403
    assert "another approver" in response.json()["detail"]


def test_customers_read_their_released_documents_and_b_gets_404(
    released, user_a, user_b, engineer, api_client_for
):
    document, old, current = released
    internal = new_document(actor=engineer, title="Internal")
    a = api_client_for(user_a)
    listed = a.get(BASE).json()["results"]
    assert [row["id"] for row in listed] == [document.pk]
    assert "owner" not in listed[0]
    revisions = a.get(f"{BASE}{document.pk}/revisions/").json()
    assert [row["id"] for row in revisions] == [current.pk]
    assert a.get(f"{BASE}{document.pk}/revisions/{old.pk}/download/").status_code == 404
    assert a.get(f"{BASE}{document.pk}/download/").status_code == 200
    assert a.get(f"{BASE}{internal.pk}/").status_code == 404
    assert a.post(BASE, {"kind": "form", "title": "X"}, format="json").status_code == 403

    b = api_client_for(user_b)
    assert b.get(BASE).json()["results"] == []
    for url in (
        f"{BASE}{document.pk}/",
        f"{BASE}{document.pk}/revisions/",
        f"{BASE}{document.pk}/download/",
        f"{BASE}{document.pk}/revisions/{current.pk}/download/",
    ):
        assert b.get(url).status_code == 404, url


def test_superseded_revision_download_over_the_api_is_watermarked(
    released, api_client_for, engineer
):
    document, old, _current = released
    response = api_client_for(engineer).get(f"{BASE}{document.pk}/revisions/{old.pk}/download/")
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "SUPERSEDED" in text


def test_filters(released, engineer, api_client_for):
    document = released[0]
    api = api_client_for(engineer)
    assert [r["id"] for r in api.get(BASE, {"search": document.number}).json()["results"]] == [
        document.pk
    ]
    assert api.get(BASE, {"kind": "pfmea"}).json()["results"] == []
    assert api.get(BASE, {"status": "effective"}).json()["count"] == 1
    assert api.get(BASE, {"owner": engineer.pk}).json()["count"] == 1
    assert api.get(BASE, {"customer": document.customer_id}).json()["count"] == 1


def _bulk(count: int, owner, customer, start: int = 0) -> None:
    part = PartFactory(customer=customer)
    for index in range(start, start + count):
        document = Document.objects.create(
            number=f"DOC-Q-{index:04d}",
            kind=Document.Kind.values[index % len(Document.Kind.values)],
            title=f"Document {index}",
            owner=owner,
            customer=customer if index % 2 else None,
            created_by=owner,
            next_review_on="2030-01-01",
        )
        document.parts.add(part)
        revision = Revision.objects.create(
            document=document,
            letter="A",
            status=Revision.Status.EFFECTIVE,
            change_description="First issue",
            author=owner,
            effective_on="2026-01-01",
        )
        Document.objects.filter(pk=document.pk).update(current_revision=revision)


@pytest.mark.parametrize("viewer", ["engineer", "user_a"])
def test_list_queries_do_not_grow_with_the_rows(
    viewer, request, engineer, customer_a, api_client_for
):
    user = request.getfixturevalue(viewer)
    page = Client()
    page.force_login(user)
    api = api_client_for(user)

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as listing:
            assert page.get(reverse("documents:document-list")).status_code == 200
        with CaptureQueriesContext(connection) as endpoint:
            assert api.get(BASE).status_code == 200
        return len(listing), len(endpoint)

    _bulk(3, engineer, customer_a)
    few = counts()
    _bulk(30, engineer, customer_a, start=3)
    assert counts() == few
