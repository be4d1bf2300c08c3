"""Test databases on PostgreSQL are copies of one migrated template database.

Migrating an empty database takes seconds of CPU (Django renders the model states of every
operation); copying a database with ``CREATE DATABASE … TEMPLATE`` takes well under one. So the
first pytest process that needs a test database migrates ``test_<NAME>_template`` once, and every
worker (pytest-xdist) and every later run with ``--create-db`` starts from a copy of it. The
template carries a fingerprint of all migration files: when one changes, it is built again. An
advisory lock lets only one process build it while the others wait for it.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction
from psycopg import sql

ALIAS = "default"


def applies() -> bool:
    return settings.DATABASES[ALIAS]["ENGINE"] == "django.db.backends.postgresql"


def template_name() -> str:
    return f"test_{settings.DATABASES[ALIAS]['NAME']}_template"


def test_database_name() -> str:
    database = settings.DATABASES[ALIAS]
    return database.get("TEST", {}).get("NAME") or f"test_{database['NAME']}"


def migrations_fingerprint() -> str:
    """What the template was built from: every migration file of every installed app."""
    digest = hashlib.sha256()
    for app_config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        folder = Path(app_config.path) / "migrations"
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{app_config.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _server_connection() -> psycopg.Connection:
    """A connection to the server's maintenance database, outside Django's test blocker."""
    database = settings.DATABASES[ALIAS]
    return psycopg.connect(
        dbname="postgres",
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        autocommit=True,
    )


def _comment(server: psycopg.Connection, name: str) -> str | None:
    row = server.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    ).fetchone()
    return row[0] if row else None


def _exists(server: psycopg.Connection, name: str) -> bool:
    row = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def _build(server: psycopg.Connection, name: str, fingerprint: str) -> None:
    quoted = sql.Identifier(name)
    _drop(server, name)
    server.execute(sql.SQL("CREATE DATABASE {}").format(quoted))
    # The data migrations write through the default connection: it points at the template.
    with _pointed_at(name):
        call_command("migrate", interactive=False, verbosity=0)
    # Only a complete build is marked: an interrupted one is built again next time.
    server.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(quoted, sql.Literal(fingerprint)))


def prepare(*, keep_existing: bool) -> None:
    """Make sure a current template exists and have the test database created as its copy.

    With ``keep_existing`` (``--reuse-db``) a test database that is already there is kept and
    migrated forward as usual; no template is needed for it.
    """
    if not applies():
        return
    name = template_name()
    with _server_connection() as server:
        if keep_existing and _exists(server, test_database_name()):
            return
        fingerprint = migrations_fingerprint()
        with _locked(server, name):
            if _comment(server, name) != fingerprint:
                _build(server, name, fingerprint)
    settings.DATABASES[ALIAS].setdefault("TEST", {})["TEMPLATE"] = name


@contextmanager
def module_database(django_db_blocker, label: str, *, seed: Seed | None = None):
    """Database access for a module-scoped fixture whose records every test of the module shares.

    On PostgreSQL the module gets a database of its own, a copy of the template: the fixture
    writes (and commits) there, every test runs in its own transaction as usual, and the copy is
    dropped when the module is done. The alternative, one transaction held open for the whole
    module with a savepoint per test, collects tens of thousands of subtransactions; past 64 of
    them PostgreSQL looks every recent row up in ``pg_subtrans`` for *every* session of the
    server, and the whole suite slows down for as long as the module runs.

    With a ``seed``, the copy is taken from a template seeded once per test run (``seeded``):
    every module that needs the same world shares one seeding. SQLite (no such costs) seeds
    inside a transaction that is rolled back at the end.
    """
    template = settings.DATABASES[ALIAS].get("TEST", {}).get("TEMPLATE")
    if not applies() or not template:
        with django_db_blocker.unblock(), transaction.atomic():
            try:
                if seed is not None:
                    seed.run()
                yield
            finally:
                transaction.set_rollback(True)
        return
    connection = connections[ALIAS]
    name = f"{connection.settings_dict['NAME']}_{label}"
    with django_db_blocker.unblock():
        source = seeded(seed) if seed is not None else template
        with _server_connection() as server:
            _copy(server, name, source)
        try:
            with _pointed_at(name):
                yield
        finally:
            with _server_connection() as server:
                _drop(server, name)


@dataclass(frozen=True)
class Seed:
    """A world to seed once per test run: ``key`` names it, ``run`` writes it."""

    key: str
    run: Callable[[], None]


def seeded(seed: Seed) -> str:
    """A template database holding ``seed``'s world, seeded by the first worker of the run that
    asks for it (the others wait for it under an advisory lock) and copied by every module."""
    base = settings.DATABASES[ALIAS]["TEST"]["TEMPLATE"]
    name = f"{base}_{seed.key}"
    wanted = f"{migrations_fingerprint()} run {_run_id()}"
    with _server_connection() as server, _locked(server, name):
        if _comment(server, name) != wanted:
            _copy(server, name, base)
            with _pointed_at(name), transaction.atomic():
                seed.run()
            quoted = sql.Identifier(name)
            server.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(quoted, sql.Literal(wanted))
            )
    return name


_PROCESS_RUN = uuid.uuid4().hex


def _run_id() -> str:
    """One id for all workers of a pytest-xdist run (one per process without xdist)."""
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or _PROCESS_RUN


@contextmanager
def _locked(server: psycopg.Connection, name: str):
    lock = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    server.execute("SELECT pg_advisory_lock(%s)", [lock])
    try:
        yield
    finally:
        server.execute("SELECT pg_advisory_unlock(%s)", [lock])


def _copy(server: psycopg.Connection, name: str, template: str) -> None:
    _drop(server, name)
    server.execute(
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)
        )
    )


def _drop(server: psycopg.Connection, name: str) -> None:
    server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def _pointed_at(name: str):
    """The default connection on database ``name`` (as Django's own test database setup does)."""
    connection = connections[ALIAS]
    real_name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = real_name
