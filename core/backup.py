"""Backups of the whole portal: every record and every stored file in one archive, and the restore.

The archive is an uncompressed tar (its parts are compressed where that pays off):

``manifest.json``
    format version, creation time, the applied migrations (app → latest migration), the number of
    records per model, and the SHA-256 and size of every other member.
``database.json.gz``
    every record through Django's serializers: a JSON array with one record per line, so plain
    ``manage.py loaddata`` reads it too, while backup and restore stream it with bounded memory.
``media/<name>``
    every file of the default storage (attachments, generated reports), read through its API.

The records travel as serialized objects, not as a database dump, so an archive made on PostgreSQL
restores into the embedded SQLite mode and back.

Left out on purpose:

- ``contenttypes`` and ``auth.Permission``: ``migrate`` creates them on the target, possibly under
  other ids, so records refer to them by natural key (app label and model, codename).
- ``sessions``: the signed-in browsers of the old installation; people sign in again.
- ``axes`` (sign-in attempts and logs): the throttle's working data, which axes prunes itself;
  restoring it would re-apply stale lockouts.
- ``django_celery_beat.PeriodicTasks``: beat's "a schedule changed" marker, rewritten whenever a
  schedule is saved (the restore does so). Celery keeps task results outside the database.

Every other table keeps its primary keys: generic relations (``object_id``), the copied ids in the
history tables and the addresses people bookmarked all depend on them, so natural keys stand in only
for the two recreated tables above.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import posixpath
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import Serializer as JSONSerializer
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attachment

FORMAT = "cqm-portal-backup"
FORMAT_VERSION = 1
MANIFEST_MEMBER = "manifest.json"
DATABASE_MEMBER = "database.json.gz"
MEDIA_PREFIX = "media/"

EXCLUDED_APPS = frozenset({"contenttypes", "sessions", "axes"})
# Written by triggers as the rows they follow are restored: delivery months, the data change log.
EXCLUDED_MODELS = frozenset(
    {
        "auth.permission",
        "django_celery_beat.periodictasks",
        "metrics.deliverymonth",
        "core.datachange",
    }
)
# Tables that `migrate` fills with rows of its own; records point at them by natural key.
RECREATED_BY_MIGRATE = frozenset({"contenttypes.contenttype", "auth.permission"})
# Schedules are data our migrations write (DESIGN §7): a freshly migrated database already holds
# them, so they do not make a database "not empty"; the archive's schedules replace them.
MIGRATION_SEEDED_APPS = frozenset({"django_celery_beat"})

CHUNK_SIZE = 2000
READ_BUFFER = 1024 * 1024
SHOWN_PROBLEMS = 10


class BackupError(Exception):
    """A backup cannot be written or an archive cannot be restored; nothing was changed."""


@dataclass
class ArchiveCounts:
    """What an archive holds, as written or as restored: rows per model and media files."""

    counts: dict[str, int]
    media_files: int

    @property
    def records(self) -> int:
        return sum(self.counts.values())


@dataclass
class BackupResult(ArchiveCounts):
    path: Path
    size: int
    media_bytes: int
    attachment_problems: list[dict] = field(default_factory=list)


@dataclass
class RestoreResult(ArchiveCounts):
    attachments_verified: int
    warnings: list[str] = field(default_factory=list)


# --- What is backed up ----------------------------------------------------------------------


def backed_up_models(using: str = DEFAULT_DB_ALIAS) -> list:
    """The models whose rows go into an archive, in INSTALLED_APPS order."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in EXCLUDED_APPS
        and model._meta.label_lower not in EXCLUDED_MODELS
        and router.allow_migrate_model(using, model)
    ]


def _table_names(models: Iterable) -> list[str]:
    """The tables of ``models`` and of their automatic many-to-many tables."""
    tables = []
    for model in models:
        tables.append(model._meta.db_table)
        tables.extend(
            m2m.remote_field.through._meta.db_table
            for m2m in model._meta.local_many_to_many
            if m2m.remote_field.through._meta.auto_created
        )
    return tables


def _refers_by_natural_key(model) -> bool:
    return model._meta.label_lower in RECREATED_BY_MIGRATE


