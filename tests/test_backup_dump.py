"""`manage.py backup --format=dump` and its restore: pg_dump, the files, and the checks around them.

The backup runs in the test process against the test database (committed rows: pg_dump reads
through its own connection). Each restore runs as its own `manage.py` process pointed at a
brand-new PostgreSQL database and an empty media folder, as an operator runs it; the result is
read back with plain SQL.
"""

import io
import json
from pathlib import Path

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from claims.tests.factories import file_claim, png_upload
from core.backup import BackupError
from core.dump import find_tool, row_counts, table_names
from core.models import Attachment
from tests.s3server import s3_server, s3_storage  # noqa: F401  (fixtures)
from tests.test_backup import _flip_one_byte, _folder_digests, _manifest, _rewrite, new_target

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a database dump needs PostgreSQL"
    ),
    # pg_dump sees committed rows only; the schedules the migrations wrote come back afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def source(settings, tmp_path, user_a):
    """A claim with two photos, a kept report PDF and a file in a nested folder; a session."""
    media_root = tmp_path / "source-media"
    settings.MEDIA_ROOT = str(media_root)
    file_claim(actor=user_a, uploads=[png_upload("front.png"), png_upload("back.png")])
    default_storage.save("reports/2026/03/monthly.pdf", ContentFile(b"%PDF-1.7 monthly report"))
    default_storage.save("exports/deep/nested/list.csv", ContentFile("id;title\n1;Ä\n".encode()))
    session = SessionStore()
    session["signed_in"] = True
    session.create()
    return media_root


def _dump(output: Path, *args: str) -> tuple[Path, str]:
    stdout = io.StringIO()
    call_command("backup", *args, output=str(output), stdout=stdout)
    (dump,) = output.glob("cqm-dump-*.tar")
    return dump, stdout.getvalue()


def _target_counts(target, tables) -> dict[str, int]:
    with psycopg.connect(target.env["DATABASE_URL"]) as database:
        present = {
            name
            for (name,) in database.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        }
        return {
            table: database.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in tables
            if table in present
        }


def test_round_trip_into_a_new_database(source, tmp_path):
    dump, output = _dump(tmp_path / "backups")  # PostgreSQL: the dump is the default format
    manifest = _manifest(dump)
    source_counts = row_counts(table_names())

    with new_target(tmp_path, "same") as target:
        result = target.manage("restore", str(dump))
        assert result.returncode == 0, result.stderr
        restored = _target_counts(target, source_counts)
        restored_files = _folder_digests(target.media_root)

    assert str(dump) in output and "Database dump written" in output
    assert oct(dump.stat().st_mode & 0o777) == "0o600"
    # The rows: every table as in the source, the trigger-written ones included (nothing replayed).
    left_out = {"django_session", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"}
    expected = {table: rows for table, rows in source_counts.items() if table not in left_out}
    assert manifest["counts"] == expected
    assert {table: restored[table] for table in expected} == expected
    assert expected["claims_claim"] == 1 and expected["core_attachment"] == 2
    assert expected["core_datachange"] > 0
    # Sign-in sessions stay behind, as in the portable archive.
    assert source_counts["django_session"] == 1 and restored["django_session"] == 0
    # The files: every one, byte for byte, and the manifest's checksums are theirs.
    source_files = _folder_digests(source)
    assert restored_files == source_files
    attachment_files = {attachment.file.name for attachment in Attachment.objects.all()}
    assert {"reports/2026/03/monthly.pdf", "exports/deep/nested/list.csv"} <= set(source_files)
    assert attachment_files <= set(source_files)
    for name, digest in source_files.items():
        assert manifest["files"][f"media/{name}"]["sha256"] == digest
    assert "attachments verified: 2" in result.stdout
    assert f"Rows: {sum(expected.values())} in {len(expected)} tables" in result.stdout


@pytest.mark.parametrize("victim", ["database.pgdump", "a media file"])
def test_a_tampered_dump_is_refused_and_nothing_changes(source, tmp_path, victim):
    dump, _output = _dump(tmp_path / "backups", "--format=dump")
    if victim == "a media file":
        victim = f"media/{Attachment.objects.order_by('pk').first().file.name}"
    altered = _rewrite(
        dump,
        tmp_path / "altered.tar",
        lambda name, data: _flip_one_byte(data) if name == victim else data,
    )
    counts_before = row_counts(table_names())
    files_before = _folder_digests(source)

    # Checked before the target: the refusal is the same for an empty database.
    with pytest.raises(CommandError, match="damaged or was altered") as refusal:
        call_command("restore", str(altered), stdout=io.StringIO())

    assert f"{victim}: checksum or size differs" in str(refusal.value)
    assert row_counts(table_names()) == counts_before
    assert _folder_digests(source) == files_before


def test_a_database_with_tables_is_refused_and_nothing_changes(source, tmp_path):
    dump, _output = _dump(tmp_path / "backups")
    counts_before = row_counts(table_names())
    files_before = _folder_digests(source)

    with pytest.raises(CommandError, match="already has tables") as refusal:
        call_command("restore", str(dump), stdout=io.StringIO())

    assert "never migrated" in str(refusal.value)
    assert row_counts(table_names()) == counts_before
    assert _folder_digests(source) == files_before


def test_a_dump_of_a_newer_migration_state_is_refused(source, tmp_path):
    dump, _output = _dump(tmp_path / "backups")

    def from_the_future(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["claims"] = "9999_from_a_newer_version"
        return json.dumps(manifest).encode()

    newer = _rewrite(dump, tmp_path / "newer.tar", from_the_future)

    with pytest.raises(CommandError, match="newer version") as refusal:
        call_command("restore", str(newer), stdout=io.StringIO())

    assert "claims.9999_from_a_newer_version" in str(refusal.value)


def test_an_archive_is_still_written_and_recognised_on_request(source, tmp_path):
    stdout = io.StringIO()
    call_command("backup", "--format=archive", output=str(tmp_path / "backups"), stdout=stdout)

    (archive,) = (tmp_path / "backups").glob("cqm-backup-*.tar")
    assert _manifest(archive)["format"] == "cqm-portal-backup"
    # The restore reads its manifest and takes the archive's path (which refuses this database).
    with pytest.raises(CommandError, match="already holds records"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_a_missing_or_too_old_pg_tool_is_named_with_the_version_needed(settings, tmp_path):
    with pytest.raises(BackupError, match=r"older than PostgreSQL 99.*postgresql-client-99"):
        find_tool("pg_restore", 99)
    with pytest.raises(BackupError, match="pg_nothing was not found"):
        find_tool("pg_nothing", 15)


def test_round_trip_of_files_in_a_bucket(user_a, s3_storage, tmp_path):  # noqa: F811
    file_claim(actor=user_a, uploads=[png_upload("front.png")])
    default_storage.save("reports/2026/03/monthly.pdf", ContentFile(b"%PDF-1.7 monthly report"))
    dump, _output = _dump(tmp_path / "backups")
    source_keys = s3_storage.object_keys()
    target_bucket = s3_storage.new_bucket()

    with new_target(tmp_path, "same") as target:
        target.env.update(target_bucket.environment())
        result = target.manage("restore", str(dump))
        restored = _target_counts(target, ["core_attachment"])

    assert result.returncode == 0, result.stderr
    assert "attachments verified: 1" in result.stdout
    assert restored == {"core_attachment": 1}
    assert "reports/2026/03/monthly.pdf" in source_keys
    assert any(key.startswith("attachments/") for key in source_keys)
    assert target_bucket.object_keys() == source_keys
    for key in source_keys:
        assert target_bucket.read(key) == s3_storage.read(key)
