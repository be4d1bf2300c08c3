"""Fill a PostgreSQL database with years of realistic records, for performance work.

Scale 1 is the volume of a mid-size supplier after five years (20 customers, 2,000 parts,
200,000 claims with 8D content, 2,000,000 deliveries, actions, 4,000 changes, 1,000 deviations,
6,000 PPAP submissions, 600 audits); ``--scale 0.01`` gives a hundredth. Each app contributes
through its ``volume`` module (``core.volumes``). Refuses to add a second load on top of the first:
``--reset`` removes the earlier volume rows (and only those) first.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.volumes import (
    VolumeContext,
    reset_volume,
    seed_volume,
    vacuum_analyze,
    volume_missing,
    volume_present,
)


class Command(BaseCommand):
    help = "Seed volume data (scale 1: 200,000 claims, 2,000,000 deliveries) on PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = the target volume.")
        parser.add_argument(
            "--seed", type=int, default=42, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Last day of the five years covered (YYYY-MM-DD); default: today.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Remove earlier volume rows first."
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help=(
                "Keep volume data that is already there and add only what is missing (the share "
                "of an app added since)."
            ),
        )

    def handle(self, *args, scale, seed, today, reset, if_missing, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_volume needs PostgreSQL (it fills tables with server-side SQL). "
                "Set DATABASE_URL=postgres://… and try again."
            )
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        ctx = VolumeContext(scale=scale, seed=seed, stdout=self.stdout)
        if today:
            ctx.today = today
        present = volume_present()
        modules = None
        if present and if_missing and not reset:
            modules = volume_missing()
            if not modules:
                self.stdout.write("Volume data is already there; nothing to do.")
                return
            present = False  # keep what is there, add the missing shares
        if present and not reset:
            raise CommandError(
                "This database already holds volume data. Run with --reset to replace it "
                "(only the volume rows are removed), or with --if-missing to keep it."
            )
        started = time.perf_counter()
        with transaction.atomic():
            if present:
                self.stdout.write("Removing the earlier volume data…")
                reset_volume(ctx)
            self.stdout.write(f"Seeding volume data at scale {scale:g} (seed {seed})…")
            counts = seed_volume(ctx, modules)
        if connection.in_atomic_block:
            # Called inside a transaction (a test): VACUUM cannot run there, ANALYZE can.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            self.stdout.write("Refreshing planner statistics (VACUUM ANALYZE)…")
            vacuum_analyze(ctx)
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Volume data ready in {seconds:.0f} s: {summary}."))
