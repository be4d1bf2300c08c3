"""``manage.py backup``: all records and stored files in one checksummed tar.

Two formats: ``dump`` (core.dump: pg_dump plus the files; PostgreSQL only, restores into
PostgreSQL without replaying a trigger) and ``archive`` (core.backup: every record as JSON,
restores into SQLite or PostgreSQL, row by row). Without ``--format`` a PostgreSQL database gets
the dump, which stays fast at volume, and a SQLite database the archive.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.backup import BackupError, create_backup
from core.dump import create_dump

LARGEST_SHOWN = 5
FORMATS = ("auto", "dump", "archive")


class Command(BaseCommand):
    help = _(
        "Write a backup (a tar): every record, every stored file and a manifest with their "
        "checksums. Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=None,
            help=_("Folder to write the archive to (default: CQM_BACKUP_DIR, %(folder)s).")
            % {"folder": settings.CQM_BACKUP_DIR},
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help=_("Database alias to back up.")
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="auto",
            help=_(
                "dump: pg_dump and the files (cqm-dump-….tar; PostgreSQL, fast at volume); "
                "archive: every record as JSON and the files (cqm-backup-….tar; restores into "
                "SQLite or PostgreSQL); auto (default): dump on PostgreSQL, archive on SQLite."
            ),
        )

    def handle(self, *args, output=None, database=DEFAULT_DB_ALIAS, **options):
        chosen = options.get("format", "auto")
        if chosen == "auto":
            chosen = "dump" if connections[database].vendor == "postgresql" else "archive"
        try:
            if chosen == "dump":
                self._report_dump(create_dump(output_dir=output, using=database), options)
                return
            result = create_backup(output_dir=output, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written: %(path)s (%(size)s)")
                % {"path": result.path, "size": filesizeformat(result.size)}
            )
        )
        self.stdout.write(
            _("Records: %(records)s in %(models)s tables; files: %(files)s (%(bytes)s).")
            % {
                "records": result.records,
                "models": len(result.counts),
                "files": result.media_files,
                "bytes": filesizeformat(result.media_bytes),
            }
        )
        shown = result.counts if options["verbosity"] > 1 else _largest(result.counts)
        for label, count in shown.items():
            self.stdout.write(f"  {label}: {count}")
        self._report_attachment_problems(result.attachment_problems)

    def _report_dump(self, result, options):
        self.stdout.write(
            self.style.SUCCESS(
                _("Database dump written: %(path)s (%(size)s)")
                % {"path": result.path, "size": filesizeformat(result.size)}
            )
        )
        self.stdout.write(
            _(
                "Rows: %(rows)s in %(tables)s tables (pg_dump %(dump)s); files: %(files)s "
                "(%(bytes)s)."
            )
            % {
                "rows": result.rows,
                "tables": len(result.counts),
                "dump": filesizeformat(result.dump_bytes),
                "files": result.media_files,
                "bytes": filesizeformat(result.media_bytes),
            }
        )
        shown = result.counts if options["verbosity"] > 1 else _largest(result.counts)
        for table, count in shown.items():
            self.stdout.write(f"  {table}: {count}")
        self._report_attachment_problems(result.attachment_problems)

    def _report_attachment_problems(self, problems):
        for problem in problems:
            self.stderr.write(
                self.style.WARNING(
                    _("Attachment %(attachment)s (%(file)s): %(problem)s in the media folder.")
                    % {
                        **problem,
                        "problem": _("file missing")
                        if problem["problem"] == "missing"
                        else _("checksum differs"),
                    }
                )
            )


def _largest(counts: dict[str, int]) -> dict[str, int]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return dict(ranked[:LARGEST_SHOWN])
