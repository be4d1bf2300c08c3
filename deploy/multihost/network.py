"""The hosts of a multi-host run: network namespaces on one bridge, set up and torn down with `ip`.

Every host is a network namespace ``cqm-<name>`` with one veth pair: ``eth0`` inside with the
host's address, the other end on the bridge ``cqmbr0`` in the root namespace, which carries the
address the shared services (PostgreSQL and Redis forwarders, the S3 server) listen on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass

BRIDGE = "cqmbr0"
NAMESPACE_PREFIX = "cqm-"
SUBNET_PREFIX = "10.231.0"
PREFIX_LENGTH = 24
# The root namespace on the bridge: where the hosts reach PostgreSQL, Redis and S3.
SERVICES_ADDRESS = f"{SUBNET_PREFIX}.1"


@dataclass(frozen=True)
class Host:
    name: str
    address: str

    @property
    def namespace(self) -> str:
        return NAMESPACE_PREFIX + self.name

    @property
    def bridge_end(self) -> str:
        return f"cqmv-{self.name}"[:15]

    @property
    def host_end(self) -> str:
        return f"cqmp-{self.name}"[:15]


HOSTS = {
    host.name: host
    for host in (
        Host("proxy", f"{SUBNET_PREFIX}.10"),
        Host("web1", f"{SUBNET_PREFIX}.11"),
        Host("web2", f"{SUBNET_PREFIX}.12"),
        Host("worker1", f"{SUBNET_PREFIX}.21"),
        Host("worker2", f"{SUBNET_PREFIX}.22"),
        Host("beat", f"{SUBNET_PREFIX}.30"),
    )
}


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True)


def netns_available() -> tuple[bool, str]:
    """Whether this process may create network namespaces (root and iproute2 with netns)."""
    if os.geteuid() != 0:
        return False, "network namespaces need root"
    try:
        listed = ip("netns", "list", check=False)
    except FileNotFoundError:
        return False, "`ip` (iproute2) is not installed"
    if listed.returncode != 0:
        return False, f"`ip netns` does not work here: {listed.stderr.strip()}"
    return True, ""


def our_namespaces() -> list[str]:
    listed = ip("netns", "list", check=False).stdout.split("\n")
    names = [line.split()[0] for line in listed if line.strip()]
    return [name for name in names if name.startswith(NAMESPACE_PREFIX)]


def kill_namespace_processes(namespace: str) -> None:
    """SIGKILL whatever still runs in one of our namespaces (all of it was started by a run)."""
    for _attempt in range(20):
        pids = [int(pid) for pid in ip("netns", "pids", namespace, check=False).stdout.split()]
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)


def tear_down() -> None:
    """Remove every namespace and the bridge of a run, also of an earlier run that was killed."""
    for namespace in our_namespaces():
        kill_namespace_processes(namespace)
        ip("netns", "delete", namespace, check=False)
    for host in HOSTS.values():  # a veth left behind by a set-up that stopped half-way
        if ip("link", "show", host.bridge_end, check=False).returncode == 0:
            ip("link", "delete", host.bridge_end, check=False)
    if ip("link", "show", BRIDGE, check=False).returncode == 0:
        ip("link", "delete", BRIDGE, check=False)


def set_up() -> None:
    ip("link", "add", BRIDGE, "type", "bridge")
    ip("addr", "add", f"{SERVICES_ADDRESS}/{PREFIX_LENGTH}", "dev", BRIDGE)
    ip("link", "set", BRIDGE, "up")
    for host in HOSTS.values():
        _add_host(host)


def _add_host(host: Host) -> None:
    ns = host.namespace
    ip("netns", "add", ns)
    ip("link", "add", host.bridge_end, "type", "veth", "peer", "name", host.host_end)
    ip("link", "set", host.host_end, "netns", ns)
    ip("link", "set", host.bridge_end, "master", BRIDGE, "up")
    ip("-n", ns, "link", "set", "lo", "up")
    ip("-n", ns, "link", "set", host.host_end, "name", "eth0")
    ip("-n", ns, "addr", "add", f"{host.address}/{PREFIX_LENGTH}", "dev", "eth0")
    ip("-n", ns, "link", "set", "eth0", "up")
    ip("-n", ns, "route", "add", "default", "via", SERVICES_ADDRESS)


def in_namespace(host: Host, command: list[str]) -> list[str]:
    return ["ip", "netns", "exec", host.namespace, *command]
