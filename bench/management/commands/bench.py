"""``make bench``: the portal's speed and memory at volume; prints, never fails.

Run with the bench settings, the only ones that install this app:
``python manage.py bench --settings=bench.settings [--seconds 5 --scale 0.1]``.

Seeds the volume data if missing, starts gunicorn with ``bench.settings`` (production mode plus two
floor views), drives every endpoint with concurrent clients, times ppm against raw SQL, the
company monthly report and the CSV export in fresh worker processes, and writes
``var/bench/results.json`` and ``var/bench/results.md``.
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

    def handle(self, *args, seconds, clients, workers, scale, port, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "make bench measures PostgreSQL, the production database; this is "
                f"{connection.vendor}. Set DATABASE_URL=postgres://user@host:5432/db and rerun."
            )
        # The options in the order of Options' fields.
        results = run(Options(seconds, clients, workers, scale, port, stdout=self.stdout))
        self.stdout.write("")
        self.stdout.write(markdown(results))
        self.stdout.write("Written to var/bench/results.json and var/bench/results.md.")
