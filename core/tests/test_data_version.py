"""The data version moves with every write, whatever the path, and cached figures follow it."""

import datetime as dt
import re

import psycopg
import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from claims.tests.factories import decided_claim
from core import data_version
from core.models import DataChange
from core.tracked import tracked_tables
from customers.models import Plant
from customers.tests.factories import PartFactory, PlantFactory
from metrics.dashboard import dashboard_content, scorecard_content
from metrics.tests.factories import deliver

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL log; SQLite keeps a single row"
)


class Counter:
    """A computation that says how often it ran."""

    def __init__(self):
        self.runs = 0

    def __call__(self):
        self.runs += 1
        return f"result {self.runs}"


def test_every_kind_of_write_moves_the_version():
    seen = [data_version.version()]
    plant = Plant.objects.create(code="DV1", name="First")
    seen.append(data_version.version())
    Plant.objects.filter(pk=plant.pk).update(name=F("code"))  # bulk, no signals
    seen.append(data_version.version())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE customers_plant SET city = 'Linz'")
    seen.append(data_version.version())
    plant.delete()
    seen.append(data_version.version())
    assert len(set(seen)) == len(seen), seen


def test_reads_and_untracked_tables_leave_the_version_alone(engineer):
    before = data_version.version()
    list(Plant.objects.all())
    engineer.last_login = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    engineer.save(update_fields=["last_login"])  # every sign-in writes this
    assert data_version.version() == before


def test_a_change_of_role_moves_the_version(engineer):
    """What a user may see and do depends on their role and company: cached pages follow them."""
    before = data_version.version()
    engineer.role = "manager"
    engineer.save(update_fields=["role"])
    assert data_version.version() != before


@postgresql_only
def test_every_product_table_has_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [data_version.TRIGGER],
        )
        triggered = {row[0] for row in cursor.fetchall()}
    tracked = set(tracked_tables())
    assert {"claims_claim", "metrics_delivery", "ppap_ppapsubmission", "core_action"} <= tracked
    assert triggered == tracked
    assert not any("historical" in table for table in tracked)


@postgresql_only
def test_folding_keeps_the_version_and_leaves_few_rows():
    for number in range(5):
        Plant.objects.create(code=f"DVF{number}", name="Folded")
    before = data_version.version()
    rows = DataChange.objects.count()
    folded = data_version.compact()
    assert folded == rows - 1
    assert DataChange.objects.count() == 2  # the fold and the newest row
    assert data_version.version() == before
    assert data_version.compact() == 0  # nothing left to fold
    Plant.objects.create(code="DVF9", name="After")
    assert data_version.version() != before


def test_cached_computes_once_per_version():
    compute = Counter()
    assert data_version.cached("test", ("a",), compute) == "result 1"
    assert data_version.cached("test", ("a",), compute) == "result 1"
    assert data_version.cached("test", ("b",), compute) == "result 2"
    PlantFactory()
    assert data_version.cached("test", ("a",), compute) == "result 3"
    with translation.override("de"):
        assert data_version.cached("test", ("a",), compute) == "result 4"
    assert compute.runs == 4


def test_figures_cached_in_a_rolled_back_transaction_are_never_served():
    compute = Counter()
    with pytest.raises(RuntimeError), transaction.atomic():
        PlantFactory()
        assert data_version.cached("test", (), compute) == "result 1"
        raise RuntimeError("roll back")
    PlantFactory()  # the same number of writes as inside the rolled-back block
    assert data_version.cached("test", (), compute) == "result 2"


@postgresql_only
def test_a_seeded_random_does_not_repeat_a_version():
    """The volume seed seeds random() to repeat its data; the versions must not repeat with it."""

    def seeded_write() -> str:
        with pytest.raises(RuntimeError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT setseed(0.5)")
            PlantFactory()
            seen.append(data_version.version())
            raise RuntimeError("roll back")

    seen = []
    seeded_write()
    seeded_write()
    assert seen[0] != seen[1]


def test_a_broken_cache_serves_the_figures_without_it(settings):
    # A cache server that is not there (nothing listens on port 9 of this machine).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    compute = Counter()
    assert data_version.cached("test", (), compute) == "result 1"
    assert data_version.cached("test", (), compute) == "result 2"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_commit_from_another_connection_moves_the_version():
    """Another session's write counts only once it commits, and then always."""
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
    )
    try:
        before = data_version.version()
        with other.cursor() as cursor:
            cursor.execute("INSERT INTO customers_plant (code, name, city, country, time_zone, "
                           "is_active) VALUES ('DVC', 'Other', '', '', 'UTC', true)")  # fmt: skip
        assert data_version.version() == before  # not committed yet
        other.commit()
        assert data_version.version() != before
    finally:
        other.close()


# --- the figures that are cached ----------------------------------------------------------------


def _tables_read(compute) -> set[str]:
    with CaptureQueriesContext(connection) as captured:
        compute()
    tables = set()
    for query in captured.captured_queries:
        tables |= set(re.findall(r'(?:FROM|JOIN) "([a-z0-9_]+)"', query["sql"]))
    return tables - {"core_datachange"}


def test_cached_figures_read_only_tracked_tables(customer_a, engineer):
    """A figure read from a table without the trigger would stay stale after that table changed."""
    part = PartFactory(customer=customer_a)
    deliver(part, dt.date(2025, 3, 3), 10_000)
    decided_claim(part, dt.date(2025, 3, 5), 2, actor=engineer)
    month = dt.date(2025, 3, 1)
    tracked = set(tracked_tables())
    read = _tables_read(lambda: dashboard_content(month, 12, None, None))
    read |= _tables_read(lambda: dashboard_content(month, 24, customer_a, part.plant))
    read |= _tables_read(lambda: scorecard_content(customer_a, month))
    assert {"claims_claim", "metrics_deliverymonth", "claims_eightdstep"} <= read
    # Content types are written by migrate alone, for new models: no figure moves with them.
    assert read - {"django_content_type"} <= tracked, read - tracked
