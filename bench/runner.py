"""The bench run behind ``manage.py bench``: seed if needed, start gunicorn, load, probe, report."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from claims.models import Claim
from customers.volume import CUSTOMER_USER_EMAIL

from .load import run_load

OUTPUT_DIR = Path(settings.BASE_DIR) / "var" / "bench"
HOST = "127.0.0.1"


@dataclass
class Endpoint:
    name: str
    path: str
    viewer: str  # "engineer" or "customer"
    # "page" or "api": the floor it is compared with; "page floor" or "api floor": a floor.
    floor: str


@dataclass
class Options:
    seconds: float = 15.0
    clients: int = 16
    workers: int = 0  # 0: 2 × cores + 1
    scale: float = 1.0
    port: int = 8765
    stdout: object = None


@dataclass
class Results:
    machine: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    endpoints: list[dict] = field(default_factory=list)
    ppm: dict = field(default_factory=dict)
    report: dict = field(default_factory=dict)
    csv_export: dict = field(default_factory=dict)


def run(options: Options) -> Results:
    say = options.stdout.write
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    call_command(
        "seed_volume", "--if-missing", "--scale", str(options.scale), stdout=options.stdout
    )
    # Signed with the gunicorn's secret key: a process with the bench settings makes them.
    if "error" in (cookies := probe("sessions")):
        raise RuntimeError(f"Could not sign the bench users in: {cookies['error']}")
    workers = options.workers or 2 * (os.cpu_count() or 1) + 1
    measured = {name: getattr(options, name) for name in ("seconds", "clients", "scale", "port")}
    results = Results(machine=machine(), options={**measured, "workers": workers})
    endpoints = endpoints_to_measure()
    say(f"Starting gunicorn with {workers} workers on port {options.port}…")
    with gunicorn(options.port, workers):
        results.endpoints += measure(endpoints, cookies, options, workers)
    # The same pages with the cache switched off: what the first view after a write costs.
    say("Again without the cache (each request as the first after a write)…")
    with gunicorn(options.port, workers, cache=False):
        results.endpoints += measure(uncached(endpoints), cookies, options, workers)
    add_ratios(results.endpoints)
    say("Timing ppm against raw SQL, the monthly report and the CSV export…")
    customer_id = User.objects.get(email=CUSTOMER_USER_EMAIL).customer_id
    results.ppm = probe("ppm", str(customer_id))
    results.report = probe("report")
    results.csv_export = probe("csv")
    write(results)
    return results


def measure(endpoints, cookies, options: Options, workers: int) -> list[dict]:
    rows = []
    for endpoint in endpoints:
        cookie = cookies[endpoint.viewer]
        for _ in range(3):  # warm every worker's imports and caches
            run_load(HOST, options.port, endpoint.path, cookie, clients=workers, seconds=0.5)
        load = run_load(
            HOST, options.port, endpoint.path, cookie, clients=options.clients,
            seconds=options.seconds,
        )  # fmt: skip
        rows.append({**asdict(endpoint), **asdict(load), "rps": load.rps})
        options.stdout.write(
            f"  {endpoint.name:<42} p50 {load.p50_ms:7.1f} ms  p95 {load.p95_ms:7.1f} ms  "
            f"{load.rps:6.1f} req/s  {load.errors} errors"
        )
    return rows


# Served per data version (core.data_version): measured again on a server without the cache.
CACHED = (
    "Claims list page",
    "Claims list page, filtered",
    "Claim detail page",
    "Dashboard page",
    "Claims API list",
    "Claim API detail",
    "PPAP submissions list page",
)


def uncached(endpoints: list[Endpoint]) -> list[Endpoint]:
    return [
        Endpoint(f"{e.name}, without the cache", e.path, e.viewer, e.floor)
        for e in endpoints
        if e.name in CACHED
    ]


def endpoints_to_measure() -> list[Endpoint]:
    customer_user = User.objects.get(email=CUSTOMER_USER_EMAIL)
    # A recent claim of the customer user's company: both viewers may read it.
    claim = (
        Claim.objects.filter(customer_id=customer_user.customer_id).order_by("-created_at").first()
    )
    customer = customer_user.customer_id
    floors = [
        Endpoint("Page floor", f"/bench/floor/page/{claim.pk}/", "engineer", "page floor"),
        Endpoint("API floor", f"/bench/floor/api/{claim.pk}/", "engineer", "api floor"),
    ]
    return [
        *floors,
        Endpoint("Claims list page", "/claims/", "engineer", "page"),
        Endpoint(
            "Claims list page, filtered",
            f"/claims/?status=root_cause&customer={customer}&severity=major",
            "engineer",
            "page",
        ),
        Endpoint("Claims list page, customer user", "/claims/", "customer", "page"),
        Endpoint("Claim detail page", f"/claims/{claim.pk}/", "engineer", "page"),
        Endpoint("Dashboard page", "/metrics/", "engineer", "page"),
        Endpoint("Parts list page", "/parts/", "engineer", "page"),
        Endpoint("Claims API list", "/api/v1/claims/", "engineer", "api"),
        Endpoint("Claim API detail", f"/api/v1/claims/{claim.pk}/", "engineer", "api"),
        Endpoint(
            "ppm API, one customer", f"/api/v1/metrics/ppm/?customer={customer}", "engineer", "api"
        ),
        Endpoint("ppm API, company", "/api/v1/metrics/ppm/", "engineer", "api"),
        # The other record types' lists (changes, deviations, PPAP, audits) at their volume.
        Endpoint("Change requests list page", "/changes/", "engineer", "page"),
        Endpoint("Deviations list page", "/changes/deviations/", "engineer", "page"),
        Endpoint("PPAP submissions list page", "/ppap/", "engineer", "page"),
        Endpoint("Audits list page", "/audits/", "engineer", "page"),
        # Measured again at the end: the machine's load may drift while the endpoints run.
        *(
            Endpoint(f"{floor.name}, again", floor.path, floor.viewer, floor.floor)
            for floor in floors
        ),
    ]


def add_ratios(rows: list[dict]) -> None:
    """Each endpoint's p95 over its floor's: the mean of the floor's runs (start and end)."""
    floors = {
        kind: statistics.mean(row["p95_ms"] for row in rows if row["floor"] == f"{kind} floor")
        for kind in ("page", "api")
    }
    for row in rows:
        floor = floors.get(row["floor"])
        row["p95_ratio"] = row["p95_ms"] / floor if floor else None


