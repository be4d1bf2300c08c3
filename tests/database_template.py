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
from pathlib import Path

import psycopg
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connections
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
    server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(quoted))
    server.execute(sql.SQL("CREATE DATABASE {}").format(quoted))
    # As Django's own test database creation does: the data migrations write through the
    # default connection, so it points at the template while it is built.
    connection = connections[ALIAS]
    real_name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        call_command("migrate", interactive=False, verbosity=0)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = real_name
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
        lock = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        server.execute("SELECT pg_advisory_lock(%s)", [lock])
        try:
            if _comment(server, name) != fingerprint:
                _build(server, name, fingerprint)
        finally:
            server.execute("SELECT pg_advisory_unlock(%s)", [lock])
    settings.DATABASES[ALIAS].setdefault("TEST", {})["TEMPLATE"] = name