class _ArchiveSerializer(JSONSerializer):
    """Django's JSON serializer with one record per line and natural keys for recreated tables."""

    def start_serialization(self):
        self._init_options()
        self.stream.write("[\n")

    def end_object(self, obj):
        if not self.first:
            self.stream.write(",\n")
        json.dump(self.get_dump_object(obj), self.stream, **self.json_kwargs)
        self._current = None

    def end_serialization(self):
        self.stream.write("\n]\n")

    def handle_fk_field(self, obj, field):
        if not _refers_by_natural_key(field.remote_field.model):
            self._current[field.name] = self._value_from_field(obj, field)
            return
        related_id = getattr(obj, field.attname)
        if related_id is None:
            self._current[field.name] = None
        elif field.remote_field.model._meta.label_lower == "contenttypes.contenttype":
            # The content type cache answers without a query per row.
            manager = field.remote_field.model.objects.db_manager(obj._state.db)
            self._current[field.name] = manager.get_for_id(related_id).natural_key()
        else:
            self._current[field.name] = getattr(obj, field.name).natural_key()

    def handle_m2m_field(self, obj, field):
        # The parent class reads the flag for the whole dump; it applies to this field only.
        self.use_natural_foreign_keys = _refers_by_natural_key(field.remote_field.model)
        try:
            super().handle_m2m_field(obj, field)
        finally:
            self.use_natural_foreign_keys = False


def _rows(model, using: str) -> Iterator:
    queryset = model._base_manager.using(using).order_by("pk")
    for m2m in model._meta.local_many_to_many:
        if not (m2m.serialize and m2m.remote_field.through._meta.auto_created):
            continue
        related = m2m.remote_field.model
        if _refers_by_natural_key(related):
            # A natural key reads the related row's own foreign keys (a permission's content type).
            related_rows = related._base_manager.select_related()
            queryset = queryset.prefetch_related(Prefetch(m2m.name, queryset=related_rows))
        else:
            queryset = queryset.prefetch_related(m2m.name)
    return queryset.iterator(chunk_size=CHUNK_SIZE)


def _dump_records(path: Path, models: list, using: str) -> dict[str, int]:
    counts: dict[str, int] = {}

    def every_row():
        for model in models:
            label = model._meta.label_lower
            counts[label] = 0
            for row in _rows(model, using):
                counts[label] += 1
                yield row

    with gzip.open(path, "wt", encoding="utf-8", newline="\n") as stream:
        _ArchiveSerializer().serialize(every_row(), stream=stream)
    return counts


def _records_in(stream) -> Iterator[dict]:
    """The records of a dump written by ``_ArchiveSerializer``, one line at a time."""
    for line in stream:
        line = line.strip()
        if line in ("", "[", "]"):
            continue
        yield json.loads(line.removesuffix(","))


# --- Migrations ---------------------------------------------------------------------------------


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """App label → the latest migration applied to the database."""
    graph = MigrationLoader(connections[using], ignore_no_migrations=True).graph
    applied = set(MigrationRecorder(connections[using]).applied_migrations())
    latest: dict[str, str] = {}
    for app_label, name in sorted(applied):
        node = graph.node_map.get((app_label, name))
        if node is None:
            continue  # a record of a migration this code no longer has (a removed app)
        if any(child.key in applied and child.key[0] == app_label for child in node.children):
            continue
        latest[app_label] = max(latest.get(app_label, name), name)
    return latest


def _unapplied_migrations(using: str) -> list[str]:
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _unknown_migrations(archived: dict[str, str]) -> list[str]:
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return sorted(
        f"{app_label}.{name}"
        for app_label, name in archived.items()
        if (app_label, name) not in known
    )


# --- Files ------------------------------------------------------------------------------------


class _HashingReader:
    """Reads a file object through, keeping the SHA-256 and size of what passed."""

    def __init__(self, stream):
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def drain(self) -> _HashingReader:
        while self.read(READ_BUFFER):
            pass
        return self

    @property
    def fingerprint(self) -> dict:
        return {"sha256": self.digest.hexdigest(), "size": self.size}


