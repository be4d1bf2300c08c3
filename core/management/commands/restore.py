"""``manage.py restore <archive>``: rebuild an empty database and media folder (see core.backup)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = _(
        "Restore a backup archive written by `manage.py backup` into an empty database and media "
        "folder. Checks every checksum first and refuses a database that already holds records."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("The cqm-backup-….tar file."))
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help=_("Database alias to restore into.")
        )

    def handle(self, *args, archive, database=DEFAULT_DB_ALIAS, **options):
        try:
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
        for warning in result.warnings:
            note = _("Already the case when the backup was made: %s") % warning
            self.stderr.write(self.style.WARNING(note))
