"""Cached figures and page parts follow the tables they were computed from, and only those.

One engineer's comment must not recompute every other viewer's lists, dashboards and API pages;
a write to a table a figure reads must show at once (``core.data_version``, ``core.reads``).
"""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Audit
from audits.tests.factories import plan
from changes.models import ChangeRequest
from changes.tests.factories import raise_change
from claims.models import Claim
from claims.services import comment_add
from claims.tests.factories import decided_claim, file_claim
from core import data_version, reads
from customers.models import Customer, Part, Plant
from customers.tests.factories import CustomerFactory, PartFactory, PlantFactory
from metrics.tests.factories import deliver
from ppap.models import PpapSubmission
from ppap.tests.factories import draft

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self, read=None):
        self.runs, self.read = 0, read

    def __call__(self):
        self.runs += 1
        if self.read is not None:
            list(self.read.objects.all())
        return self.runs


def test_a_write_to_another_table_leaves_the_figure_cached():
    compute = Counter(read=Plant)
    with reads.recording():
        assert data_version.cached("t", (), compute) == 1
        CustomerFactory()  # customers_customer: not read
        assert data_version.cached("t", (), compute) == 1
        PlantFactory()  # customers_plant: read
        assert data_version.cached("t", (), compute) == 2


def test_a_table_read_before_the_figure_counts():
    """A view fetches a record, then serialises it inside the cached block."""
    compute = Counter()
    with reads.recording():
        list(Plant.objects.all())
        assert data_version.cached("t", (), compute) == 1
        CustomerFactory()
        assert data_version.cached("t", (), compute) == 1
        Plant.objects.update(name=F("code"))
        assert data_version.cached("t", (), compute) == 2


def test_a_part_that_reads_all_it_shows_ignores_what_came_before():
    """The claims list's filter form: its choices are read as it renders."""
    compute = Counter(read=Customer)

    def filters():
        return data_version.cached("t", (), compute, own_reads_only=True)

    with reads.recording():
        list(Plant.objects.all())
        assert filters() == 1
        PlantFactory()
        assert filters() == 1
        CustomerFactory()
        assert filters() == 2


def test_the_claims_filter_form_stays_cached_when_a_claim_is_filed(
    client_for, engineer, customer_a
):
    part = PartFactory(customer=customer_a)
    file_claim(actor=engineer, part=part)
    client = client_for(engineer)
    url = reverse("claims:claim-list")
    client.get(url)
    file_claim(actor=engineer, part=part)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    # The list is read again; the customers, engineers and choices of the filter form are not.
    assert not any('FROM "customers_customer"' in q["sql"] for q in captured.captured_queries)
    CustomerFactory(name="Newly added customer")
    assert "Newly added customer" in client.get(url).content.decode()


def test_a_figure_served_inside_another_passes_on_its_tables():
    inner = Counter(read=Plant)
    with reads.recording():
        data_version.cached("inner", (), inner)
    outer = Counter()
    with reads.recording():
        # The inner figure comes from the cache, reading nothing; the outer still depends on it.
        data_version.cached("outer", (), lambda: (data_version.cached("inner", (), inner), outer()))
    with reads.recording():
        data_version.cached("outer", (), lambda: (data_version.cached("inner", (), inner), outer()))
    assert outer.runs == 1
    PlantFactory()
    with reads.recording():
        data_version.cached("outer", (), lambda: (data_version.cached("inner", (), inner), outer()))
    assert outer.runs == 2


def test_outside_a_request_every_write_counts():
    compute = Counter(read=Plant)
    assert data_version.cached("t", (), compute) == 1
    CustomerFactory()
    assert data_version.cached("t", (), compute) == 2


def test_a_figure_computed_in_a_rolled_back_transaction_is_never_served():
    compute = Counter(read=Plant)
    with reads.recording():
        with pytest.raises(RuntimeError), transaction.atomic():
            PlantFactory()
            assert data_version.cached("t", (), compute) == 1
            raise RuntimeError("roll back")
        PlantFactory()  # as many writes to the same table as the rolled-back block made
        assert data_version.cached("t", (), compute) == 2


def test_the_version_of_some_tables_moves_with_them_alone():
    plants = data_version.version(tables=["customers_plant"])
    everything = data_version.version()
    CustomerFactory()
    assert data_version.version(tables=["customers_plant"]) == plants
    assert data_version.version() != everything
    PlantFactory()
    assert data_version.version(tables=["customers_plant"]) != plants


