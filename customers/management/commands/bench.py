"""Speed and memory figures for the parts list page and the parts API at growing data sizes.

Everything runs inside one transaction that is rolled back: the database is left as it was.
Prints a table; never fails on a number.
"""

from __future__ import annotations

import csv
import io
import logging
import statistics
import time
import tracemalloc
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import User
from customers.demo import seed_demo
from customers.imports import COLUMNS
from customers.models import Customer, Part, Plant
from customers.services import parts_import_csv

TARGETS = [
    ("Parts list page", "/parts/"),
    ("Parts API", "/api/v1/parts/"),
]
VIEWERS = [("engineer", "engineer@demo.example"), ("customer", "quality@autowerk.example")]


@dataclass
class Figure:
    target: str
    viewer: str
    parts: int
    median_ms: float
    max_ms: float
    queries: int
    peak_kib: float
    status: int


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time, query count and peak memory of the parts list page and API (200 and 2,000 parts)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
        parser.add_argument("--repeat", type=int, default=5, help="Timed requests per figure.")

    def handle(self, *args, sizes, repeat, **options):
        if repeat < 1 or any(size < 1 for size in sizes):
            raise CommandError("--sizes and --repeat must be positive.")
        figures, imports = [], []
        # Each simulated sign-in would log a line from django-axes between the figures.
        logging.getLogger("axes").setLevel(logging.WARNING)
        try:
            # Every request is answered over plain HTTP by the test client.
            with (
                override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False),
                transaction.atomic(),
            ):
                seed_demo()
                for size in sorted(sizes):
                    imports.append(_grow_parts_to(size))
                    figures += _measure_all(Part.objects.count(), repeat)
                raise _Rollback
        except _Rollback:
            pass
        self._print(figures, imports, repeat)

    def _print(self, figures: list[Figure], imports: list[tuple[int, float]], repeat: int):
        vendor = connection.vendor
        self.stdout.write(f"CQM Portal bench on {vendor} (median of {repeat} requests)")
        header = ("target", "viewer", "parts", "median ms", "max ms", "queries", "peak KiB", "HTTP")
        rows = [
            (f.target, f.viewer, f"{f.parts:,}", f"{f.median_ms:.1f}", f"{f.max_ms:.1f}",
             str(f.queries), f"{f.peak_kib:,.0f}", str(f.status))
            for f in figures
        ]  # fmt: skip
        self._table(header, rows)
        self.stdout.write("")
        self._table(
            ("CSV import", "rows", "seconds"),
            [("parts_import_csv", f"{count:,}", f"{seconds:.2f}") for count, seconds in imports],
        )
        self.stdout.write("All data created for the bench was rolled back.")

    def _table(self, header, rows):
        widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
        for index, row in enumerate((header, *rows)):
            cells = [
                cell.ljust(width) if column < 2 else cell.rjust(width)
                for column, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            self.stdout.write("  ".join(cells))
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))


def _grow_parts_to(size: int) -> tuple[int, float]:
    """Import as many generated parts as needed to reach ``size``; (rows, seconds)."""
    missing = size - Part.objects.count()
    if missing <= 0:
        return 0, 0.0
    upload = SimpleUploadedFile("bench.csv", _parts_csv(missing).encode(), "text/csv")
    actor = User.objects.get(email="admin@demo.example")
    started = time.perf_counter()
    result = parts_import_csv(file=upload, actor=actor)
    seconds = time.perf_counter() - started
    if not result.ok:
        raise CommandError(
            f"Generating bench parts failed: {result.file_errors or result.row_errors[:3]}"
        )
    return missing, seconds


def _parts_csv(count: int) -> str:
    customers = list(Customer.objects.order_by("code").values_list("code", flat=True))
    plants = list(Plant.objects.order_by("code").values_list("code", flat=True))
    start = Part.objects.count()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for n in range(start, start + count):
        writer.writerow([
            f"BENCH-{n:06d}", f"BC-{n:06d}", "A", f"Bench bracket {n}",
            customers[n % len(customers)], plants[n % len(plants)], "Stamping",
            "yes" if n % 7 == 0 else "no", "", "",
        ])  # fmt: skip
    return buffer.getvalue()


def _measure_all(parts: int, repeat: int) -> list[Figure]:
    figures = []
    for viewer, email in VIEWERS:
        client = Client()
        client.force_login(User.objects.get(email=email))
        for target, url in TARGETS:
            figures.append(_measure(client, target, url, viewer, parts, repeat))
    return figures


def _measure(client: Client, target: str, url: str, viewer: str, parts: int, repeat: int):
    client.get(url)  # warm caches and lazy imports once, outside the figures
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        durations.append((time.perf_counter() - started) * 1000)
    # The query log is capped: once full it stops growing and the capture would count nothing.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    tracemalloc.start()
    try:
        client.get(url)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return Figure(
        target=target,
        viewer=viewer,
        parts=parts,
        median_ms=statistics.median(durations),
        max_ms=max(durations),
        queries=len(queries),
        peak_kib=peak / 1024,
        status=response.status_code,
    )
