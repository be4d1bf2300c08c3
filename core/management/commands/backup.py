"""``manage.py backup``: all records and stored files in one checksummed archive (core.backup)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.backup import BackupError, create_backup

LARGEST_SHOWN = 5


class Command(BaseCommand):
    help = _(
        "Write a backup archive (cqm-backup-<UTC timestamp>.tar): every record, every stored file "
        "and a manifest with their checksums. Restore it with `manage.py restore`."
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

    def handle(self, *args, output=None, database=DEFAULT_DB_ALIAS, **options):
        try:
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
        for problem in result.attachment_problems:
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