class gunicorn:
    """A gunicorn with the bench settings for the duration of a with block."""

    def __init__(self, port: int, workers: int, *, cache: bool = True):
        self.port, self.workers, self.cache = port, workers, cache

    def __enter__(self):
        if _port_in_use(self.port):
            raise RuntimeError(f"Port {self.port} is in use; choose another with --port.")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        if not self.cache:
            env["CQM_BENCH_CACHE"] = "off"
        log = open(OUTPUT_DIR / "gunicorn.log", "w" if self.cache else "a")
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cqm_portal.wsgi", "--workers", str(self.workers),
             "--bind", f"{HOST}:{self.port}", "--worker-class", "sync", "--timeout", "120",
             # Steady state: no worker recycling (gunicorn.conf.py) in the middle of a figure.
             "--max-requests", "0"],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://{HOST}:{self.port}/healthz", timeout=2)
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not start; see {OUTPUT_DIR / 'gunicorn.log'}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) == 0


def probe(name: str, *args: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.probes", name, *args],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "cores": os.cpu_count(),
        "memory_gib": round(memory_gib, 1),
        "cpu": _cpu_model(),
        "postgresql": postgres,
        "python": platform.python_version(),
        "claims": Claim.objects.count(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def write(results: Results) -> tuple[Path, Path]:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    json_path, markdown_path = OUTPUT_DIR / "results.json", OUTPUT_DIR / "results.md"
    json_path.write_text(json.dumps(asdict(results), indent=2, default=str))
    markdown_path.write_text(markdown(results))
    return json_path, markdown_path


def markdown(results: Results) -> str:
    m, o = results.machine, results.options
    lines = [
        f"Measured {m['when']} on {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB RAM, "
        f"PostgreSQL {m['postgresql']}, Python {m['python']}; {m['claims']:,} claims; gunicorn "
        f"{o['workers']} sync workers; {o['clients']} concurrent clients, {o['seconds']:g} s per "
        "endpoint. Each floor runs first and last; ratios use the mean of its two p95s.",
        "",
        "| Endpoint | p50 ms | p95 ms | req/s | p95 ÷ floor p95 (target ≤ 2) | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in results.endpoints:
        ratio = f"{row['p95_ratio']:.2f}" if row.get("p95_ratio") else "floor"
        lines.append(
            f"| {row['name']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['rps']:.1f} "
            f"| {ratio} | {row['errors']} |"
        )
    lines += ["", "| Measurement | Figure | Target |", "|---|---|---|"]
    for label, key in (("one customer", "customer"), ("company", "company")):
        figure = results.ppm.get(key)
        if figure:
            lines.append(
                f"| ppm 12 months, {label}: ORM vs raw SQL | {figure['orm_ms']:.1f} ms vs "
                f"{figure['raw_sql_ms']:.1f} ms = {figure['ratio']:.2f}× | ≤ 1.5× |"
            )
            if "raw_sql_from_deliveries_ms" in figure:
                lines.append(
                    f"| ppm 12 months, {label}: raw SQL summing the deliveries themselves | "
                    f"{figure['raw_sql_from_deliveries_ms']:.1f} ms | (reference) |"
                )
    report, export = results.report, results.csv_export
    if "seconds" in report:
        lines.append(
            f"| Company monthly report | {report['seconds']:.1f} s, worker peak "
            f"{report['peak_rss_mb']:.0f} MB | ≤ 10 s, ≤ 500 MB |"
        )
    if "seconds" in export:
        lines.append(
            f"| CSV export, {export['rows']:,} claims | {export['seconds']:.1f} s, peak "
            f"{export['peak_rss_mb']:.0f} MB (after 10,000 rows "
            f"{export['rss_after_10k_rows_mb'] or 0:.0f} MB) | constant memory |"
        )
    for name, figure in (("ppm", results.ppm), ("report", report), ("CSV", export)):
        if "error" in figure:
            lines.append(f"| {name} | failed: {figure['error']} | |")
    return "\n".join(lines) + "\n"
