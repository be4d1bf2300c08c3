"""PostgreSQL backups at volume: ``pg_dump``'s custom format and every stored file in one tar.

The portable archive (core.backup) serialises every row through Django and restores them one by
one, so every insert fires the data-version and delivery-month triggers again; that is what makes
it portable, and what makes it slow at volume. The dump leaves the rows to PostgreSQL:
``pg_restore`` loads each table with COPY before it creates the indexes and triggers, so nothing is
replayed. It restores into PostgreSQL only, of the same major version or a newer one.

The file is an uncompressed tar:

``manifest.json``
    format, creation time, the server's and pg_dump's versions, the applied migrations (app →
    latest migration), the exact number of rows per table (``count(*)`` in the dump's own
    snapshot), and the SHA-256 and size of every other member.
``database.pgdump``
    ``pg_dump --format=custom`` (compressed) of the whole database, schema and rows.
``media/<name>``
    every file of the default storage (folder or bucket), read through its API.

As in the archive, the rows of the sign-in sessions and of the sign-in throttle (axes) stay out:
browsers sign in again, stale lockouts are not re-applied. Their tables are in the dump, empty.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .backup import (
    MANIFEST_MEMBER,
    MEDIA_PREFIX,
    BackupError,
    HashingReader,
    add_member,
    applied_migrations,
    find_attachment_problems,
    is_safe_media_name,
    media_entries,
    private_file,
    problem_listing,
    stored_fingerprint,
    stored_names,
    unapplied_migrations,
    unknown_migrations,
    verify_attachments,
)
from .models import Attachment
from .storage import local_media_folder

FORMAT = "cqm-portal-pg-dump"
FORMAT_VERSION = 1
DUMP_MEMBER = "database.pgdump"
# Left out for the reasons the archive leaves them out (core.backup): sessions and sign-in throttle.
TABLES_WITHOUT_ROWS = ("django_session", "axes_*")
# libpq's environment variables for the connection options Django passes through.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}
# gzip level of pg_dump's custom format. Compressing is what a dump spends its time on; measured on
# the volume data (2 cores): level 1 took 50 s for 121 MB, the default level 95 s for 92 MB.
COMPRESSION_LEVEL = 1
TOOL_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")
SHOWN_LINES = 10


@dataclass
class DumpResult:
    path: Path
    size: int
    dump_bytes: int
    media_files: int
    media_bytes: int
    counts: dict[str, int]
    count_seconds: float
    attachment_problems: list[dict] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


@dataclass
class DumpRestoreResult:
    counts: dict[str, int]
    media_files: int
    attachments_verified: int
    jobs: int
    seconds: dict[str, float]
    migrated: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


# --- Which file is it -----------------------------------------------------------------------


def is_dump(path) -> bool:
    """Whether ``path`` is a tar whose manifest says it was written by ``create_dump``."""
    try:
        with tarfile.open(path, "r:") as archive:
            manifest = json.load(archive.extractfile(MANIFEST_MEMBER))
    except (OSError, KeyError, AttributeError, ValueError, tarfile.TarError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT


# --- PostgreSQL's own tools -----------------------------------------------------------------


def server_major(using: str = DEFAULT_DB_ALIAS) -> int:
    connection = connections[using]
    connection.ensure_connection()
    return connection.pg_version // 10000


def find_tool(name: str, at_least: int) -> tuple[str, int]:
    """The ``pg_dump``/``pg_restore`` to use: the oldest major version not older than ``at_least``.

    A tool older than the server refuses to dump it (or loses what it does not know); a much newer
    one works but writes archives older tools cannot read, so the closest version wins.
    """
    found: dict[str, int] = {}
    for candidate in _tool_candidates(name):
        if candidate in found:
            continue
        major = _tool_major(candidate)
        if major is not None:
            found[candidate] = major
    usable = sorted((major, path) for path, major in found.items() if major >= at_least)
    if usable:
        major, path = usable[0]
        return path, major
    if not found:
        raise BackupError(
            _(
                "%(tool)s was not found (searched CQM_PG_BIN_DIR, PATH and "
                "/usr/lib/postgresql/*/bin). Install PostgreSQL's client programs of version "
                "%(major)s or newer (Debian: postgresql-client-%(major)s), or choose "
                "--format=archive."
            )
            % {"tool": name, "major": at_least}
        )
    raise BackupError(
        _(
            "%(tool)s %(found)s is older than PostgreSQL %(major)s and cannot be used with it. "
            "Install the client programs of version %(major)s or newer (Debian: "
            "postgresql-client-%(major)s) or point CQM_PG_BIN_DIR at them."
        )
        % {
            "tool": name,
            "found": ", ".join(str(major) for major in sorted(set(found.values()))),
            "major": at_least,
        }
    )


def _tool_candidates(name: str) -> list[str]:
    candidates = []
    configured = getattr(settings, "CQM_PG_BIN_DIR", "")
    if configured:
        candidates.append(str(Path(configured) / name))
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    candidates.extend(sorted(glob(f"/usr/lib/postgresql/*/bin/{name}")))
    return [path for path in candidates if os.access(path, os.X_OK)]


def _tool_major(path: str) -> int | None:
    try:
        done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    match = TOOL_VERSION.search(done.stdout)
    return int(match.group(1)) if match else None


def libpq_env(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The environment that points libpq's tools at the database; the password stays out of argv."""
    database = connections[using].settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    for option, variable in LIBPQ_OPTIONS.items():
        value = (database.get("OPTIONS") or {}).get(option)
        if value:
            env[variable] = str(value)
    return env


