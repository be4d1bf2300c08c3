"""``manage.py restore <file>``: rebuild an empty database and media storage from a backup.

The manifest tells the format: a database dump (core.dump) or a portable archive (core.backup).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from core.backup import BackupError, restore_backup
from core.dump import is_dump, restore_dump


class Command(BaseCommand):
    help = _(
        "Restore a backup written by `manage.py backup` (a database dump or an archive) into an "
        "empty database and media folder. Checks every checksum first and refuses a database "
        "that already holds records."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("The cqm-dump-….tar or cqm-backup-….tar file."))
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help=_("Database alias to restore into.")
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=0,
            help=_("Parallel pg_restore jobs for a database dump (default: one per core)."),
        )

    def handle(self, *args, archive, database=DEFAULT_DB_ALIAS, jobs=0, **options):
        try:
            if is_dump(archive):
                self._report_dump(
                    archive, database, restore_dump(archive, using=database, jobs=jobs)
                )
                return
            result = restore_backup(archive, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored %(archive)s into “%(database)s”.")
                % {"archive": archive, "database": connections[database].settings_dict["NAME"]}
            )
        )
        self.stdout.write(
            _(
                "Records: %(records)s in %(models)s tables; files: %(files)s; attachments "
                "verified: %(attachments)s."
            )
            % {
                "records": result.records,
                "models": len(result.counts),
                "files": result.media_files,
                "attachments": result.attachments_verified,
            }
        )
        self._report_warnings(result.warnings)

    def _report_dump(self, archive, database, result):
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored the database dump %(archive)s into “%(database)s”.")
                % {"archive": archive, "database": connections[database].settings_dict["NAME"]}
            )
        )
        self.stdout.write(
            _(
                "Rows: %(rows)s in %(tables)s tables, equal to the dump's manifest; files: "
                "%(files)s, checksums equal; attachments verified: %(attachments)s."
            )
            % {
                "rows": result.rows,
                "tables": len(result.counts),
                "files": result.media_files,
                "attachments": result.attachments_verified,
            }
        )
        seconds = result.seconds
        self.stdout.write(
            _(
                "Took %(checksums).1f s to check the checksums, %(restore).1f s for pg_restore "
                "(%(jobs)s jobs), %(counts).1f s to count the rows, %(media).1f s for the files."
            )
            % {
                "checksums": seconds["checksums"],
                "restore": seconds["pg_restore"],
                "jobs": result.jobs,
                "counts": seconds["row_counts"],
                "media": seconds["media"],
            }
        )
        if result.migrated:
            self.stdout.write(
                _("Brought up to this version with the migrations %(names)s.")
                % {"names": ", ".join(result.migrated)}
            )
        self._report_warnings(result.warnings)

    def _report_warnings(self, warnings):
        for warning in warnings:
            note = _("Already the case when the backup was made: %s") % warning
            self.stderr.write(self.style.WARNING(note))
