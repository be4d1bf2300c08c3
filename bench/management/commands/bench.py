"""``make bench``: the portal's speed and memory at volume; prints, never fails.

Run with the bench settings, the only ones that install this app:
``python manage.py bench --settings=bench.settings [--seconds 5 --scale 0.1]``.

Seeds the volume data if missing, starts gunicorn with ``bench.settings`` (production mode plus two
floor views), drives every endpoint with concurrent clients, times ppm against raw SQL, the
company monthly report and the CSV export in fresh worker processes, and writes
``var/bench/results.json`` and ``var/bench/results.md``; last, it dumps the volume data, restores
it into a scratch database and verifies it (bench.backups).

``--only backup`` runs that last part alone and adds its figures to the last results.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.runner import Options, markdown, run


class Command(BaseCommand):
    help = "Load-test the portal at volume beside framework floors (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=15.0, help="Load per endpoint.")
        parser.add_argument("--clients", type=int, default=16, help="Concurrent clients.")
        parser.add_argument(
            "--workers", type=int, default=0, help="gunicorn workers (0: 2×cores+1)."
        )
        parser.add_argument("--scale", type=float, default=1.0, help="Volume seeded if missing.")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument(
            "--only", choices=["backup"], default="", help="Run one part alone: backup."
        )
        parser.add_argument(
            "--archive-minutes",
            type=float,
            default=0,
            help="Also time the portable JSON archive of the volume data, stopped after this long.",
        )

    def handle(self, *args, seconds, clients, workers, scale, port, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "make bench measures PostgreSQL, the production database; this is "
                f"{connection.vendor}. Set DATABASE_URL=postgres://user@host:5432/db and rerun."
            )
        # The options in the order of Options' fields.
        results = run(
            Options(
                seconds, clients, workers, scale, port, stdout=self.stdout,
                only=options["only"], archive_minutes=options["archive_minutes"],
            )
        )  # fmt: skip
        self.stdout.write("")
        self.stdout.write(markdown(results))
        self.stdout.write("Written to var/bench/results.json and var/bench/results.md.")