def _tool_failure(tool: str, stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return _("%(tool)s failed:\n%(lines)s") % {
        "tool": tool,
        "lines": problem_listing(lines[-SHOWN_LINES:]),
    }


# --- Exact row counts -------------------------------------------------------------------------


def table_names(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Every ordinary table outside PostgreSQL's own schemas (schema-qualified unless public)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname, c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_%%'
            ORDER BY 1, 2
            """
        )
        return [name if schema == "public" else f"{schema}.{name}" for schema, name in cursor]


def row_counts(tables: list[str], using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """``count(*)`` per table: exact, unlike the planner's estimate in ``pg_class.reltuples``."""
    connection = connections[using]
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            quoted = ".".join(connection.ops.quote_name(part) for part in table.split("."))
            cursor.execute(f"SELECT count(*) FROM {quoted}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _has_rows_in_dump(table: str) -> bool:
    return not any(
        table == pattern or (pattern.endswith("*") and table.startswith(pattern[:-1]))
        for pattern in TABLES_WITHOUT_ROWS
    )


# --- Backup -------------------------------------------------------------------------------------


def _output_folder(output_dir) -> Path:
    folder = Path(output_dir or settings.CQM_BACKUP_DIR).resolve()
    media_folder = local_media_folder(default_storage)  # None: the files are in a bucket
    if media_folder and folder.is_relative_to(Path(media_folder).resolve()):
        # The backup would end up inside itself.
        raise BackupError(
            _("Write backups outside the media folder (%(path)s).") % {"path": folder}
        )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _require_postgresql(using: str) -> None:
    if connections[using].vendor != "postgresql":
        raise BackupError(
            _(
                "A database dump needs PostgreSQL; this database is %(vendor)s. Use "
                "--format=archive."
            )
            % {"vendor": connections[using].vendor}
        )


def create_dump(*, output_dir=None, using: str = DEFAULT_DB_ALIAS, now=None) -> DumpResult:
    """Write ``cqm-dump-<UTC timestamp>.tar`` into ``output_dir`` (default CQM_BACKUP_DIR)."""
    _require_postgresql(using)
    now = (now or timezone.now()).astimezone(dt.UTC)
    folder = _output_folder(output_dir)
    path = folder / f"cqm-dump-{now:%Y%m%dT%H%M%SZ}.tar"
    if path.exists():
        raise BackupError(_("%(path)s exists already; nothing was written.") % {"path": path})
    unapplied = unapplied_migrations(using)
    if unapplied:
        raise BackupError(
            _("The database lacks migrations (%(names)s): run `manage.py migrate` first.")
            % {"names": ", ".join(unapplied)}
        )
    major = server_major(using)
    pg_dump, pg_dump_major = find_tool("pg_dump", major)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(dir=folder, prefix=".cqm-dump-") as scratch:
        dump_path = Path(scratch) / DUMP_MEMBER
        snapshot = _dump_database(pg_dump, dump_path, using)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": now.isoformat().replace("+00:00", "Z"),
            "database_vendor": "postgresql",
            "server_major": major,
            "pg_dump_major": pg_dump_major,
            "tables_without_rows": list(TABLES_WITHOUT_ROWS),
            "migrations": snapshot["migrations"],
            "counts": snapshot["counts"],
        }
        try:
            with open(partial, "xb", opener=private_file) as raw:
                result = _write_tar(raw, dump_path, manifest, snapshot["attachments"], now)
        except FileExistsError as error:
            raise BackupError(
                _(
                    "%(path)s exists: another backup is being written, or an interrupted one "
                    "left it behind (then delete it)."
                )
                % {"path": partial}
            ) from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.replace(path)
    result.path = path
    result.size = path.stat().st_size
    result.count_seconds = snapshot["count_seconds"]
    return result


def _dump_database(pg_dump: str, dump_path: Path, using: str) -> dict:
    """Run pg_dump in an exported snapshot while this connection counts the rows in the same one.

    Rows, counts, migrations and the attachment list all see one moment, even while people work.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        # pg_dump reads committed rows only: what this transaction wrote would be missing.
        raise BackupError(_("A database dump cannot be made inside a transaction."))
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
        command = [
            pg_dump,
            "--format=custom",
            f"--compress={COMPRESSION_LEVEL}",
            f"--snapshot={snapshot_id}",
            f"--file={dump_path}",
            *(f"--exclude-table-data={pattern}" for pattern in TABLES_WITHOUT_ROWS),
        ]
        with tempfile.TemporaryFile() as stderr:
            process = subprocess.Popen(command, env=libpq_env(using), stderr=stderr)
            try:
                started = time.perf_counter()
                counts = row_counts([t for t in table_names(using) if _has_rows_in_dump(t)], using)
                count_seconds = time.perf_counter() - started
                migrations = applied_migrations(using)
                attachments = list(
                    Attachment._base_manager.using(using)
                    .order_by("pk")
                    .values_list("pk", "file", "sha256", "size")
                )
            except BaseException:
                process.kill()
                raise
            finally:
                # The snapshot lives as long as this transaction: wait for pg_dump inside it.
                process.wait()
            if process.returncode:
                stderr.seek(0)
                raise BackupError(_tool_failure("pg_dump", stderr.read().decode(errors="replace")))
    return {
        "counts": counts,
        "count_seconds": count_seconds,
        "migrations": migrations,
        "attachments": attachments,
    }


def _write_tar(raw, dump_path: Path, manifest: dict, attachments: list, now) -> DumpResult:
    files: dict[str, dict] = {}
    media: dict[str, dict] = {}
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        with dump_path.open("rb") as stream:
            dump_size = dump_path.stat().st_size
            files[DUMP_MEMBER] = add_member(archive, DUMP_MEMBER, stream, dump_size, now)
        for name in stored_names(default_storage):
            size = default_storage.size(name)
            with default_storage.open(name, "rb") as stream:
                media[name] = add_member(archive, MEDIA_PREFIX + name, stream, size, now)
            files[MEDIA_PREFIX + name] = media[name]
        problems = find_attachment_problems(attachments, media)
        manifest = {**manifest, "files": files, "attachment_problems": problems}
        encoded = json.dumps(manifest, indent=2, sort_keys=True).encode()
        add_member(archive, MANIFEST_MEMBER, io.BytesIO(encoded), len(encoded), now)
    return DumpResult(
        path=Path(raw.name),
        size=0,
        dump_bytes=dump_size,
        media_files=len(media),
        media_bytes=sum(entry["size"] for entry in media.values()),
        counts=manifest["counts"],
        count_seconds=0.0,
        attachment_problems=problems,
    )


# --- Restore ------------------------------------------------------------------------------------


def restore_dump(path, *, using: str = DEFAULT_DB_ALIAS, jobs: int = 0) -> DumpRestoreResult:
    """Rebuild an empty PostgreSQL database and an empty media storage from ``create_dump``'s tar.

    Checked before anything is written: the manifest, that this version of the portal knows the
    dump's migrations, the server version, every checksum, that the database has no tables and
    that no other file sits under a media name. Then pg_restore, the row counts against the
    manifest, the media files (each read back and compared), the attachments against their rows.
    """
    path = Path(path)
    _require_postgresql(using)
    jobs = jobs or os.cpu_count() or 1
    seconds: dict[str, float] = {}
    with _open_tar(path) as archive, _scratch_folder(path) as scratch:
        manifest = _read_manifest(archive)
        _check_compatibility(manifest, using)
        started = time.perf_counter()
        dump_path = _verify_and_extract(archive, manifest, Path(scratch))
        seconds["checksums"] = time.perf_counter() - started
        _require_empty_target(manifest, using)
        pg_restore, _major = find_tool(
            "pg_restore", max(server_major(using), manifest["pg_dump_major"])
        )
        started = time.perf_counter()
        _run_pg_restore(pg_restore, dump_path, jobs, using)
        seconds["pg_restore"] = time.perf_counter() - started
        started = time.perf_counter()
        counts = _verify_counts(manifest, using)
        seconds["row_counts"] = time.perf_counter() - started
        started = time.perf_counter()
        media_files = _restore_media(archive, manifest)
        verified, warnings = verify_attachments(manifest, using)
        seconds["media"] = time.perf_counter() - started
    migrated = unapplied_migrations(using)
    if migrated:
        # A dump of an older version: bring its schema up to this version's.
        call_command("migrate", database=using, interactive=False, verbosity=0)
    return DumpRestoreResult(
        counts=counts,
        media_files=media_files,
        attachments_verified=verified,
        jobs=jobs,
        seconds=seconds,
        migrated=migrated,
        warnings=warnings,
    )


@contextlib.contextmanager
def _open_tar(path: Path):
    try:
        archive = tarfile.open(path, "r:")  # noqa: SIM115 - closed below, errors told apart
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            _("%(path)s is not a readable backup archive: %(error)s")
            % {"path": path, "error": error}
        ) from error
    with archive:
        yield archive


@contextlib.contextmanager
def _scratch_folder(path: Path):
    """Beside the dump when that folder is writable (it has room for it), else the temp folder."""
    parent = path.resolve().parent
    folder = parent if os.access(parent, os.W_OK) else None
    with tempfile.TemporaryDirectory(dir=folder, prefix=".cqm-restore-") as scratch:
        yield scratch


def _read_manifest(archive) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST_MEMBER))
    except (KeyError, AttributeError, ValueError, tarfile.TarError) as error:
        raise BackupError(_("The archive has no readable manifest.json.")) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not a CQM Portal database dump."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _(
                "The dump has format version %(found)s; this version of the portal reads "
                "version %(supported)s. Restore it with the portal version that wrote it."
            )
            % {"found": manifest.get("format_version"), "supported": FORMAT_VERSION}
        )
    for key in ("migrations", "counts", "files"):
        if not isinstance(manifest.get(key), dict):
            raise BackupError(_("The archive's manifest lacks “%(key)s”.") % {"key": key})
    for key in ("server_major", "pg_dump_major"):
        if not isinstance(manifest.get(key), int):
            raise BackupError(_("The archive's manifest lacks “%(key)s”.") % {"key": key})
    if DUMP_MEMBER not in manifest["files"]:
        raise BackupError(_("The archive's manifest lists no database dump."))
    return manifest


def _check_compatibility(manifest: dict, using: str) -> None:
    unknown = unknown_migrations(manifest["migrations"])
    if unknown:
        raise BackupError(
            _(
                "The dump was made by a newer version of the portal (or one with other apps): "
                "this version does not know %(names)s. Restore it with that version or a newer "
                "one; nothing was restored."
            )
            % {"names": ", ".join(unknown)}
        )
    target = server_major(using)
    if target < manifest["server_major"]:
        raise BackupError(
            _(
                "The dump comes from PostgreSQL %(source)s; this server is PostgreSQL %(target)s. "
                "Restore it into PostgreSQL %(source)s or newer; nothing was restored."
            )
            % {"source": manifest["server_major"], "target": target}
        )


def _require_empty_target(manifest: dict, using: str) -> None:
    """A database without tables (pg_restore brings the schema) and no other file under a name."""
    connection = connections[using]
    tables = table_names(using)
    if tables:
        raise BackupError(
            _(
                "The database “%(name)s” already has tables (%(examples)s); a dump restores "
                "only into a database that was never migrated, so nothing was changed. Create a "
                "new database (`createdb <name>`), point DATABASE_URL at it and run the restore "
                "again without running `migrate` first."
            )
            % {"name": connection.settings_dict["NAME"], "examples": ", ".join(tables[:5])}
        )
    clashes = [
        name
        for name, expected in media_entries(manifest)
        if default_storage.exists(name) and stored_fingerprint(default_storage, name) != expected
    ]
    if clashes:
        raise BackupError(
            _(
                "The media storage already holds other files under the dump's names "
                "(%(names)s); nothing was changed. Point the media storage at an empty folder "
                "or bucket."
            )
            % {"names": ", ".join(clashes[:5])}
        )


def _verify_and_extract(archive, manifest: dict, scratch: Path) -> Path:
    """Every member listed, intact and nothing else; the database dump copied out on the way."""
    expected = manifest["files"]
    problems = []
    seen: set[str] = set()
    dump_path = scratch / DUMP_MEMBER
    for member in archive.getmembers():
        if member.name == MANIFEST_MEMBER and member.name not in seen:
            seen.add(member.name)
            continue
        if member.name in seen or member.name not in expected:
            problems.append(_("%(name)s: not listed in the manifest") % {"name": member.name})
            continue
        seen.add(member.name)
        if not member.isfile():
            problems.append(_("%(name)s: not a regular file") % {"name": member.name})
            continue
        reader = HashingReader(archive.extractfile(member))
        if member.name == DUMP_MEMBER:
            with dump_path.open("wb") as copy:
                shutil.copyfileobj(reader, copy, 1024 * 1024)
        else:
            reader.drain()
        if reader.fingerprint != expected[member.name]:
            problems.append(_("%(name)s: checksum or size differs") % {"name": member.name})
    for name in sorted(set(expected) - seen):
        problems.append(_("%(name)s: missing from the archive") % {"name": name})
    for name in expected:
        media_name = name.removeprefix(MEDIA_PREFIX)
        if name != DUMP_MEMBER and not (
            name.startswith(MEDIA_PREFIX) and is_safe_media_name(media_name)
        ):
            problems.append(_("%(name)s: not an allowed file name") % {"name": name})
    if problems:
        raise BackupError(
            _("The archive is damaged or was altered; nothing was restored.\n%(problems)s")
            % {"problems": problem_listing(problems)}
        )
    return dump_path


def _run_pg_restore(pg_restore: str, dump_path: Path, jobs: int, using: str) -> None:
    database = connections[using].settings_dict["NAME"]
    # Django's connection would hold the database open through the restore: not needed there.
    connections[using].close()
    command = [
        pg_restore,
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        f"--jobs={jobs}",
        f"--dbname={database}",
        str(dump_path),
    ]
    done = subprocess.run(command, env=libpq_env(using), capture_output=True, text=True)
    if done.returncode:
        raise BackupError(
            _tool_failure("pg_restore", done.stderr)
            + "\n"
            + _(
                "The database “%(name)s” may hold part of the dump now: drop it, create it anew "
                "and run the restore again."
            )
            % {"name": database}
        )


def _verify_counts(manifest: dict, using: str) -> dict[str, int]:
    expected = manifest["counts"]
    present = set(table_names(using))
    counts = row_counts([table for table in expected if table in present], using)
    differences = [
        _("%(table)s: %(found)s rows restored, %(expected)s in the dump")
        % {"table": table, "found": counts.get(table, _("no table")), "expected": rows}
        for table, rows in expected.items()
        if counts.get(table) != rows
    ]
    if differences:
        raise BackupError(
            _("The restored rows do not match the dump's manifest.\n%(list)s")
            % {"list": problem_listing(differences)}
        )
    return counts


def _restore_media(archive, manifest: dict) -> int:
    """Each file written through the storage, read back and compared with the manifest."""
    written: list[str] = []
    restored = 0
    try:
        for name, expected in media_entries(manifest):
            restored += 1
            if default_storage.exists(name):
                continue  # the same file, as _require_empty_target made sure
            with archive.extractfile(MEDIA_PREFIX + name) as stream:
                saved_as = default_storage.save(name, File(stream, name=os.path.basename(name)))
            written.append(saved_as)
            if saved_as != name or stored_fingerprint(default_storage, name) != expected:
                raise BackupError(
                    _("%(name)s was not stored intact (stored as %(saved)s).")
                    % {"name": name, "saved": saved_as}
                )
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return restored
