"""The parts list page and the parts API cost the same number of queries for 10 or 200 parts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.tests.factories import CustomerFactory, PartFactory, PlantFactory

# Session, user, page count, rows, filter choices: a handful, never one per row.
MAX_QUERIES = 12

TARGETS = {
    "page": lambda: reverse("customers:part-list"),
    "api": lambda: "/api/v1/parts/",
}


def _add_parts(count, customer, plants):
    for n in range(count):
        PartFactory(customer=customer, plant=plants[n % len(plants)])


def _queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["engineer", "user_a"])
@pytest.mark.parametrize("target", TARGETS)
def test_query_count_does_not_grow_with_rows(request, client, viewer, target, customer_a):
    client.force_login(request.getfixturevalue(viewer))
    path = TARGETS[target]()
    plants = [PlantFactory(), PlantFactory(), PlantFactory()]
    others = [CustomerFactory(), CustomerFactory()]

    _add_parts(10, customer_a, plants)
    few = _queries_for(client, path)

    _add_parts(190, customer_a, plants)
    for customer in others:
        _add_parts(5, customer, plants)
    many = _queries_for(client, path)

    assert few == many
    assert many <= MAX_QUERIES


@pytest.mark.django_db
def test_filtered_page_is_flat_too(client, engineer, customer_a):
    client.force_login(engineer)
    plants = [PlantFactory(), PlantFactory()]
    path = f"{reverse('customers:part-list')}?q=P-&ordering=-customer&active_today=on"
    _add_parts(10, customer_a, plants)
    few = _queries_for(client, path)
    _add_parts(100, customer_a, plants)
    assert _queries_for(client, path) == few <= MAX_QUERIES
