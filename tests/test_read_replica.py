"""The portal against a real streaming replica: the heavy reads go there, nothing else does.

A fresh PostgreSQL primary and hot standby (``tests/pg_replica.py``) get the portal's schema; a
subprocess runs the portal with ``DATABASE_URL`` on the primary and ``DATABASE_REPLICA_URL`` on
the standby, writes through the services, waits for the standby to replay, and reports which
connection each page's statements used. The assertions are here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connections

from tests import pg_replica

pytestmark = pytest.mark.skipif(
    pg_replica.missing_reason() is not None, reason=pg_replica.missing_reason() or ""
)

PROBE = r"""
import json
import sys
import time

import django

django.setup()
from django.db import connections, transaction
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from claims.models import Claim
from claims.tests.factories import file_claim
from core import replica
from customers.tests.factories import CustomerFactory, PartFactory
from metrics import selectors
from metrics.dashboard import last_complete_month
from metrics.models import Delivery
from metrics.services import deliveries_import
from tests.pg_replica import ReplicaPair

setup_test_environment()
pair = ReplicaPair(primary_port=int(sys.argv[1]), standby_port=int(sys.argv[2]))
WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "COPY", "CREATE", "ALTER", "DROP")
FIGURE_TABLES = ('"metrics_delivery"', '"metrics_deliverymonth"', '"claims_claim"')
report = {"replica_writes": []}
month = last_complete_month()


def delivery(note, quantity):
    return {
        "delivery_note": note,
        "customer_code": "AUTOWERK",
        "part_number": "4711-100",
        "ship_date": month.replace(day=15).isoformat(),
        "quantity": quantity,
    }


def figure_reads(queries):
    return [q["sql"] for q in queries if any(table in q["sql"] for table in FIGURE_TABLES)]


def observed(name, action):
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(
        connections["replica"]
    ) as standby:
        result = action()
    report["replica_writes"] += [
        q["sql"] for q in standby.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]
    report[name] = {
        "primary": len(primary.captured_queries),
        "replica": len(standby.captured_queries),
        "primary_figure_reads": figure_reads(primary.captured_queries),
        "replica_figure_reads": len(figure_reads(standby.captured_queries)),
        "primary_writes": sum(
            q["sql"].lstrip().upper().startswith(WRITES) for q in primary.captured_queries
        ),
    }
    return result


def dashboard_totals(figures):
    delivered = sum(counts.delivered for counts in figures.months.values())
    return {"delivered": delivered, "open_claims": figures.kpis.open_claims}


# Writes through the services, as the portal makes them.
customer = CustomerFactory(name="Autowerk AG", code="AUTOWERK")
part = PartFactory(customer=customer, part_number="4711-100")
manager = UserFactory(email="manager@example.com", role=Role.MANAGER)
engineer = UserFactory(email="engineer@example.com", role=Role.ENGINEER)
claim = file_claim(actor=engineer, part=part, detection_date=month.replace(day=3))
assert deliveries_import(rows=[delivery("DN-1", 2400), delivery("DN-2", 600)], actor=engineer).ok

# Read your own writes: this unit has written, so a marked read still goes to the primary.
report["own_writes_alias"] = replica.read_alias()
with replica.reads():
    report["own_writes_read"] = observed("own_writes", lambda: Claim.objects.count())

pair.wait_for_replay()
client = Client()
client.force_login(manager)

response = observed("dashboard", lambda: client.get(reverse("metrics:dashboard")))
report["dashboard_status"] = response.status_code
report["dashboard_figures"] = dashboard_totals(response.context["figures"])
report["primary_figures"] = dashboard_totals(
    selectors.dashboard_figures(month, months=12, customer=None, plant=None)
)
report["primary_delivered"] = Delivery.objects.aggregate(total=Sum("quantity"))["total"]

response = observed("ppm_api", lambda: client.get("/api/v1/metrics/ppm/"))
report["ppm_status"] = response.status_code
report["ppm_delivered"] = sum(period["delivered"] for period in response.json()["periods"])

response = observed("kpis_api", lambda: client.get(f"/api/v1/metrics/kpis/?month={month:%Y-%m}"))
report["kpis_status"] = response.status_code

response = client.get(reverse("claims:claim-export"))
csv_text = observed("export", lambda: b"".join(response.streaming_content).decode("utf-8-sig"))
report["export_status"] = response.status_code
report["export_has_claim"] = claim.number in csv_text

# A write service runs on the primary alone, also inside a block marked for the replica: its
# reads are inside its transaction.
with replica.reads():
    second = observed("write_service", lambda: file_claim(actor=engineer, part=part))
report["second_claim_on_primary"] = Claim.objects.filter(pk=second.pk).exists()


def read_inside_transaction():
    with transaction.atomic(), replica.reads():
        return Claim.objects.count()


replica.start_unit_of_work()
report["transaction_read"] = observed("inside_transaction", read_inside_transaction)

# A lagging replica: the dashboard computed there while the standby holds back must not stay
# cached once the standby has caught up.
with connections["replica"].cursor() as cursor:
    cursor.execute("SELECT pg_wal_replay_pause()")
assert deliveries_import(rows=[delivery("DN-3", 1000)], actor=engineer).ok
# The standby pauses before it replays the next record it receives: the new delivery's.
with connections["replica"].cursor() as cursor:
    for _attempt in range(500):
        cursor.execute("SELECT pg_get_wal_replay_pause_state()")
        if cursor.fetchone()[0] == "paused":
            break
        time.sleep(0.02)
