"""Run the portal on several hosts of one machine and prove that it scales out.

Hosts are network namespaces on a bridge (network.py): two web hosts (gunicorn) behind a
round-robin proxy (proxy.py), two worker hosts (a notifications worker and a worker for every
other queue on each), one beat host. They share PostgreSQL and Redis of this machine (reached
through a forwarder on the bridge address, forward.py) and an S3 server (moto). The checks
(checks.py) print one row each; the exit status is 0 only when every check passed.

    deploy/multihost/run              # set up, check, tear down
    deploy/multihost/run --clean      # only remove what an earlier run left behind
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import shutil
import signal
import sys
import time
from pathlib import Path

import network
from checks import Checks, Row
from cluster import DATABASE, SEED_BROKER_DB, Cluster
from processes import Supervisor, stop_leftovers

PROJECT = Path(__file__).resolve().parents[2]
STATE_DIR = PROJECT / "var" / "multihost"
RUNS_KEPT = 5
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


class Interrupted(Exception):
    pass


def interrupt(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


def clean_leftovers() -> None:
    stopped = stop_leftovers(STATE_DIR / "pids")
    namespaces = network.our_namespaces()
    network.tear_down()
    if stopped or namespaces:
        log(f"removed an earlier run's leftovers: {', '.join([*stopped, *namespaces])}")


def new_run_dir() -> Path:
    runs = STATE_DIR / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    for old in sorted(runs.iterdir())[: -RUNS_KEPT + 1]:
        shutil.rmtree(old, ignore_errors=True)
    run_dir = runs / dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    (run_dir / "logs").mkdir(parents=True)
    return run_dir


def set_up(cluster: Cluster) -> None:
    log("network: bridge and namespaces")
    network.set_up()
    cluster.start_shared_services()
    static = cluster.collect_static()
    if static is not None:
        log("static files changed: collecting them (once per change)")
    log("database: a fresh cqm_multihost")
    how = cluster.create_database(log)
    cluster.empty_redis()
    log(f"database ready ({how}); seeding the demo master data, starting the hosts")
    cluster.seed()
    cluster.create_bucket()
    cluster.finish_static(static)
    cluster.start_front()
    cluster.settings_known()
    if cluster.settings["storage"] == "django.core.files.storage.FileSystemStorage":
        log("warning: the settings ignore the S3 variables; media stays on each host")
    log(f"workers serve the queues {cluster.settings['queues']}")
    cluster.start_workers()
    cluster.finish_seed()
    cluster.empty_redis(SEED_BROKER_DB)
    log("seeded")
    cluster.wait_until_ready()
    log("all hosts ready")


def print_table(rows: list[Row]) -> None:
    widths = [max(len(row.check) for row in rows), 6]
    print()
    print(f"{'check'.ljust(widths[0])}  {'result'.ljust(widths[1])}  figure")
    print(f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * 40}")
    for row in rows:
        result = "PASS" if row.ok else "FAIL"
        print(f"{row.check.ljust(widths[0])}  {result.ljust(widths[1])}  {row.figure}")
    print()


def run() -> int:
    run_dir = new_run_dir()
    pid_dir = STATE_DIR / "pids"
    pid_dir.mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor(PROJECT, run_dir / "logs", pid_dir)
    cluster = Cluster(PROJECT, run_dir, supervisor)
    rows: list[Row] = []
    failure = ""
    try:
        set_up(cluster)
        rows = Checks(cluster).run_all(log)
    except Interrupted as stop:
        failure = f"interrupted by {stop}"
    except Exception as error:
        failure = f"{type(error).__name__}: {error}"
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        log("tearing down")
        supervisor.stop_all()
        network.tear_down()
    passed = bool(rows) and not failure and all(row.ok for row in rows)
    if passed:
        log("dropping the run's database")
        cluster.drop_database()
    if rows:
        print_table(rows)
    if failure:
        print(f"The run stopped: {failure}")
    print(f"{'PASSED' if passed else 'FAILED'} in {time.monotonic() - STARTED:.0f} s")
    if not passed:
        print(f"Logs: {run_dir / 'logs'} (one per process), mails: {run_dir / 'mail'}")
        print(f"Database {DATABASE} is kept for a look; the next run replaces it.")
    return 0 if passed else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clean", action="store_true", help="only remove an earlier run's rest")
    arguments = parser.parse_args()
    available, reason = network.netns_available()
    if not available:
        print(f"Cannot run: {reason}.", file=sys.stderr)
        return 2
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    lock = (STATE_DIR / "run.lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("Another multi-host run is in progress on this machine.", file=sys.stderr)
        return 2
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)
    clean_leftovers()
    if arguments.clean:
        return 0
    return run()


if __name__ == "__main__":
    sys.exit(main())
