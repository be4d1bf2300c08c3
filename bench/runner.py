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

from .load import Writer, run_load

OUTPUT_DIR = Path(settings.BASE_DIR) / "var" / "bench"
HOST = "127.0.0.1"


@dataclass
class Endpoint:
    name: str
    path: str
    viewer: str  # "engineer", "customer" or "anonymous" (signed out)
    # "page" or "api": the floor it is compared with; "page floor", "api floor" or "bare floor":
    # a floor.
    floor: str


# The three runs, in order: distinct users on the cached portal, the same with one engineer
# posting a comment every second, and the cached endpoints on a server without the cache.
RUNS = ("cached", "cached, with a writer", "without the cache")


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
    copy_export: dict = field(default_factory=dict)


def run(options: Options) -> Results:
    say = options.stdout.write
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    call_command(
        "seed_volume", "--if-missing", "--scale", str(options.scale), stdout=options.stdout
    )
    # Signed with the gunicorn's secret key: a process with the bench settings makes them.
    if "error" in (sessions := probe("sessions")):
        raise RuntimeError(f"Could not sign the bench users in: {sessions['error']}")
    workers = options.workers or 2 * (os.cpu_count() or 1) + 1
    measured = {name: getattr(options, name) for name in ("seconds", "clients", "scale", "port")}
    results = Results(
        machine=machine(), options={**measured, "workers": workers, "cache": cache_backend()}
    )
    endpoints = endpoints_to_measure()
    people = viewers(sessions)
    say(f"Starting gunicorn with {workers} workers on port {options.port}…")
    with gunicorn(options.port, workers):
        say(f"{RUNS[0]}: {len(people['engineer'])} staff and {len(people['customer'])} customer "
            "users, each client a person of their own…")  # fmt: skip
        results.endpoints += measure(endpoints, people, options, workers, RUNS[0])
        say(f"{RUNS[1]}: an internal comment posted every second throughout…")
        with Writer(HOST, options.port, writer_path(), sessions["engineer"]) as writer:
            results.endpoints += measure(endpoints, people, options, workers, RUNS[1])
        results.options["comments_posted"] = writer.posted
        results.options["comments_failed"] = writer.failed
    # The same pages with the cache switched off: what the first view after a write costs.
    say(f"{RUNS[2]} (each request as the first after a write)…")
    with gunicorn(options.port, workers, cache=False):
        results.endpoints += measure(uncached(endpoints), people, options, workers, RUNS[2])
    add_ratios(results.endpoints)
    say("Timing ppm, the monthly report, the CSV export and COPY, each in a fresh process…")
    customer_id = User.objects.get(email=CUSTOMER_USER_EMAIL).customer_id
    results.ppm = probe("ppm", str(customer_id))
    results.report = probe("report")
    results.csv_export = probe("csv")
    results.copy_export = probe("copy")
    write(results)
    return results


def viewers(sessions: dict) -> dict[str, list[str]]:
    """Session cookies by viewer: every client a different person of that kind."""
    return {
        "engineer": sessions["staff_pool"] or [sessions["engineer"]],
        "customer": sessions["customer_pool"] or [sessions["customer"]],
        "anonymous": [""],
    }


def writer_path() -> str:
    """Comments go to another claim than the one measured, as another engineer's would."""
    claim = Claim.objects.exclude(status__in=Claim.COMMENTS_CLOSED_STATUSES).order_by("pk").first()
    return f"/claims/{claim.pk}/comments/"


def cache_backend() -> str:
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def measure(endpoints, people, options: Options, workers: int, run_name: str) -> list[dict]:
    rows = []
    for endpoint in endpoints:
        cookies = people[endpoint.viewer]
        for _ in range(3):  # warm every worker's imports and caches
            run_load(HOST, options.port, endpoint.path, cookies, clients=workers, seconds=0.5)
        load = run_load(
            HOST, options.port, endpoint.path, cookies, clients=options.clients,
            seconds=options.seconds,
        )  # fmt: skip
        rows.append({**asdict(endpoint), **asdict(load), "rps": load.rps, "run": run_name})
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
    """The cached endpoints and the floors (measured first and last, as in the other runs)."""
    return [e for e in endpoints if e.name in CACHED or "floor" in e.floor]


