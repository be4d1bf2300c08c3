"""Heavy PDFs do not stop the portal: a bounded load test against gunicorn and a real worker.

Three API clients ask for the heaviest 8D report the limits allow (tests/maximal.py) in a loop for
30 seconds, as a client does (on 202 it waits the Retry-After seconds). Meanwhile ``/healthz`` is
asked every second and must answer within one second each time: the layout happens in the Celery
worker, so gunicorn's web workers stay free. Loopback only; production settings (DEBUG off).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

import pytest

from accounts.services import token_create

from .maximal import maximal_claim
from .test_background_engine import BASE_DIR, needs_postgres, process_env, wait_for

LOAD_SECONDS = 30
CLIENTS = 3
HEALTH_WITHIN_SECONDS = 1.0
GIVE_UP_AFTER_SECONDS = 120


@dataclass
class Tally:
    statuses: list[int] = field(default_factory=list)
    pdf_bytes: int = 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, headers: dict | None = None, timeout: float = 30):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _client(url: str, token: str, until: float, tally: Tally) -> None:
    """Asks for ``LOAD_SECONDS``, and on until it had the PDF (the worker may be slow here)."""
    headers = {"Authorization": f"Token {token}", "Accept": "application/pdf"}
    give_up = until + GIVE_UP_AFTER_SECONDS
    while time.monotonic() < until or (not tally.pdf_bytes and time.monotonic() < give_up):
        status, response_headers, body = _get(url, headers)
        tally.statuses.append(status)
        if status == 200:
            tally.pdf_bytes = len(body)
        else:
            time.sleep(float(response_headers.get("Retry-After", "1")))


def _start(env: dict, port: int, media, log_dir) -> list[subprocess.Popen]:
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "cqm_portal", "worker", "--pool=solo",
            "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
            f"--logfile={log_dir / 'worker.log'}",
        ],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cqm_portal.wsgi"],
        cwd=BASE_DIR,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},  # gunicorn.conf.py's worker count
        stdout=(log_dir / "web.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    return [worker, web]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_healthz_answers_within_a_second_while_three_clients_loop_on_the_heaviest_pdf(
    tmp_path, settings, user_a, engineer
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    claim = maximal_claim(user_a, engineer)
    _token, key = token_create(user=user_a, name="load test")
    port = _free_port()
    env = process_env(
        tmp_path / "var",
        DJANGO_MEDIA_ROOT=str(media),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="load-test-only",
        DJANGO_SECURE_SSL_REDIRECT="0",
    )
    base = f"http://127.0.0.1:{port}"
    processes = _start(env, port, media, tmp_path)
    try:
        assert wait_for(lambda: _health(base)[0] == 200, timeout=60), "gunicorn did not start"
        _warm_up(base)
        until = time.monotonic() + LOAD_SECONDS
        tallies = [Tally() for _ in range(CLIENTS)]
        clients = [
            threading.Thread(
                target=_client, args=(f"{base}/api/v1/claims/{claim.pk}/report/", key, until, t)
            )
            for t in tallies
        ]
        for client in clients:
            client.start()
        health = []
        while any(client.is_alive() for client in clients):
            started = time.monotonic()
            health.append(_health(base))
            time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)

    slowest = max(seconds for _status, seconds in health)
    print(f"/healthz asked {len(health)} times, slowest {slowest:.3f} s; ", end="")
    print("PDF requests:", [len(t.statuses) for t in tallies], "bytes", tallies[0].pdf_bytes)
    assert len(health) >= LOAD_SECONDS - 2
    assert all(status is not None for status, _seconds in health)
    assert slowest < HEALTH_WITHIN_SECONDS
    statuses = [status for tally in tallies for status in tally.statuses]
    assert set(statuses) <= {200, 202}
    assert statuses.count(200) >= CLIENTS  # the worker made it; every client got the PDF
    assert all(tally.pdf_bytes > 100_000 for tally in tallies)


def _warm_up(base: str) -> None:
    """Each gunicorn worker loads the application on its first request: not part of the test."""
    warmers = [threading.Thread(target=_health, args=(base,)) for _ in range(12)]
    for warmer in warmers:
        warmer.start()
    for warmer in warmers:
        warmer.join()


def _health(base: str) -> tuple[int | None, float]:
    started = time.monotonic()
    try:
        status, _headers, _body = _get(f"{base}/healthz", timeout=5)
    except OSError:
        status = None
    return status, time.monotonic() - started
