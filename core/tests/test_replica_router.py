"""Where ``ReplicaRouter`` sends reads and writes, decided without a real replica.

The alias is configured for a test by adding it to the connection settings (never opened here:
the router only names databases). The streaming replica itself is exercised in
tests/test_read_replica.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connections, transaction

from claims.models import Claim
from core import data_version, replica
from core.replica import PRIMARY, REPLICA, ReplicaRouter
from customers.models import Customer

router = ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    """The replica alias configured, as ``DATABASE_REPLICA_URL`` does; the unit has not written."""
    monkeypatch.setitem(connections.settings, REPLICA, dict(connections.settings[PRIMARY]))
    replica.start_unit_of_work()
    yield
    replica.start_unit_of_work()


class TestWithoutReplica:
    def test_the_router_has_no_opinion(self):
        with replica.reads():
            assert router.db_for_read(Claim) is None
        assert router.db_for_write(Claim) is None

    def test_marked_reads_stay_on_the_primary(self):
        with replica.reads():
            assert replica.read_alias() == PRIMARY


SETTINGS_PROBE = """
import json
from cqm_portal import settings
print(json.dumps({
    "databases": {alias: dict(db) for alias, db in settings.DATABASES.items()},
    "routers": getattr(settings, "DATABASE_ROUTERS", []),
}))
"""


def _settings_with(**environment) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")}
    env.update(DATABASE_URL="postgres://cqm@db.example.com:5432/cqm", **environment)
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class TestSettings:
    def test_without_a_replica_url_there_is_one_database_and_no_router(self):
        configured = _settings_with()
        assert list(configured["databases"]) == [PRIMARY]
        assert configured["routers"] == []

    def test_a_replica_url_adds_the_alias_and_the_router(self):
        configured = _settings_with(
            DATABASE_REPLICA_URL="postgres://cqm@replica.example.com:5432/cqm",
            DJANGO_CONN_MAX_AGE="30",
        )
        primary, standby = configured["databases"][PRIMARY], configured["databases"][REPLICA]
        assert configured["routers"] == ["core.replica.ReplicaRouter"]
        assert standby["HOST"] == "replica.example.com"
        assert primary["HOST"] == "db.example.com"
        for option in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "ATOMIC_REQUESTS"):
            assert standby[option] == primary[option], option
        assert standby["CONN_MAX_AGE"] == 30
        assert "default_transaction_read_only=on" in standby["OPTIONS"]["options"]
        assert "OPTIONS" not in primary or "options" not in primary["OPTIONS"]
        # The test runner uses the one test database for both.
        assert standby["TEST"] == {"MIRROR": PRIMARY}


@pytest.mark.usefixtures("with_replica")
class TestReads:
    def test_marked_reads_go_to_the_replica(self):
        with replica.reads():
            assert router.db_for_read(Claim) == REPLICA
            assert router.db_for_read(Customer) == REPLICA

    def test_unmarked_reads_go_to_the_primary(self):
        assert router.db_for_read(Claim) == PRIMARY

    def test_the_mark_ends_with_its_block(self):
        with replica.reads():
            pass
        assert router.db_for_read(Claim) == PRIMARY

    def test_a_related_record_of_a_replica_record_is_read_on_the_primary_outside_the_block(self):
        claim = Claim()
        claim._state.db = REPLICA
        assert router.db_for_read(Customer, instance=claim) == PRIMARY

    def test_the_decorator_marks_its_function(self):
        @replica.reading
        def figure():
            return router.db_for_read(Claim)

        assert figure() == REPLICA
        assert router.db_for_read(Claim) == PRIMARY

    def test_a_stream_is_marked_only_while_an_item_is_produced(self):
        def rows():
            for _ in range(2):
                yield router.db_for_read(Claim)

        seen_between = []
        for alias in replica.read_each(rows()):
            seen_between.append((alias, replica.read_alias()))
        assert seen_between == [(REPLICA, PRIMARY), (REPLICA, PRIMARY)]


@pytest.mark.usefixtures("with_replica")
class TestReadYourOwnWrites:
    def test_after_a_write_marked_reads_go_to_the_primary(self):
        assert router.db_for_write(Claim) == PRIMARY
        with replica.reads():
            assert router.db_for_read(Customer) == PRIMARY

    def test_a_new_request_or_task_reads_from_the_replica_again(self):
        router.db_for_write(Claim)
        replica.start_unit_of_work()
        with replica.reads():
            assert router.db_for_read(Claim) == REPLICA

    def test_a_block_that_never_reads_its_units_writes_may_use_the_replica(self):
        router.db_for_write(Claim)
        with replica.reads(despite_own_writes=True):
            assert router.db_for_read(Claim) == REPLICA

    def test_an_eagerly_run_task_keeps_what_its_request_wrote(self):
        class EagerRequest:
            is_eager = True

        class Task:
            request = EagerRequest()

        router.db_for_write(Claim)
        replica._start_task(task=Task())
        with replica.reads():
            assert router.db_for_read(Claim) == PRIMARY


@pytest.mark.usefixtures("with_replica")
class TestInsideAWrite:
    # One test: outside the test's own transaction, a database flush follows (slow).
    @pytest.mark.django_db(transaction=True)
    def test_reads_and_figure_versions_inside_a_transaction_use_the_primary(self):
        def replica_versions():
            raise AssertionError("the replica is not asked")

        with replica.reads():
            assert router.db_for_read(Claim) == REPLICA
            with transaction.atomic():
                assert router.db_for_read(Claim) == PRIMARY
                assert data_version._dating("primary", replica_versions) == "primary"
            assert router.db_for_read(Claim) == REPLICA
        with transaction.atomic(), replica.reads(despite_own_writes=True):
            assert router.db_for_read(Claim) == PRIMARY


@pytest.mark.usefixtures("with_replica")
class TestWritesAndSchema:
    def test_writes_go_to_the_primary_also_inside_a_marked_block(self):
        claim = Claim()
        claim._state.db = REPLICA
        with replica.reads():
            assert router.db_for_write(Claim, instance=claim) == PRIMARY

    def test_records_of_both_databases_may_refer_to_each_other(self):
        on_replica, on_primary = Customer(), Claim()
        on_replica._state.db, on_primary._state.db = REPLICA, PRIMARY
        assert router.allow_relation(on_replica, on_primary) is True
        elsewhere = Claim()
        elsewhere._state.db = "archive"
        assert router.allow_relation(on_replica, elsewhere) is None

    def test_only_the_primary_is_migrated(self):
        assert router.allow_migrate(PRIMARY, "claims") is True
        assert router.allow_migrate(REPLICA, "claims") is False


@pytest.mark.usefixtures("with_replica")
class TestFigureVersions:
    """A cached figure is dated with the versions of the database it is computed from."""

    def test_a_figure_computed_on_the_replica_is_dated_with_the_replicas_versions(self):
        asked = []

        def replica_versions():
            asked.append(replica.read_alias())
            return "replica-version"

        with replica.reads():
            assert data_version._dating("primary-version", replica_versions) == "replica-version"
        assert asked == [REPLICA]

    def test_a_figure_computed_on_the_primary_is_dated_with_the_primarys_versions(self):
        def replica_versions():
            raise AssertionError("the replica is not asked")

        assert data_version._dating("primary-version", replica_versions) == "primary-version"
