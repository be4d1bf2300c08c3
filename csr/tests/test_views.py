"""The register pages: staff map clauses, customers read their own register only, the register
lists what the portal already applies for the customer."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from csr import services
from csr.models import Clause, ClauseStatus, CsrDocument

from .factories import new_csr

pytestmark = pytest.mark.django_db


@pytest.fixture
def csr(engineer, manager, customer_a):
    return new_csr(
        actor=engineer,
        owner=manager,
        customer=customer_a,
        reference="AW-CSR",
        clauses=[("4.1", "Register kept"), ("4.2", "Quarterly report")],
    )


def test_staff_create_a_csr_document_and_add_a_clause(engineer, customer_a, client_for):
    client = client_for(engineer)
    response = client.post(
        reverse("csr:csr-create"),
        {
            "customer": customer_a.pk,
            "title": "Autowerk CSR",
            "reference": "AW-1",
            "revision": "A",
            "issued_on": "2026-03-01",
            "owner": engineer.pk,
        },
    )
    document = CsrDocument.objects.get(reference="AW-1")
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    client.post(
        reverse("csr:clause-add", args=[document.pk]),
        {"number": "3.1", "title": "Labels", "text": "Use the label format."},
    )
    assert document.clauses.get().number == "3.1"


def test_not_applicable_without_reason_is_refused_on_the_page(csr, engineer, client_for):
    clause = csr.clauses.get(number="4.2")
    prefix = f"clause-{clause.pk}"
    client = client_for(engineer)
    url = reverse("csr:clause-map", args=[csr.pk, clause.pk])
    response = client.post(
        url,
        {f"{prefix}-status": "not_applicable", f"{prefix}-version": clause.version},
        follow=True,
    )
    assert "Say why the clause does not apply to us." in response.content.decode()
    assert Clause.objects.get(pk=clause.pk).status == ClauseStatus.OPEN
    client.post(
        url,
        {
            f"{prefix}-status": "not_applicable",
            f"{prefix}-not_applicable_reason": "No paint.",
            f"{prefix}-version": clause.version,
        },
    )
    assert Clause.objects.get(pk=clause.pk).status == ClauseStatus.NOT_APPLICABLE


def test_revision_page_lists_the_changed_clauses(csr, engineer, client_for):
    client = client_for(engineer)
    response = client.post(
        reverse("csr:csr-revise", args=[csr.pk]),
        {
            "revision": "2",
            "issued_on": "2026-07-01",
            "clauses": "4.1 | Clause 4.1 | Register kept\n"
            "4.2 | Clause 4.2 | Monthly report\n"
            "5.1 | New | X",
        },
    )
    new = CsrDocument.objects.get(previous=csr)
    assert response["Location"] == new.get_absolute_url()
    page = client.get(new.get_absolute_url())
    changes = page.context["changes"]
    assert (changes.added, changes.changed, changes.removed) == (["5.1"], ["4.2"], [])
    assert 'data-changes="changed">4.2<' in page.content.decode()


def test_customer_reads_own_register_with_the_configured_requirements(csr, user_a, client_for):
    client = client_for(user_a)
    register = client.get(reverse("csr:customer-register", args=[csr.customer_id]))
    assert register.status_code == 200
    html = register.content.decode()
    assert "AW-CSR" in html and "Configured in the portal" in html
    assert "default PPAP level" in html.lower() or "Default PPAP level" in html
    detail = client.get(csr.get_absolute_url())
    assert detail.status_code == 200 and "Quarterly report" in detail.content.decode()
    assert detail.context["may_edit"] is False
    assert client.get(reverse("csr:csr-list")).context["csr_documents"][0] == csr


def test_customer_b_gets_404_on_a_register_and_documents(csr, user_b, client_for):
    client = client_for(user_b)
    clause = csr.clauses.first()
    assert client.get(reverse("csr:customer-register", args=[csr.customer_id])).status_code == 404
    assert client.get(csr.get_absolute_url()).status_code == 404
    assert client.post(reverse("csr:csr-revise", args=[csr.pk]), {}).status_code == 404
    mapped = client.post(reverse("csr:clause-map", args=[csr.pk, clause.pk]), {})
    assert mapped.status_code == 404
    assert list(client.get(reverse("csr:csr-list")).context["csr_documents"]) == []


def test_customer_never_writes_own_register(csr, user_a, client_for):
    client = client_for(user_a)
    clause = csr.clauses.first()
    assert client.get(reverse("csr:csr-create")).status_code == 403
    assert client.post(reverse("csr:csr-revise", args=[csr.pk]), {}).status_code == 403
    added = client.post(reverse("csr:clause-add", args=[csr.pk]), {"number": "9"})
    assert added.status_code == 403
    prefix = f"clause-{clause.pk}"
    mapped = client.post(
        reverse("csr:clause-map", args=[csr.pk, clause.pk]), {f"{prefix}-status": "implemented"}
    )
    assert mapped.status_code == 403
    assert Clause.objects.get(pk=clause.pk).status == ClauseStatus.OPEN


def test_register_filters_and_search(csr, engineer, customer_b, client_for):
    other = new_csr(actor=engineer, customer=customer_b, reference="BM-SQM")
    services.csr_revise(document=csr, actor=engineer, revision="2", issued_on=dt.date(2026, 5, 1))
    client = client_for(engineer)
    url = reverse("csr:csr-list")
    assert {d.reference for d in client.get(url, {"q": "BM-"}).context["csr_documents"]} == {
        "BM-SQM"
    }
    latest = client.get(url, {"latest": "on"}).context["csr_documents"]
    assert {(d.reference, d.revision) for d in latest} == {("AW-CSR", "2"), ("BM-SQM", "1")}
    open_only = client.get(url, {"open_clauses": "on"}).context["csr_documents"]
    assert other not in list(open_only)


def test_clause_table_costs_the_same_queries_for_few_or_many_clauses(csr, engineer, client_for):
    client = client_for(engineer)
    client.get(csr.get_absolute_url())

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(csr.get_absolute_url())
            assert response.status_code == 200
        return len(queries)

    few = count()
    for number in range(10, 30):
        services.clause_add(document=csr, actor=engineer, number=str(number), title="t", text="x")
    assert count() == few
