"""A throwaway PostgreSQL primary with a streaming hot standby, for the tests of the read replica.

``replica_pair(load_schema)`` makes both in a temporary folder of its own, on free ports of their
own, and removes them afterwards, also when the test fails: the machine's own cluster and its
configuration are never touched.

* The primary: ``initdb`` with trust authentication for local TCP connections, replication
  included, ``wal_level=replica``. Durability is switched off (``fsync``, ``full_page_writes``):
  the cluster lives for one test.
* ``load_schema(url)`` fills the primary's database (the portal's schema and seed rows).
* The standby: ``pg_basebackup -R`` of the primary (the ``-R`` writes ``standby.signal`` and the
  connection back to the primary), started with ``hot_standby`` on, so it answers reads while it
  replays the primary's WAL.

PostgreSQL refuses to run as root: as root the server programs run as the ``postgres`` user,
which gets the folder (made under /tmp: pytest's own temporary folders are private to root).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

HOST = "127.0.0.1"
USER = "postgres"
DATABASE = "cqm"
SERVER_USER = "postgres"
PROGRAMS = ("initdb", "pg_ctl", "postgres", "pg_basebackup")
START_TIMEOUT_SECONDS = 30
PRIMARY_SETTINGS = {
    "listen_addresses": f"'{HOST}'",
    "wal_level": "replica",
    "max_wal_senders": "4",
    "hot_standby": "on",
    "fsync": "off",
    "full_page_writes": "off",
    "max_connections": "30",
    "shared_buffers": "32MB",
    # Only the folder: the machine's socket directory belongs to its own cluster.
    "unix_socket_directories": "'{folder}'",
}
HBA = f"""\
host all all {HOST}/32 trust
host replication all {HOST}/32 trust
"""


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder holding every program needed, if any."""
    root = Path("/usr/lib/postgresql")
    versions = sorted(
        (folder for folder in root.glob("*") if folder.name.isdigit()),
        key=lambda folder: int(folder.name),
        reverse=True,
    )
    for version in versions:
        if all((version / "bin" / program).exists() for program in PROGRAMS):
            return version / "bin"
    return None


def missing_reason() -> str | None:
    """Why no replica pair can be made here; None when it can."""
    if binaries() is None:
        return (
            f"PostgreSQL server programs ({', '.join(PROGRAMS)}) not found in /usr/lib/postgresql"
        )
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: PostgreSQL cannot be started as another user"
    return None


@dataclass(frozen=True)
class ReplicaPair:
    primary_port: int
    standby_port: int

    def url(self, port: int) -> str:
        return f"postgres://{USER}@{HOST}:{port}/{DATABASE}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def standby_url(self) -> str:
        return self.url(self.standby_port)

    def wait_for_replay(self, timeout: float = 10.0) -> None:
        """Return once the standby has replayed everything the primary has written so far."""
        with _connect(self.primary_port) as primary:
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        with _connect(self.standby_port) as standby:
            while True:
                behind = standby.execute(
                    "SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn()) > 0", [target]
                ).fetchone()[0]
                if not behind:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the standby has not replayed up to {target}")
                time.sleep(0.02)


@contextlib.contextmanager
def replica_pair(load_schema: Callable[[str], None]) -> Iterator[ReplicaPair]:
    """A running primary and hot standby; both stopped and their folder removed on exit."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError(missing_reason())
    folder = Path(tempfile.mkdtemp(prefix="cqm-pg-replica-", dir="/tmp"))
    started: list[Path] = []
    try:
        _hand_over(folder)
        pair = ReplicaPair(primary_port=_free_port(), standby_port=_free_port())
        primary = folder / "primary"
        _as_server_user([bin_dir / "initdb", "-D", primary, "-U", USER, "-A", "trust", "-N"])
        _configure(primary, pair.primary_port, folder)
        _start(bin_dir, primary, started)
        _create_database(pair.primary_port)
        load_schema(pair.primary_url)
        standby = folder / "standby"
        _as_server_user(
            [
                *(bin_dir / "pg_basebackup", "-h", HOST, "-p", pair.primary_port, "-U", USER),
                *("-D", standby, "-R", "-X", "stream", "-c", "fast", "--no-sync"),
            ]
        )
        _append(standby / "postgresql.auto.conf", {"port": str(pair.standby_port)})
        _start(bin_dir, standby, started)
        _wait_until_accepting(pair.standby_port)
        pair.wait_for_replay()
        yield pair
    finally:
        for data in reversed(started):
            _as_server_user(
                [bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], check=False
            )
        shutil.rmtree(folder, ignore_errors=True)


def _hand_over(folder: Path) -> None:
    """As root, the folder belongs to the user the servers run as."""
    if os.geteuid() == 0:
        shutil.chown(folder, user=SERVER_USER, group=SERVER_USER)
    folder.chmod(0o700)


def _as_server_user(command: list, *, check: bool = True) -> subprocess.CompletedProcess:
    command = [str(part) for part in command]
    if os.geteuid() == 0:
        command = ["runuser", "-u", SERVER_USER, "--", *command]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=START_TIMEOUT_SECONDS, cwd="/tmp"
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _configure(data: Path, port: int, folder: Path) -> None:
    settings = {key: value.format(folder=folder) for key, value in PRIMARY_SETTINGS.items()}
    _append(data / "postgresql.conf", {**settings, "port": str(port)})
    (data / "pg_hba.conf").write_text(HBA)


def _append(path: Path, settings: dict[str, str]) -> None:
    with path.open("a") as conf:
        conf.writelines(f"{key} = {value}\n" for key, value in settings.items())


def _start(bin_dir: Path, data: Path, started: list[Path]) -> None:
    started.append(data)
    log = data.parent / f"{data.name}.log"
    _as_server_user(
        [bin_dir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", START_TIMEOUT_SECONDS, "start"]
    )


def _create_database(port: int) -> None:
    with _connect(port, dbname="postgres") as server:
        server.execute(f"CREATE DATABASE {DATABASE}")


def _wait_until_accepting(port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            with _connect(port):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _connect(port: int, dbname: str = DATABASE) -> psycopg.Connection:
    return psycopg.connect(host=HOST, port=port, user=USER, dbname=dbname, autocommit=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]