lagging = observed("lagging", lambda: client.get(reverse("metrics:dashboard")))
report["lagging_delivered"] = dashboard_totals(lagging.context["figures"])["delivered"]
with connections["replica"].cursor() as cursor:
    cursor.execute("SELECT pg_wal_replay_resume()")
pair.wait_for_replay()
caught_up = client.get(reverse("metrics:dashboard"))
report["caught_up_delivered"] = dashboard_totals(caught_up.context["figures"])["delivered"]
report["total_delivered"] = Delivery.objects.aggregate(total=Sum("quantity"))["total"]

print(json.dumps(report))
"""


def _load_portal_schema(url: str) -> None:
    """The migrated test database (schema, triggers) copied into ``url``'s database: a second
    or two, where ``migrate`` takes minutes of CPU on a busy machine."""
    dump = subprocess.Popen(
        ["pg_dump", "--no-owner", "--no-privileges", *_migrated_database()],
        stdout=subprocess.PIPE,
        env={**os.environ, "PGPASSWORD": connections["default"].settings_dict["PASSWORD"] or ""},
    )
    restore = subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", url.replace("postgres://", "postgresql://")],
        stdin=dump.stdout,
        capture_output=True,
        text=True,
        timeout=60,
    )
    dump.stdout.close()
    assert dump.wait(timeout=60) == 0, "pg_dump of the test database failed"
    assert restore.returncode == 0, restore.stderr


def _migrated_database() -> list[str]:
    """pg_dump's connection arguments for this process's test database.

    Not the template it was copied from: another pytest worker may be copying the template at
    this moment, which PostgreSQL refuses while anyone else is connected to it.
    """
    database = connections["default"].settings_dict
    return [
        *("-h", database.get("HOST") or "127.0.0.1", "-p", str(database.get("PORT") or 5432)),
        *("-U", database.get("USER") or "postgres", "-d", database["NAME"]),
    ]


def _portal_env(url: str, *, replica_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_URL", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cqm_portal.settings_test",
        DATABASE_URL=url,
        DATABASE_REPLICA_URL=replica_url,
    )
    return env


def _portal(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result


@pytest.fixture(scope="module")
def probe(django_db_setup, tmp_path_factory):
    """What the portal did against a real primary and hot standby (see PROBE)."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the replica's schema is copied from the PostgreSQL test database")
    started = time.monotonic()
    with pg_replica.replica_pair(_load_portal_schema) as pair:
        ready = time.monotonic() - started
        env = _portal_env(pair.primary_url, replica_url=pair.standby_url)
        env["CQM_VAR_DIR"] = str(tmp_path_factory.mktemp("replica-var"))
        ports = [str(pair.primary_port), str(pair.standby_port)]
        result = _portal(["-c", PROBE, *ports], env)
    print(f"replica pair with the portal schema ready in {ready:.1f} s")
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_dashboard_figures_are_read_from_the_replica(probe):
    assert probe["dashboard_status"] == 200
    assert probe["dashboard"]["replica_figure_reads"] > 0
    assert probe["dashboard"]["primary_figure_reads"] == []


def test_the_dashboard_shows_what_the_primary_holds(probe):
    assert probe["dashboard_figures"] == probe["primary_figures"]
    assert probe["dashboard_figures"]["delivered"] == probe["primary_delivered"] == 3000
    assert probe["dashboard_figures"]["open_claims"] == 1


def test_the_ppm_and_kpi_api_read_from_the_replica(probe):
    assert probe["ppm_status"] == probe["kpis_status"] == 200
    assert probe["ppm_delivered"] == 3000
    for name in ("ppm_api", "kpis_api"):
        assert probe[name]["replica_figure_reads"] > 0, name
        assert probe[name]["primary_figure_reads"] == [], name


def test_a_csv_export_streams_from_the_replica(probe):
    assert probe["export_status"] == 200
    assert probe["export_has_claim"] is True
    assert probe["export"]["replica_figure_reads"] > 0
    assert probe["export"]["primary_figure_reads"] == []


def test_nothing_is_written_to_the_replica(probe):
    assert probe["replica_writes"] == []


def test_a_write_service_runs_on_the_primary_alone(probe):
    assert probe["write_service"]["replica"] == 0
    assert probe["write_service"]["primary_writes"] > 0
    assert probe["second_claim_on_primary"] is True


def test_a_read_inside_a_transaction_uses_the_primary(probe):
    assert probe["inside_transaction"]["replica"] == 0
    assert probe["inside_transaction"]["primary"] >= 1
    assert probe["transaction_read"] == 2


def test_a_unit_that_wrote_reads_its_own_writes_from_the_primary(probe):
    assert probe["own_writes_alias"] == "default"
    assert probe["own_writes"]["replica"] == 0
    assert probe["own_writes_read"] == 1


def test_a_figure_computed_on_a_lagging_replica_is_not_kept_once_it_caught_up(probe):
    assert probe["lagging"]["replica_figure_reads"] > 0
    assert probe["lagging_delivered"] == 3000  # the standby had not replayed the new delivery
    assert probe["caught_up_delivered"] == probe["total_delivered"] == 4000