def test_a_statement_names_the_tables_it_reads():
    sql = 'SELECT "claims_claim"."id" FROM "claims_claim" INNER JOIN customers_part ON 1 = 1'
    assert reads.tables_in(sql) == {"claims_claim", "customers_part"}
    assert reads.tables_in("SELECT 1") == frozenset()


# --- every cached page part and endpoint, through the client ------------------------------------


@pytest.fixture
def records(engineer, manager, customer_a):
    part = PartFactory(customer=customer_a)
    claim = decided_claim(part, dt.date(2025, 3, 5), 2, actor=engineer)
    other = file_claim(actor=engineer, part=part)
    deliver(part, dt.date(2025, 3, 3), 10_000)
    raise_change(actor=engineer, customer=customer_a, part=part)
    draft(engineer, part=part)
    plan(actor=manager)
    return {"claim": claim, "other": other, "customer": customer_a, "part": part}


def _comment_on(claim_key):
    def write(records, engineer):
        comment_add(claim=records[claim_key], actor=engineer, body="Checked.", internal=True)

    return write


def _touch(model):
    def write(records, engineer):
        model.objects.update(version=F("version") + 1)

    return write


def _touch_part(records, engineer):
    Part.objects.update(description=F("description"))


def _deliver(records, engineer):
    deliver(records["part"], dt.date(2025, 3, 10), 500)


def _touch_customer(records, engineer):
    Customer.objects.update(name=F("name"))


# (address, a write the part does not read, a write it reads)
CASES = {
    "claims list": (lambda r: reverse("claims:claim-list"), _comment_on("claim"), _touch(Claim)),
    "claim page": (
        lambda r: reverse("claims:claim-detail", args=[r["claim"].pk]),
        _deliver,
        _comment_on("claim"),
    ),
    "claims API list": (lambda r: "/api/v1/claims/", _comment_on("claim"), _touch(Claim)),
    "claim API detail": (
        lambda r: f"/api/v1/claims/{r['claim'].pk}/",
        _deliver,
        _touch(Claim),
    ),
    "dashboard": (
        lambda r: reverse("metrics:dashboard") + "?month=2025-03",
        _comment_on("claim"),
        _deliver,
    ),
    "scorecard": (
        lambda r: reverse("metrics:scorecard") + f"?month=2025-03&customer={r['customer'].pk}",
        _comment_on("claim"),
        _deliver,
    ),
    "KPI API": (
        lambda r: "/api/v1/metrics/kpis/?month=2025-03",
        _comment_on("claim"),
        _touch(Claim),
    ),
    "parts list": (lambda r: reverse("customers:part-list"), _comment_on("claim"), _touch_part),
    "changes list": (
        lambda r: reverse("changes:change-list"),
        _comment_on("claim"),
        _touch(ChangeRequest),
    ),
    "PPAP list": (
        lambda r: reverse("ppap:submission-list"),
        _comment_on("claim"),
        _touch(PpapSubmission),
    ),
    "audits list": (lambda r: reverse("audits:audit-list"), _comment_on("claim"), _touch(Audit)),
    "deviations list": (
        lambda r: reverse("changes:deviation-list"),
        _comment_on("claim"),
        _touch_customer,
    ),
}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.mark.parametrize("case", CASES)
def test_a_cached_part_follows_the_tables_it_shows(case, records, engineer, client_for):
    address, unrelated_write, related_write = CASES[case]
    url = address(records)
    client = client_for(engineer)  # the API accepts the signed-in browser's session too
    computed = _queries(client, url)
    served = _queries(client, url)
    assert served < computed, (case, served, computed)
    unrelated_write(records, engineer)
    assert _queries(client, url) == served, f"{case}: a write it does not show recomputed it"
    related_write(records, engineer)
    assert _queries(client, url) > served, f"{case}: a write it shows left it cached"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps one row per table")
def test_folding_keeps_every_tables_version():
    for number in range(3):
        PlantFactory(code=f"FPT{number}")
        CustomerFactory()
    tables = ["customers_plant", "customers_customer"]
    before = {table: data_version.version(tables=[table]) for table in tables}
    assert data_version.compact() > 0
    assert {table: data_version.version(tables=[table]) for table in tables} == before