def _stored_names(storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage``, folders first-level down, sorted for stable archives."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for name in sorted(folders):
        yield from _stored_names(storage, posixpath.join(folder, name))


def _stored_fingerprint(storage, name: str) -> dict:
    with storage.open(name, "rb") as stream:
        return _HashingReader(stream).drain().fingerprint


def _is_safe_media_name(name: str) -> bool:
    parts = name.split("/")
    return "\\" not in name and all(part not in ("", ".", "..") for part in parts)


# --- Backup -------------------------------------------------------------------------------------


@contextlib.contextmanager
def _consistent_snapshot(using: str):
    """One transaction for all reads; on PostgreSQL it sees one moment in time across tables."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _archive_name(now) -> str:
    return f"cqm-backup-{now:%Y%m%dT%H%M%SZ}.tar"


def create_backup(*, output_dir=None, using: str = DEFAULT_DB_ALIAS, now=None) -> BackupResult:
    """Write ``cqm-backup-<UTC timestamp>.tar`` into ``output_dir`` (default CQM_BACKUP_DIR)."""
    now = (now or timezone.now()).astimezone(dt.UTC)
    folder = Path(output_dir or settings.CQM_BACKUP_DIR).resolve()
    if folder.is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        # The archive would end up inside itself.
        raise BackupError(
            _("Write backups outside the media folder (%(path)s).") % {"path": folder}
        )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _archive_name(now)
    if path.exists():
        raise BackupError(_("%(path)s exists already; nothing was written.") % {"path": path})
    unapplied = _unapplied_migrations(using)
    if unapplied:
        raise BackupError(
            _("The database lacks migrations (%(names)s): run `manage.py migrate` first.")
            % {"names": ", ".join(unapplied)}
        )

    models = backed_up_models(using)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(dir=folder, prefix=".cqm-backup-") as scratch:
        dump_path = Path(scratch) / DATABASE_MEMBER
        with _consistent_snapshot(using):
            migrations = applied_migrations(using)
            counts = _dump_records(dump_path, models, using)
            # Four short values per attachment: small enough to keep in memory for the check.
            attachments = list(
                Attachment._base_manager.using(using)
                .order_by("pk")
                .values_list("pk", "file", "sha256", "size")
            )
        try:
            result = _write_archive(partial, dump_path, now, using, migrations, counts, attachments)
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
    return result


def _write_archive(partial, dump_path, now, using, migrations, counts, attachments) -> BackupResult:
    files: dict[str, dict] = {}
    media: dict[str, dict] = {}
    with (
        open(partial, "xb", opener=_private_file) as raw,
        tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        with dump_path.open("rb") as stream:
            size = dump_path.stat().st_size
            files[DATABASE_MEMBER] = _add_member(archive, DATABASE_MEMBER, stream, size, now)
        for name in _stored_names(default_storage):
            size = default_storage.size(name)
            with default_storage.open(name, "rb") as stream:
                media[name] = _add_member(archive, MEDIA_PREFIX + name, stream, size, now)
            files[MEDIA_PREFIX + name] = media[name]
        problems = _attachment_problems(attachments, media)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": now.isoformat().replace("+00:00", "Z"),
            "database_vendor": connections[using].vendor,
            "migrations": migrations,
            "counts": counts,
            "files": files,
            "attachment_problems": problems,
        }
        encoded = json.dumps(manifest, indent=2, sort_keys=True).encode()
        _add_member(archive, MANIFEST_MEMBER, io.BytesIO(encoded), len(encoded), now)
    return BackupResult(
        path=partial,
        size=partial.stat().st_size,
        counts=counts,
        media_files=len(media),
        media_bytes=sum(entry["size"] for entry in media.values()),
        attachment_problems=problems,
    )


def _private_file(path, flags):
    # Readable by the owner only from the first byte: password hashes, API token hashes and
    # two-factor secrets are inside.
    return os.open(path, flags, 0o600)


def _add_member(archive, name: str, stream, size: int, now) -> dict:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(now.timestamp())
    info.mode = 0o600
    reader = _HashingReader(stream)
    archive.addfile(info, reader)
    return reader.fingerprint


def _attachment_problems(attachments, media: dict[str, dict]) -> list[dict]:
    """Attachment rows whose stored file is missing or no longer matches its checksum."""
    problems = []
    for pk, name, sha256, size in attachments:
        stored = media.get(name)
        if stored is None:
            problems.append({"attachment": pk, "file": name, "problem": "missing"})
        elif stored != {"sha256": sha256, "size": size}:
            problems.append({"attachment": pk, "file": name, "problem": "checksum"})
    return problems


# --- Restore ------------------------------------------------------------------------------------


def restore_backup(archive_path, *, using: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Rebuild an empty database and media folder from an archive written by ``create_backup``.

    Everything is checked before anything is written: the checksums, that this version of the
    portal knows the archive's migrations, and that the database and media folder are empty.
    """
    with _open_archive(Path(archive_path)) as archive:
        manifest = _read_manifest(archive)
        _verify_checksums(archive, manifest)
        _check_compatibility(manifest)
        _require_empty_target(manifest, using)
        call_command("migrate", database=using, interactive=False, verbosity=0)
        return _load(archive, manifest, using)


@contextlib.contextmanager
def _open_archive(path: Path):
    try:
        archive = tarfile.open(path, "r:")  # noqa: SIM115 - closed below, errors told apart
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            _("%(path)s is not a readable backup archive: %(error)s")
            % {"path": path, "error": error}
        ) from error
    with archive:
        yield archive


