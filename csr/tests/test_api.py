"""The CSR API: scoped reads, staff writes, the revision with its changes; and the register's
query count, the same for few or many CSR documents."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Action
from csr.models import Clause, ClauseStatus, CsrDocument

from .factories import new_csr

pytestmark = pytest.mark.django_db
BASE = "/api/v1/csr/"


@pytest.fixture
def csr(engineer, manager, customer_a):
    return new_csr(
        actor=engineer,
        owner=manager,
        customer=customer_a,
        clauses=[("1", "Labels"), ("2", "PPAP level 3")],
    )


def test_staff_map_a_clause_and_revise(csr, engineer, manager, api_client_for):
    api = api_client_for(engineer)
    clause = csr.clauses.get(number="2")
    refused = api.post(
        f"{BASE}{csr.pk}/clauses/{clause.pk}/", {"status": "not_applicable"}, format="json"
    )
    assert refused.status_code == 400
    mapped = api.post(
        f"{BASE}{csr.pk}/clauses/{clause.pk}/",
        {"status": "implemented", "process": "PPAP", "owner": engineer.pk},
        format="json",
    )
    assert mapped.status_code == 200, mapped.json()
    assert mapped.json()["status"] == "implemented"

    revised = api.post(
        f"{BASE}{csr.pk}/revise/",
        {
            "revision": "2",
            "issued_on": "2026-08-01",
            "clauses": [
                {"number": "1", "title": "Clause 1", "text": "Labels"},
                {"number": "2", "title": "Clause 2", "text": "PPAP level 2"},
            ],
        },
        format="json",
    )
    assert revised.status_code == 201, revised.json()
    new = CsrDocument.objects.get(pk=revised.json()["id"])
    assert api.get(f"{BASE}{new.pk}/changes/").json() == {
        "added": [],
        "changed": ["2"],
        "removed": [],
    }
    assert new.clauses.get(number="2").status == ClauseStatus.OPEN
    assert Action.objects.for_owner(new).get().owner == manager


def test_customer_reads_own_but_never_writes(csr, user_a, api_client_for):
    api = api_client_for(user_a)
    listed = api.get(BASE).json()["results"]
    assert [row["id"] for row in listed] == [csr.pk] and "owner" not in listed[0]
    clauses = api.get(f"{BASE}{csr.pk}/clauses/").json()
    assert [row["number"] for row in clauses] == ["1", "2"]
    clause = csr.clauses.first()
    assert (
        api.post(f"{BASE}{csr.pk}/clauses/{clause.pk}/", {"status": "implemented"}).status_code
        == 403
    )
    assert (
        api.post(f"{BASE}{csr.pk}/clauses/", {"number": "3", "title": "t", "text": "x"}).status_code
        == 403
    )
    assert (
        api.post(
            f"{BASE}{csr.pk}/revise/", {"revision": "2", "issued_on": "2026-01-01"}
        ).status_code
        == 403
    )
    created = api.post(
        BASE,
        {
            "customer": csr.customer_id,
            "title": "t",
            "reference": "r",
            "revision": "1",
            "issued_on": "2026-01-01",
            "owner": csr.owner_id,
        },
        format="json",
    )
    assert created.status_code in (400, 403)
    assert CsrDocument.objects.count() == 1
    assert Clause.objects.get(pk=clause.pk).status == ClauseStatus.OPEN


def test_customer_b_gets_404_on_a_csr(csr, user_b, api_client_for):
    api = api_client_for(user_b)
    clause = csr.clauses.first()
    assert api.get(BASE).json()["results"] == []
    assert api.get(f"{BASE}{csr.pk}/").status_code == 404
    assert api.get(f"{BASE}{csr.pk}/clauses/").status_code == 404
    assert api.get(f"{BASE}{csr.pk}/changes/").status_code == 404
    assert api.post(f"{BASE}{csr.pk}/clauses/{clause.pk}/", {}).status_code == 404
    assert api.post(f"{BASE}{csr.pk}/revise/", {}).status_code == 404


def _bulk(count, customers, owner, start=0):
    for index in range(start, start + count):
        document = CsrDocument.objects.create(
            customer=customers[index % 2],
            title=f"CSR {index}",
            reference=f"REF-{index}",
            revision="1",
            issued_on=dt.date(2026, 1, 1),
            owner=owner,
            created_by=owner,
        )
        Clause.objects.bulk_create(
            Clause(
                document=document,
                customer_id=document.customer_id,
                number=str(n),
                sort_key=str(n),
                title="t",
                text="x",
            )
            for n in range(3)
        )


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["engineer", "user_a"])
def test_register_queries_do_not_grow_with_documents(
    request, who, engineer, customer_a, customer_b, client_for, api_client_for
):
    user = request.getfixturevalue(who)
    page, api = client_for(user), api_client_for(user)
    calls = [
        lambda: page.get(reverse("csr:csr-list")),
        lambda: page.get(reverse("csr:csr-list"), {"q": "CSR", "open_clauses": "on"}),
        lambda: page.get(reverse("csr:customer-register", args=[customer_a.pk])),
        lambda: api.get(BASE),
    ]
    _bulk(3, [customer_a, customer_b], engineer)
    few = [_queries(call) for call in calls]
    _bulk(30, [customer_a, customer_b], engineer, start=3)
    many = [_queries(call) for call in calls]
    assert many == few