def endpoints_to_measure() -> list[Endpoint]:
    customer_user = User.objects.get(email=CUSTOMER_USER_EMAIL)
    # A recent claim of the customer user's company: both viewers may read it.
    claim = (
        Claim.objects.filter(customer_id=customer_user.customer_id).order_by("-created_at").first()
    )
    customer = customer_user.customer_id
    floors = [
        Endpoint("Bare floor, signed out", "/bench/floor/bare/", "anonymous", "bare floor"),
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
        Endpoint("Claims list page, customer users", "/claims/", "customer", "page"),
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
    """Each endpoint's p95 over its floor's in the same run: the mean of the floor's two runs."""
    for run_name in RUNS:
        in_run = [row for row in rows if row["run"] == run_name]
        floors = {}
        for kind in ("page", "api"):
            p95s = [row["p95_ms"] for row in in_run if row["floor"] == f"{kind} floor"]
            floors[kind] = statistics.mean(p95s) if p95s else None
        for row in in_run:
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


# The ratio each run is held to (the targets): cached with or without a writer ≤ 2×
# the floor; without the cache ≤ 2.5× (lists, claim page, API) and ≤ 3× (dashboard).
TARGETS = {RUNS[0]: "≤ 2", RUNS[1]: "≤ 2", RUNS[2]: "≤ 2.5 (dashboard ≤ 3)"}


def markdown(results: Results) -> str:
    m, o = results.machine, results.options
    lines = [
        f"Measured {m['when']} on {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB RAM, "
        f"PostgreSQL {m['postgresql']}, Python {m['python']}; {m['claims']:,} claims; gunicorn "
        f"{o['workers']} sync workers, cache {o.get('cache', '?')}; {o['clients']} concurrent "
        f"clients, each a different person; {o['seconds']:g} s per endpoint. Each floor runs "
        "first and last; ratios use the mean of its two p95s in the same run. The writer posted "
        f"{o.get('comments_posted', 0)} comments ({o.get('comments_failed', 0)} failed).",
    ]
    for run_name in RUNS:
        rows = [row for row in results.endpoints if row.get("run", RUNS[0]) == run_name]
        if not rows:
            continue
        lines += [
            "",
            f"**{run_name.capitalize()}**",
            "",
            f"| Endpoint | p50 ms | p95 ms | req/s | p95 ÷ floor p95 ({TARGETS[run_name]}) "
            "| errors |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for row in rows:
            ratio = f"{row['p95_ratio']:.2f}" if row.get("p95_ratio") else "floor"
            lines.append(
                f"| {row['name']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} "
                f"| {row['rps']:.1f} | {ratio} | {row['errors']} |"
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
            f"{report['peak_rss_mb']:.0f} MB ({report.get('rss_before_mb', 0):.0f} MB before "
            "it started) | ≤ 10 s, ≤ 500 MB |"
        )
    copy = results.copy_export
    if "seconds" in export:
        against = (
            f"; COPY of the same rows {copy['seconds']:.2f} s = "
            f"{export['seconds'] / copy['seconds']:.1f}×"
            if copy.get("seconds")
            else ""
        )
        lines.append(
            f"| CSV export, {export['rows']:,} claims | {export['seconds']:.1f} s{against}; peak "
            f"{export['peak_rss_mb']:.0f} MB, {export['rss_before_mb']:.0f} MB before it "
            f"started (after 10,000 rows {export['rss_after_10k_rows_mb'] or 0:.0f} MB) "
            "| ≤ 3× COPY, constant memory |"
        )
    for name, figure in (
        ("ppm", results.ppm),
        ("report", report),
        ("CSV", export),
        ("COPY", copy),
    ):
        if "error" in figure:
            lines.append(f"| {name} | failed: {figure['error']} | |")
    return "\n".join(lines) + "\n"