def _read_manifest(archive) -> dict:
    try:
        stream = archive.extractfile(MANIFEST_MEMBER)
        manifest = json.load(stream)
    except (KeyError, AttributeError, ValueError, tarfile.TarError) as error:
        raise BackupError(_("The archive has no readable manifest.json.")) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not a CQM Portal backup archive."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _(
                "The archive has format version %(found)s; this version of the portal reads "
                "version %(supported)s. Restore it with the portal version that wrote it."
            )
            % {"found": manifest.get("format_version"), "supported": FORMAT_VERSION}
        )
    for key in ("migrations", "counts", "files"):
        if not isinstance(manifest.get(key), dict):
            raise BackupError(_("The archive's manifest lacks “%(key)s”.") % {"key": key})
    if DATABASE_MEMBER not in manifest["files"]:
        raise BackupError(_("The archive's manifest lists no database dump."))
    return manifest


def _verify_checksums(archive, manifest: dict) -> None:
    """Every member listed, intact, and nothing else in the archive."""
    expected = manifest["files"]
    problems = []
    seen: set[str] = set()
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
        found = _HashingReader(archive.extractfile(member)).drain().fingerprint
        if found != expected[member.name]:
            problems.append(_("%(name)s: checksum or size differs") % {"name": member.name})
    for name in sorted(set(expected) - seen):
        problems.append(_("%(name)s: missing from the archive") % {"name": name})
    for name in expected:
        is_media = name.startswith(MEDIA_PREFIX)
        if name != DATABASE_MEMBER and not (
            is_media and _is_safe_media_name(name.removeprefix(MEDIA_PREFIX))
        ):
            problems.append(_("%(name)s: not an allowed file name") % {"name": name})
    if problems:
        raise BackupError(
            _("The archive is damaged or was altered; nothing was restored.\n%(problems)s")
            % {"problems": _listing(problems)}
        )


def _check_compatibility(manifest: dict) -> None:
    unknown = _unknown_migrations(manifest["migrations"])
    unknown_models = []
    for label in manifest["counts"]:
        try:
            apps.get_model(label)
        except (LookupError, ValueError):
            unknown_models.append(label)
    if unknown or unknown_models:
        raise BackupError(
            _(
                "The archive was written by a newer version of the portal (or one with other "
                "apps): this version does not know %(names)s. Restore it with that version or a "
                "newer one; nothing was restored."
            )
            % {"names": ", ".join(unknown + sorted(unknown_models))}
        )


def _require_empty_target(manifest: dict, using: str) -> None:
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    occupied = []
    for model in backed_up_models(using):
        if model._meta.app_label in MIGRATION_SEEDED_APPS or model._meta.db_table not in existing:
            continue
        count = model._base_manager.using(using).count()
        if count:
            occupied.append(f"{model._meta.label_lower}: {count}")
    if occupied:
        raise BackupError(
            _(
                "The database “%(name)s” already holds records (%(examples)s); a restore only "
                "fills an empty database, so nothing was changed. Create a new database "
                "(PostgreSQL: `createdb <name>`; SQLite: point DATABASE_URL at a new file), "
                "point DATABASE_URL at it and run the restore again."
            )
            % {"name": connection.settings_dict["NAME"], "examples": ", ".join(occupied[:5])}
        )
    clashes = [
        name
        for name, expected in _media_entries(manifest)
        if default_storage.exists(name) and _stored_fingerprint(default_storage, name) != expected
    ]
    if clashes:
        raise BackupError(
            _(
                "The media folder already holds other files under the archive's names "
                "(%(names)s); nothing was changed. Point DJANGO_MEDIA_ROOT at an empty folder."
            )
            % {"names": ", ".join(clashes[:5])}
        )


def _media_entries(manifest: dict) -> Iterator[tuple[str, dict]]:
    for member, fingerprint in sorted(manifest["files"].items()):
        if member.startswith(MEDIA_PREFIX):
            yield member.removeprefix(MEDIA_PREFIX), fingerprint


