"""A small closed-loop load generator: N clients, each sends its next request when the last ended.

Threads over keep-alive ``http.client`` connections. Locust would add a gevent stack and a web UI
to the dependencies for the same figures; the time a request waits in the server is what counts
here, and one thread per client measures it as long as the clients are mostly waiting.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    statuses: dict[int, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_load(
    host: str, port: int, path: str, cookies: str | list[str], *, clients: int, seconds: float
):
    """Hammer ``path`` with ``clients`` concurrent clients for ``seconds``; latency percentiles.

    ``cookies`` is one viewer's, or a list: client *i* is the person ``cookies[i % len]``.
    """
    people = [cookies] if isinstance(cookies, str) else list(cookies)
    durations: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(cookie: str):
        connection = http.client.HTTPConnection(host, port, timeout=120)
        mine, codes = [], {}
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                headers = {"Cookie": cookie} if cookie else {}
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=120)
                status = 0
            mine.append((time.perf_counter() - started) * 1000)
            codes[status] = codes.get(status, 0) + 1
        connection.close()
        with lock:
            durations.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count

    began = time.perf_counter()
    threads = [
        threading.Thread(target=client, args=(people[n % len(people)],), daemon=True)
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    ok = sum(count for code, count in statuses.items() if code == 200)
    return LoadResult(
        requests=len(durations),
        errors=len(durations) - ok,
        seconds=elapsed,
        p50_ms=_percentile(durations, 50),
        p95_ms=_percentile(durations, 95),
        statuses=statuses,
    )


def _percentile(values: list[float], percent: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


class Writer:
    """One person posting an internal comment on a claim every ``interval`` seconds, in the
    background of a measurement: the cache must keep serving what the comment does not change."""

    def __init__(self, host: str, port: int, path: str, cookie: str, *, interval: float = 1.0):
        self.host, self.port, self.path, self.cookie = host, port, path, cookie
        self.interval, self.posted, self.failed = interval, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._post_until_stopped, daemon=True)
        # Django accepts the CSRF cookie's secret as the header token.
        self._token = dict(
            part.strip().split("=", 1) for part in cookie.split(";") if "=" in part
        ).get("csrftoken", "")

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _post_until_stopped(self):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        number = 0
        while not self._stop.wait(self.interval):
            number += 1
            body = f"body=Checked+again+%28{number}%29&internal=on"
            headers = {
                "Cookie": self.cookie,
                "X-CSRFToken": self._token,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            try:
                connection.request("POST", self.path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status in (200, 302)
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
                ok = False
            self.posted += ok
            self.failed += not ok
        connection.close()
