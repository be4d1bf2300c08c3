"""The document pages: who sees what, downloads with their watermark, the review and approval."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts.tests.factories import DEFAULT_PASSWORD
from documents import services
from documents.models import Document, Revision

from .factories import draft, effective, new_document, reviewed, text_upload

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def released(engineer, manager, customer_a):
    """A control plan released to customer A: A superseded, B in effect, C in review."""
    document = new_document(
        actor=engineer,
        kind=Document.Kind.CONTROL_PLAN,
        title="Control plan ZZ-ALPHA bracket",
        customer=customer_a,
    )
    a = effective(document, author=engineer, approver=manager, change="First issue")
    b = effective(document, author=engineer, approver=manager, change="Burr check added")
    c = reviewed(document, author=engineer, change="Draft: new gauge")
    return document, a, b, c


@pytest.fixture
def internal(engineer, manager):
    document = new_document(actor=engineer, title="Internal procedure INTERNAL-ONLY")
    effective(document, author=engineer, approver=manager)
    return document


def _detail(document) -> str:
    return reverse("documents:document-detail", args=[document.pk])


def _download(revision) -> str:
    return reverse("documents:revision-download", args=[revision.document_id, revision.pk])


def _text(content: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def test_staff_list_and_search(engineer, released, internal):
    client = _signed_in(engineer)
    page = client.get(reverse("documents:document-list"))
    assert page.status_code == 200
    assert b"ZZ-ALPHA" in page.content and b"INTERNAL-ONLY" in page.content
    found = client.get(reverse("documents:document-list"), {"q": "alpha"})
    assert b"ZZ-ALPHA" in found.content and b"INTERNAL-ONLY" not in found.content
    typed = client.get(reverse("documents:document-list"), {"kind": "control_plan"})
    assert b"ZZ-ALPHA" in typed.content and b"INTERNAL-ONLY" not in typed.content
    empty = client.get(reverse("documents:document-list"), {"q": "no such thing"})
    assert "No document matches these filters" in empty.content.decode()


def test_customer_sees_released_documents_and_only_approved_or_effective_revisions(
    user_a, released, internal
):
    document, a, b, c = released
    client = _signed_in(user_a)
    listing = client.get(reverse("documents:document-list")).content.decode()
    assert "ZZ-ALPHA" in listing and "INTERNAL-ONLY" not in listing

    page = client.get(_detail(document)).content.decode()
    assert f"revision-{b.pk}" in page
    assert f"revision-{a.pk}" not in page and f"revision-{c.pk}" not in page
    assert "Draft: new gauge" not in page
    assert client.get(_download(b)).status_code == 200
    assert client.get(_download(a)).status_code == 404
    assert client.get(_download(c)).status_code == 404


def test_a_customer_never_sees_internal_documents(user_a, internal):
    client = _signed_in(user_a)
    assert client.get(_detail(internal)).status_code == 404
    assert client.get(reverse("documents:document-download", args=[internal.pk])).status_code == 404
    assert "INTERNAL-ONLY" not in client.get(reverse("documents:document-list")).content.decode()


def test_customer_b_gets_404_on_customer_as_documents(user_b, released):
    document, _a, b, _c = released
    client = _signed_in(user_b)
    assert client.get(_detail(document)).status_code == 404
    assert client.get(_download(b)).status_code == 404
    assert client.get(reverse("documents:document-download", args=[document.pk])).status_code == 404
    assert "ZZ-ALPHA" not in client.get(reverse("documents:document-list")).content.decode()


def test_customer_users_cannot_write(user_a, released):
    document, _a, b, c = released
    client = _signed_in(user_a)
    assert client.get(reverse("documents:document-create")).status_code == 403
    # The revision in effect is visible to them, the page's writes are not theirs; the one in
    # review is not even visible.
    approve = reverse("documents:revision-approve", args=[document.pk, b.pk])
    assert client.post(approve, {"password": DEFAULT_PASSWORD}).status_code == 403
    hidden = reverse("documents:revision-approve", args=[document.pk, c.pk])
    assert client.post(hidden, {"password": DEFAULT_PASSWORD}).status_code == 404


def test_the_effective_revision_downloads_unmarked_and_a_superseded_one_watermarked(
    engineer, released
):
    document, a, b, _c = released
    client = _signed_in(engineer)

    current = client.get(reverse("documents:document-download", args=[document.pk]))
    assert current.status_code == 200
    assert f"rev-{b.letter}.pdf" in current["Content-Disposition"]
    assert "SUPERSEDED" not in _text(current.content)

    old = client.get(_download(a))
    assert old.status_code == 200
    assert "_SUPERSEDED.pdf" in old["Content-Disposition"]
    pages = PdfReader(io.BytesIO(old.content)).pages
    assert len(pages) == 2
    assert all("SUPERSEDED" in (page.extract_text() or "") for page in pages)


def test_an_obsolete_pdf_says_obsolete_and_other_files_say_it_in_their_name(engineer, manager):
    document = new_document(actor=engineer, kind=Document.Kind.WORK_INSTRUCTION, title="WI")
    revision = effective(document, author=engineer, approver=manager)
    services.revision_withdraw(revision=revision, actor=engineer, reason="Line closed")
    client = _signed_in(engineer)
    assert "OBSOLETE" in _text(client.get(_download(revision)).content)

    notes = new_document(actor=engineer, kind=Document.Kind.FORM, title="Checklist")
    first = effective(notes, author=engineer, approver=manager, upload=text_upload())
    effective(notes, author=engineer, approver=manager, upload=text_upload())
    response = client.get(_download(first))
    assert response["Content-Disposition"].endswith('_SUPERSEDED.txt"')
    assert response.content == b"Torque 12 Nm\nCheck every 50 parts\n"


def test_review_and_signed_approval_through_the_pages(engineer, manager):
    document = new_document(actor=engineer, title="Procedure")
    revision = draft(document, author=engineer)
    reviewer = revision.reviews.get().reviewer
    submit = reverse("documents:revision-transition", args=[document.pk, revision.pk, "submit"])
    assert _signed_in(engineer).post(submit, {"version": revision.version}).status_code == 302

    review = reverse("documents:revision-review", args=[document.pk, revision.pk])
    assert _signed_in(reviewer).post(review, {"decision": "approved"}).status_code == 302
    revision.refresh_from_db()
    assert revision.reviews_complete

    approve = reverse("documents:revision-approve", args=[document.pk, revision.pk])
    refused = _signed_in(manager).post(approve, {"password": "wrong", "version": revision.version})
    assert refused.status_code == 400
    done = _signed_in(manager).post(
        approve, {"password": DEFAULT_PASSWORD, "version": revision.version}
    )
    assert done.status_code == 302
    revision.refresh_from_db()
    assert revision.status == Revision.Status.EFFECTIVE


def test_approving_ones_own_revision_through_the_page_says_why(manager):
    document = new_document(actor=manager, title="Procedure")
    revision = reviewed(document, author=manager)
    approve = reverse("documents:revision-approve", args=[document.pk, revision.pk])
    response = _signed_in(manager).post(
        approve, {"password": DEFAULT_PASSWORD, "version": revision.version}, follow=True
    )
    assert "another approver must approve it" in response.content.decode()
    revision.refresh_from_db()
    assert revision.status == Revision.Status.UNDER_REVIEW


def test_create_a_document_and_its_first_revision(engineer):
    client = _signed_in(engineer)
    created = client.post(
        reverse("documents:document-create"),
        {"kind": "procedure", "title": "Handling of nonconforming product"},
    )
    assert created.status_code == 302
    document = Document.objects.get()
    form = client.get(reverse("documents:revision-create", args=[document.pk]))
    assert form.status_code == 200
    from .factories import pdf_upload

    started = client.post(
        reverse("documents:revision-create", args=[document.pk]),
        {"change_description": "First issue", "upload": pdf_upload()},
    )
    assert started.status_code == 302
    assert document.revisions.get().file is not None


def test_german_pages(engineer, released):
    client = _signed_in(engineer)
    document = released[0]
    page = client.get(_detail(document), HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
