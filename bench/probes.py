"""Measurements that need a fresh worker process of their own: run as ``python -m bench.probes``.

Each probe prints one JSON object. Peak memory is the probe's own high-water mark (``VmHWM``),
reset just before the work starts: ``getrusage``'s max RSS survives ``exec`` and would report the
parent's peak (the bench process with its seeded data) instead of the work's.

    python -m bench.probes report            the company monthly report, as the worker makes it
    python -m bench.probes csv               the CSV export of every claim, streamed
    python -m bench.probes copy              PostgreSQL's COPY of the export's rows (the bound)
    python -m bench.probes ppm CUSTOMER_ID   ppm (12 months) through metrics.ppm vs raw SQL
    python -m bench.probes sessions          session cookies of the bench users
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import resource
import statistics
import sys
import time
from pathlib import Path

REPEAT = 15


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (``VmRSS``, ``VmHWM``), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: the best known


def _start_measuring_peak() -> float:
    """Reset the high-water mark to the present RSS; returns that RSS (MB)."""
    with contextlib.suppress(OSError):  # not Linux: the peak then counts from the start
        Path("/proc/self/clear_refs").write_text("5")
    return _status_mb("VmRSS")


def _peak_mb() -> float:
    return _status_mb("VmHWM")


def probe_report() -> dict:
    from django.utils import timezone

    from metrics import documents
    from metrics.models import Report
    from metrics.reports import previous_month

    baseline = _start_measuring_peak()
    report = Report(kind=Report.Kind.MONTHLY, period=previous_month(), customer=None, version=1)
    started = time.perf_counter()
    now = timezone.now()
    figures = documents.report_figures(report, now=now)
    figures_done = time.perf_counter()
    charts = documents.report_charts(figures)
    context = documents.report_context(report, figures, charts, generated_at=now)
    pdf = documents.render_report(context)
    finished = time.perf_counter()
    return {
        "seconds": finished - started,
        "figures_seconds": figures_done - started,
        "pdf_bytes": len(pdf),
        "peak_rss_mb": _peak_mb(),
        "rss_before_mb": baseline,
    }


def probe_csv() -> dict:
    from claims.exports import claims_csv_response
    from claims.selectors import claims_for_list
    from customers.volume import volume_engineer

    user = volume_engineer()
    baseline = _start_measuring_peak()
    started = time.perf_counter()
    response = claims_csv_response(claims_for_list(user))
    size = lines = 0
    rss_at_10k = None
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
        if rss_at_10k is None and lines >= 10_000:
            rss_at_10k = _peak_mb()
    return {
        "seconds": time.perf_counter() - started,
        "rows": lines - 1,
        "bytes": size,
        "rss_before_mb": baseline,
        "rss_after_10k_rows_mb": rss_at_10k,
        "peak_rss_mb": _peak_mb(),
    }


def probe_copy() -> dict:
    """``COPY … TO STDOUT`` of the export's own statement (columns, joins, order): the least a
    CSV of these rows can cost, for the export's figure to be read against."""
    import psycopg
    from django.db import connection

    from claims.exports import FIELDS, NO_NEXT_DUE
    from claims.selectors import claims_for_list
    from customers.volume import volume_engineer

    claims = claims_for_list(volume_engineer())
    missing = {k: v for k, v in NO_NEXT_DUE.items() if k not in claims.query.annotations}
    sql, params = claims.annotate(**missing).values_list(*FIELDS).query.sql_with_params()
    connection.ensure_connection()
    statement = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
    baseline = _start_measuring_peak()
    started = time.perf_counter()
    size = lines = 0
    copy_sql = f"COPY ({statement}) TO STDOUT WITH (FORMAT csv, HEADER)"
    with connection.connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for block in copy:
            size += len(block)
            lines += bytes(block).count(b"\n")
    return {
        "seconds": time.perf_counter() - started,
        "rows": lines - 1,
        "bytes": size,
        "rss_before_mb": baseline,
        "peak_rss_mb": _peak_mb(),
    }


# The same sums as metrics.ppm, from the same tables: the monthly delivery sums the database keeps.
RAW_DELIVERED = """
SELECT month, sum(quantity)
FROM metrics_deliverymonth
WHERE month >= %(first)s AND month < %(end)s {customer}
GROUP BY 1
"""
# What summing the deliveries themselves costs, for the record of what the monthly sums save.
RAW_DELIVERED_FROM_DELIVERIES = """
SELECT date_trunc('month', ship_date)::date AS month, sum(quantity)
FROM metrics_delivery
WHERE ship_date >= %(first)s AND ship_date < %(end)s {customer}
GROUP BY 1
"""
# Months as the index of the interval between the month boundaries (computed once, in the portal's
# time zone): what a hand-written query does instead of converting every row's time zone.
RAW_CLAIMS = """
SELECT width_bucket(notified_at, %(bounds)s) AS month, kind, sum(ppm_qty), count(*)
FROM claims_claim
WHERE responsibility = 'accepted' AND status <> 'cancelled'
  AND notified_at >= %(first)s AND notified_at < %(end)s {customer}
GROUP BY 1, 2
"""