def _load(archive, manifest: dict, using: str) -> RestoreResult:
    """Records, then files, then checks, all or nothing: a failure rolls back and removes files."""
    models = backed_up_models(using)
    written: list[str] = []
    try:
        with transaction.atomic(using=using):
            _clear_rows_written_by_migrate(models, using)
            _load_records(archive, models, using)
            counts = _verify_counts(manifest, using)
            media_files = _restore_media(archive, manifest, written)
            verified, warnings = _verify_attachments(manifest, using)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return RestoreResult(
        counts=counts, media_files=media_files, attachments_verified=verified, warnings=warnings
    )


def _clear_rows_written_by_migrate(models: list, using: str) -> None:
    # The target was empty before `migrate`, or held only schedules (see _require_empty_target):
    # whatever these tables hold now came from migrations, and the archive's rows replace it.
    connection = connections[using]
    with connection.cursor() as cursor:
        for table in _table_names(models):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def _load_records(archive, models: list, using: str) -> None:
    """What ``loaddata`` does, reading the dump line by line instead of all at once."""
    connection = connections[using]
    with_deferred_fields = []
    with connection.constraint_checks_disabled():
        dump = archive.extractfile(DATABASE_MEMBER)
        with gzip.open(dump, "rt", encoding="utf-8", newline="\n") as stream:
            records = PythonDeserializer(
                _records_in(stream), using=using, handle_forward_references=True
            )
            for record in records:
                # A raw save: no signals act on it and simple-history writes no new history rows.
                # Setting many-to-many values does send m2m_changed, though; the flag keeps
                # simple-history from recording it (the archive holds those history rows).
                record.object.skip_history_when_saving = True
                record.save(using=using)
                if record.deferred_fields:
                    with_deferred_fields.append(record)
        for record in with_deferred_fields:
            record.save_deferred_fields(using=using)
    connection.check_constraints(table_names=_table_names(models))
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _verify_counts(manifest: dict, using: str) -> dict[str, int]:
    counts = {
        label: apps.get_model(label)._base_manager.using(using).count()
        for label in manifest["counts"]
    }
    differences = [
        _("%(model)s: %(found)s restored, %(expected)s in the archive")
        % {"model": label, "found": counts[label], "expected": expected}
        for label, expected in manifest["counts"].items()
        if counts[label] != expected
    ]
    if differences:
        raise BackupError(
            _("The restored records do not match the archive; nothing was restored.\n%(list)s")
            % {"list": _listing(differences)}
        )
    return counts


def _restore_media(archive, manifest: dict, written: list[str]) -> int:
    for name, _fingerprint in _media_entries(manifest):
        if default_storage.exists(name):
            continue  # the same file, as _require_empty_target made sure
        with archive.extractfile(MEDIA_PREFIX + name) as stream:
            saved_as = default_storage.save(name, File(stream, name=posixpath.basename(name)))
        written.append(saved_as)
        if saved_as != name:
            raise BackupError(
                _("The storage saved %(name)s as %(saved)s; nothing was restored.")
                % {"name": name, "saved": saved_as}
            )
    return sum(1 for _entry in _media_entries(manifest))


def _verify_attachments(manifest: dict, using: str) -> tuple[int, list[str]]:
    """Every attachment's restored file exists and matches the checksum on its row.

    Problems the source already had (listed in the manifest) become warnings: the archive is a
    faithful copy, and refusing it would leave no way back. Any new problem fails the restore.
    """
    known = {
        (entry["attachment"], entry["problem"]) for entry in manifest.get("attachment_problems", [])
    }
    failures, warnings = [], []
    rows = Attachment._base_manager.using(using).order_by("pk")
    verified = 0
    for pk, name, sha256, size in rows.values_list("pk", "file", "sha256", "size").iterator():
        verified += 1
        if not default_storage.exists(name):
            problem = "missing"
        elif _stored_fingerprint(default_storage, name) != {"sha256": sha256, "size": size}:
            problem = "checksum"
        else:
            continue
        message = _("attachment %(pk)s (%(name)s): %(problem)s") % {
            "pk": pk,
            "name": name,
            "problem": _("file missing") if problem == "missing" else _("checksum differs"),
        }
        (warnings if (pk, problem) in known else failures).append(message)
    if failures:
        raise BackupError(
            _("Restored attachments do not match their records; nothing was restored.\n%(list)s")
            % {"list": _listing(failures)}
        )
    return verified, warnings


def _listing(lines: list[str]) -> str:
    shown = [f"  - {line}" for line in lines[:SHOWN_PROBLEMS]]
    if len(lines) > SHOWN_PROBLEMS:
        shown.append("  " + _("… and %(count)s more") % {"count": len(lines) - SHOWN_PROBLEMS})
    return "\n".join(shown)
