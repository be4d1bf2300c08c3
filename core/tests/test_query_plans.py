"""Every query a customer's pages and API run can be answered through an index of the big tables.

The pages are requested on a small volume seed while their SQL is recorded; each statement is
then explained with sequential scans priced out (``enable_seqscan = off``). On a table of 200,000
claims the planner would pick a sequential scan only when no index serves the query, and then it
shows here as a ``Seq Scan`` node even with the setting off. Small master data tables (customers,
parts, users) are left out: scanning them whole is the right plan.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from claims.models import Claim
from customers.volume import CUSTOMER_USER_EMAIL, ENGINEER_EMAIL

from .conftest import seed_tiny_volume

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL"),
]

BIG_TABLES = {
    "claims_claim",
    "claims_eightdstep",
    "claims_claimevent",
    "claims_claimcost",
    "core_action",
    "metrics_delivery",
    "metrics_deliverymonth",
    "changes_changerequest",
    "changes_changeevent",
    "changes_deviation",
    "ppap_ppapsubmission",
    "ppap_ppapelement",
    "ppap_ppapevent",
    "audits_finding",
}


def _sequential_scans(plan: dict) -> list[str]:
    scans = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in BIG_TABLES:
        scans.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        scans += _sequential_scans(child)
    return scans


def _scans_of(statements: list[str]) -> dict[str, list[str]]:
    found = {}
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for sql in statements:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                if scans := _sequential_scans(plan[0]["Plan"]):
                    found[sql[:300]] = scans
        finally:
            cursor.execute("RESET enable_seqscan")
    return found


def _selects(client, urls: list[str]) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        for url in urls:
            assert client.get(url).status_code == 200, url
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]


def test_one_customers_pages_and_api_use_indexes(db, client):
    seed_tiny_volume()
    customer_user = User.objects.get(email=CUSTOMER_USER_EMAIL)
    claim = Claim.objects.filter(customer=customer_user.customer).first()
    client.force_login(customer_user)
    statements = _selects(
        client,
        [
            reverse("claims:claim-list"),
            reverse("claims:claim-list") + "?status=closed&ordering=-notified_at",
            reverse("claims:claim-detail", args=[claim.pk]),
            "/api/v1/claims/",
            f"/api/v1/claims/{claim.pk}/",
            reverse("metrics:scorecard"),
            "/changes/",
            "/changes/deviations/",
            "/ppap/",
            "/audits/findings/",
            "/api/v1/changes/",
            "/api/v1/ppap/submissions/",
            "/api/v1/deviations/",
        ],
    )
    client.force_login(User.objects.get(email=ENGINEER_EMAIL))
    customer = customer_user.customer_id
    statements += _selects(
        client,
        [
            reverse("claims:claim-list") + f"?customer={customer}",
            reverse("metrics:dashboard") + f"?customer={customer}",
            f"/api/v1/metrics/ppm/?customer={customer}",
        ],
    )
    assert _scans_of(statements) == {}
