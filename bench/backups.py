"""The backup part of ``make bench``: the volume data set dumped, restored and verified.

``manage.py backup --format=dump`` runs in a process of its own on the bench database, then
``manage.py restore`` of that file into a scratch database (created empty, dropped afterwards) and
a scratch media folder; the restore compares every table's row count and every file's checksum
with the manifest, so a figure is only written for a restore that verified.

The volume data has no stored files (``seed_volume`` writes rows only), so the measured media are
a synthetic set of incompressible files in ``var/bench/backup/media`` (made once, like photos in
size and entropy). The bench measures files in a folder: a bucket's speed is the network's.

Optionally the portable JSON archive of the same data is timed too, stopped after a limit: at
volume it serialises every row through Django, which is the reason the dump exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

from django.db import connection
from psycopg import sql

from .probing import OUTPUT_DIR, probe

SCRATCH_DATABASE = "cqm_bench_restore"
WORK_DIR = OUTPUT_DIR / "backup"
MEDIA_FILES = 400
MEDIA_FILE_BYTES = 256 * 1024


def run_backup_bench(say, *, archive_minutes: float = 0) -> dict:
    """Dump, restore into the scratch database, verify; the figures as a dict for results.json."""
    media = WORK_DIR / "media"
    synthetic_media(media)
    dumps = _empty_folder(WORK_DIR / "dumps")
    env = _env(media)
    say(f"Backup: database dump and {MEDIA_FILES} files ({_mb(MEDIA_FILES * MEDIA_FILE_BYTES)})…")
    figures = {"backup": probe("dump", str(dumps), env=env)}
    if "error" in figures["backup"]:
        return figures
    say(f"  {figures['backup']['seconds']:.1f} s, {_mb(figures['backup']['bytes'])}")
    say(f"Restore into the scratch database {SCRATCH_DATABASE}, counts and checksums checked…")
    restored_media = _empty_folder(WORK_DIR / "restored-media")
    try:
        _recreate_scratch_database()
        restore_env = {**_env(restored_media), "DATABASE_URL": _database_url(SCRATCH_DATABASE)}
        figures["restore"] = probe("restore", figures["backup"]["path"], env=restore_env)
    finally:
        _drop_scratch_database()
        shutil.rmtree(restored_media, ignore_errors=True)
        shutil.rmtree(dumps, ignore_errors=True)
    if "seconds" in figures["restore"]:
        say(f"  {figures['restore']['seconds']:.1f} s")
    if archive_minutes > 0:
        figures["archive"] = _time_archive(env, archive_minutes, say)
    return figures


def _time_archive(env: dict, minutes: float, say) -> dict:
    say(f"Backup as the portable JSON archive (stopped after {minutes:g} minutes)…")
    archives = _empty_folder(WORK_DIR / "archives")
    try:
        return probe("archive", str(archives), env=env, timeout=minutes * 60)
    except subprocess.TimeoutExpired:
        return {"stopped_after_minutes": minutes}
    finally:
        shutil.rmtree(archives, ignore_errors=True)


def synthetic_media(folder: Path) -> None:
    """Random bytes (no compression gains, as with photos), in a folder per hundred files."""
    for number in range(MEDIA_FILES):
        path = folder / f"attachments/bench/{number // 100:02d}/photo-{number:04d}.jpg"
        if path.exists() and path.stat().st_size == MEDIA_FILE_BYTES:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(MEDIA_FILE_BYTES))


def _env(media: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "MEDIA_STORAGE_URL"}
    env["DJANGO_MEDIA_ROOT"] = str(media)
    return env


def _empty_folder(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _database_url(name: str) -> str:
    source = connection.settings_dict
    credentials = quote(source["USER"] or "", safe="")
    if source["PASSWORD"]:
        credentials += ":" + quote(source["PASSWORD"], safe="")
    host = source["HOST"] or "127.0.0.1"
    port = source["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{name}"


def _recreate_scratch_database() -> None:
    _drop_scratch_database()
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SCRATCH_DATABASE)))


def _drop_scratch_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(SCRATCH_DATABASE)
            )
        )


def _mb(size: float) -> str:
    return f"{size / 1024**2:,.1f} MB"


def backup_markdown(figures: dict) -> list[str]:
    """The backup table of results.md."""
    if not figures:
        return []
    lines = ["", "**Backup and restore (database dump)**", "", "| Step | Figure |", "|---|---|"]
    backup, restore = figures.get("backup", {}), figures.get("restore", {})
    if "seconds" in backup:
        lines += [
            f"| Backup: pg_dump + files into one tar | {backup['seconds']:.1f} s (of which "
            f"count(*) of {backup['tables']} tables {backup['count_seconds']:.1f} s, beside "
            f"pg_dump); peak {backup['peak_rss_mb']:.0f} MB |",
            f"| Backup file | {_mb(backup['bytes'])}: database dump {_mb(backup['dump_bytes'])}, "
            f"{backup['media_files']} files {_mb(backup['media_bytes'])} |",
            f"| Rows | {backup['rows']:,} in {backup['tables']} tables |",
        ]
    if "seconds" in restore:
        steps = restore["steps"]
        verification = steps["checksums"] + steps["row_counts"] + steps["media"]
        lines += [
            f"| Restore into an empty database | {restore['seconds']:.1f} s: pg_restore "
            f"({restore['jobs']} jobs) {steps['pg_restore']:.1f} s; peak "
            f"{restore['peak_rss_mb']:.0f} MB |",
            f"| Verification (part of the restore) | {verification:.1f} s: checksums of the tar "
            f"{steps['checksums']:.1f} s, count(*) of {restore['tables']} tables "
            f"{steps['row_counts']:.1f} s, {restore['media_files']} files written and read "
            f"back {steps['media']:.1f} s |",
        ]
    archive = figures.get("archive", {})
    if "seconds" in archive:
        lines.append(
            f"| Portable JSON archive, backup only | {archive['seconds']:.1f} s, "
            f"{_mb(archive['bytes'])}, {archive['records']:,} records |"
        )
    elif "stopped_after_minutes" in archive:
        lines.append(
            "| Portable JSON archive, backup only | not finished: stopped after "
            f"{archive['stopped_after_minutes']:g} minutes |"
        )
    for step in ("backup", "restore", "archive"):
        if "error" in figures.get(step, {}):
            lines.append(f"| {step} | failed: {figures[step]['error']} |")
    return lines
