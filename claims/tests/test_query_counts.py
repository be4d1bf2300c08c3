"""The claim lists, the API list and the CSV export cost the same queries for 10 or 500 claims."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Claim, EightDStep
from customers.tests.factories import PartFactory

from .factories import claim_fields, file_claim

pytestmark = pytest.mark.django_db

FEW, MANY = 10, 500
STATUSES = (Claim.Status.ACKNOWLEDGED, Claim.Status.SUBMITTED, Claim.Status.ROOT_CAUSE)


def _bulk_claims(count, parts, filers, engineers):
    """``count`` claims spread over parts, customers, statuses and engineers, with all 8D steps."""
    now = timezone.now()
    fields = claim_fields()
    claims = []
    combos = itertools.cycle(zip(parts, filers, strict=True))
    for index, (part, filer), status, engineer in zip(
        range(count), combos, itertools.cycle(STATUSES), itertools.cycle(engineers), strict=False
    ):
        claims.append(
            Claim(
                **fields,
                number=f"QC-{index:05d}",
                customer_id=part.customer_id,
                part=part,
                part_revision=part.revision,
                notified_at=now - dt.timedelta(hours=index),
                status=status,
                assigned_engineer=engineer,
                created_by=filer,
            )
        )
    Claim.objects.bulk_create(claims)
    EightDStep.objects.bulk_create(
        EightDStep(
            claim=claim,
            customer_id=claim.customer_id,
            code=code,
            due_at=now + dt.timedelta(days=offset - index % 5),
        )
        for index, claim in enumerate(claims)
        for offset, code in enumerate(EightDStep.Code.values)
    )


def _first_after_a_write(client, url) -> int:
    """The queries of a view of ``url`` right after a claim changed: the list is read again,
    the parts that show no claim (the filter form's choices) come from the cache, as they will
    after the claims grow."""
    _queries(client, url)
    Claim.objects.filter(pk=Claim.objects.values("pk")[:1]).update(symptom="Changed")
    return _queries(client, url)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.fixture
def claims_of_two_customers(user_a, user_b, engineer, manager):
    """FEW claims filed through the services, of customers A and B."""
    parts = [PartFactory(customer=user.customer) for user in (user_a, user_b, user_a)]
    filers = [user_a, user_b, user_a]
    for index in range(FEW):
        part, filer = parts[index % 3], filers[index % 3]
        claim = file_claim(actor=filer, part=part)
        if index % 2:
            services.claim_acknowledge(claim=claim, actor=engineer)
    return parts, filers, [engineer, manager, None]


PAGES = [
    ("engineer", "page", "claims:claim-list"),
    ("engineer", "page", "claims:inbox"),
    ("engineer", "page", "claims:claim-export"),
    ("engineer", "api", "/api/v1/claims/"),
    ("engineer", "api", "/api/v1/claims/?ordering=-next_due_at"),
    ("user_a", "page", "claims:claim-list"),
    ("user_a", "page", "claims:claim-export"),
    ("user_a", "api", "/api/v1/claims/"),
]


@pytest.mark.parametrize("viewer,kind,target", PAGES)
def test_query_count_does_not_grow_with_the_claims(
    request, client, api_client_for, claims_of_two_customers, viewer, kind, target
):
    user = request.getfixturevalue(viewer)
    if kind == "page":
        client.force_login(user)
        url = reverse(target)
    else:
        client, url = api_client_for(user), target
    few = _first_after_a_write(client, url)

    _bulk_claims(MANY - FEW, *claims_of_two_customers)
    assert Claim.objects.count() == MANY

    assert _queries(client, url) == few


@pytest.mark.parametrize("ordering", ["customer", "-next_due", "severity", "status"])
def test_sorted_list_costs_no_extra_query(client_for, engineer, claims_of_two_customers, ordering):
    client = client_for(engineer)
    url = f"{reverse('claims:claim-list')}?ordering={ordering}"
    few = _first_after_a_write(client, url)

    _bulk_claims(MANY - FEW, *claims_of_two_customers)

    assert _queries(client, url) == few
