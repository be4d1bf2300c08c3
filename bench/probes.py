"""Measurements that need a fresh worker process of their own: run as ``python -m bench.probes``.

Each probe prints one JSON object. Peak memory is the process's max RSS (``getrusage``), read
before and after the work, so the figure is what a Celery or gunicorn worker would need.

    python -m bench.probes report            the company monthly report, as the worker makes it
    python -m bench.probes csv               the CSV export of every claim, streamed
    python -m bench.probes ppm CUSTOMER_ID   ppm (12 months) through metrics.ppm vs raw SQL
    python -m bench.probes sessions          session cookies of the bench users
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import resource
import statistics
import sys
import time

REPEAT = 15


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def probe_report() -> dict:
    from django.utils import timezone

    from metrics import documents
    from metrics.models import Report
    from metrics.reports import previous_month

    baseline = _max_rss_mb()
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
        "peak_rss_mb": _max_rss_mb(),
        "rss_before_mb": baseline,
    }


def probe_csv() -> dict:
    from claims.exports import claims_csv_response
    from claims.selectors import claims_for_list
    from customers.volume import volume_engineer

    user = volume_engineer()
    baseline = _max_rss_mb()
    started = time.perf_counter()
    response = claims_csv_response(claims_for_list(user))
    size = lines = 0
    rss_at_10k = None
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
        if rss_at_10k is None and lines >= 10_000:
            rss_at_10k = _max_rss_mb()
    return {
        "seconds": time.perf_counter() - started,
        "rows": lines - 1,
        "bytes": size,
        "rss_before_mb": baseline,
        "rss_after_10k_rows_mb": rss_at_10k,
        "peak_rss_mb": _max_rss_mb(),
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


def probe_sessions() -> dict:
    """Signed-in session cookies for the bench users, made with the gunicorn's own settings."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User
    from customers.volume import CUSTOMER_USER_EMAIL, ENGINEER_EMAIL

    logging.getLogger("axes").setLevel(logging.WARNING)
    cookies = {}
    for viewer, email in (("engineer", ENGINEER_EMAIL), ("customer", CUSTOMER_USER_EMAIL)):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(email=email))
        # A browser keeps the CSRF cookie of its first page: without it every page would hand
        # out a new secret, and the claim page, cached per browser, would never be reused.
        client.get("/claims/")
        cookies[viewer] = "; ".join(
            f"{name}={client.cookies[name].value}"
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        )
    return cookies


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    name, *args = argv
    probes = {
        "report": probe_report,
        "csv": probe_csv,
        "ppm": probe_ppm,
        "sessions": probe_sessions,
    }
    probe = probes[name]
    print(json.dumps(probe(*args)))


if __name__ == "__main__":
    main(sys.argv[1:])