def probe_ppm(customer_id: str) -> dict:
    from django.db import connection
    from django.utils import timezone

    from metrics import ppm

    last = ppm.add_months(ppm.month_start(dt.date.today()), -1)
    first = ppm.add_months(last, -11)
    results = {}
    for label, customer in (("customer", int(customer_id)), ("company", None)):
        scope = ppm.Scope(customer_id=customer)
        condition = "AND customer_id = %(customer)s" if customer else ""
        # Months in the portal's time zone, as metrics.ppm counts them.
        bounds = [
            timezone.make_aware(dt.datetime.combine(ppm.add_months(first, n), dt.time.min))
            for n in range(13)
        ]
        params = {"first": bounds[0], "end": bounds[-1], "customer": customer, "bounds": bounds}

        def orm(scope=scope):
            return ppm.monthly_counts(scope, first, last)

        def raw(delivered=RAW_DELIVERED, condition=condition, params=params):
            with connection.cursor() as cursor:
                for sql in (delivered, RAW_CLAIMS):
                    cursor.execute(sql.format(customer=condition), params)
                    cursor.fetchall()

        def raw_from_deliveries():
            raw(delivered=RAW_DELIVERED_FROM_DELIVERIES)

        results[label] = {
            "orm_ms": _median_ms(orm),
            "raw_sql_ms": _median_ms(raw),
            "raw_sql_from_deliveries_ms": _median_ms(raw_from_deliveries),
        }
        results[label]["ratio"] = results[label]["orm_ms"] / results[label]["raw_sql_ms"]
    return results


def _median_ms(function) -> float:
    function()  # warm: connection, caches, plans
    durations = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    return statistics.median(durations)


# Distinct people, as in a working day: engineers and managers, and the quality staff of several
# customers (two each), each with a session of their own.
STAFF = [("engineer", n) for n in range(1, 11)] + [("manager", n) for n in range(1, 7)]
CUSTOMER_COMPANIES = 8


def probe_sessions() -> dict:
    """Signed-in session cookies, made with the gunicorn's own settings: the two named viewers,
    16 distinct staff users and 16 customer users of eight customers."""
    from accounts.models import User
    from customers.volume import CUSTOMER_USER_EMAIL, ENGINEER_EMAIL

    logging.getLogger("axes").setLevel(logging.WARNING)
    return {
        "engineer": _session_cookie(User.objects.get(email=ENGINEER_EMAIL)),
        "customer": _session_cookie(User.objects.get(email=CUSTOMER_USER_EMAIL)),
        "staff_pool": [_session_cookie(user) for user in _bench_staff()],
        "customer_pool": [_session_cookie(user) for user in _bench_customer_users()],
    }


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    # A browser keeps the CSRF cookie of its first page: without it every page would hand out a
    # new secret, and the claim page, cached per browser, would never be reused.
    client.get("/claims/")
    return "; ".join(
        f"{name}={client.cookies[name].value}"
        for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    )


def _bench_staff() -> list:
    from accounts.models import User

    users = []
    for role, number in STAFF:
        email = f"bench-{role}-{number:02d}@volume.example"
        users.append(
            User.objects.filter(email=email).first()
            or User.objects.create_user(email=email, full_name=f"Bench {role} {number}", role=role)
        )
    return users


def _bench_customer_users() -> list:
    from accounts.models import User
    from core.volumes import PREFIX
    from customers.models import Customer

    users = []
    companies = Customer.objects.filter(code__startswith=PREFIX).order_by("code")
    for customer in companies[:CUSTOMER_COMPANIES]:
        for number in (1, 2):
            email = f"bench-{number}@{customer.code.lower()}.volume.example"
            users.append(
                User.objects.filter(email=email).first()
                or User.objects.create_user(
                    email=email,
                    full_name=f"Bench {customer.code} {number}",
                    role="customer",
                    customer=customer,
                )
            )
    return users


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    name, *args = argv
    probes = {
        "report": probe_report,
        "csv": probe_csv,
        "copy": probe_copy,
        "ppm": probe_ppm,
        "sessions": probe_sessions,
    }
    probe = probes[name]
    print(json.dumps(probe(*args)))


if __name__ == "__main__":
    main(sys.argv[1:])
