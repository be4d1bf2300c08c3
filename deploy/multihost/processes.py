"""The processes of a run: started each in a session of its own, logged to a file, stopped by id.

Processes in the root namespace (the forwarder, the S3 server) also leave a pid file, so that a
later run can stop them when this one was killed before it could clean up; processes in a host's
namespace are found through the namespace itself (``network.tear_down``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

STOP_GRACE_SECONDS = 5


@dataclass
class Started:
    name: str
    process: subprocess.Popen
    log: Path
    pid_file: Path | None = None
    # A set-up step that ends by itself, not a service that must keep running.
    one_off: bool = False

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill_group(self, sig: int = signal.SIGKILL) -> None:
        """Signal the process and every process it started (one session, one group)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)


@dataclass
class Supervisor:
    project: Path
    log_dir: Path
    pid_dir: Path
    started: list[Started] = field(default_factory=list)

    def start(
        self,
        name: str,
        command: list[str],
        env: dict[str, str],
        *,
        pid_file: bool = False,
        one_off: bool = False,
    ) -> Started:
        log = self.log_dir / f"{name}.log"
        with log.open("ab") as output:
            process = subprocess.Popen(
                command,
                cwd=self.project,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        recorded = None
        if pid_file:
            recorded = self.pid_dir / f"{name}.pid"
            recorded.write_text(f"{process.pid}\n{' '.join(command)}\n")
        item = Started(name, process, log, recorded, one_off)
        self.started.append(item)
        return item

    def by_name(self, name: str) -> Started:
        return next(item for item in self.started if item.name == name)

    def stop_all(self) -> None:
        # Only groups whose leader still runs: the id of one that ended may belong to another.
        running = [item for item in reversed(self.started) if item.alive()]
        for item in running:
            item.kill_group(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for item in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                item.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            item.kill_group(signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                item.process.wait(timeout=5)
        for item in self.started:
            if item.pid_file is not None:
                item.pid_file.unlink(missing_ok=True)


def stop_leftovers(pid_dir: Path) -> list[str]:
    """Stop root-namespace processes an earlier, killed run left behind (checked by command line,
    so a pid reused by an unrelated process is left alone)."""
    stopped = []
    for pid_file in sorted(pid_dir.glob("*.pid")):
        lines = pid_file.read_text().splitlines()
        pid_file.unlink(missing_ok=True)
        if len(lines) < 2 or not lines[0].isdigit():
            continue
        pid, command = int(lines[0]), lines[1]
        try:
            running = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        # A script runs as "<interpreter> <script> …": the recorded command ends the line.
        if running.strip().endswith(command.strip()):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            stopped.append(f"{pid_file.stem} ({pid})")
    return stopped


def wait_until(condition, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(interval)
