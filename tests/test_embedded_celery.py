"""A real Celery worker consumes tasks: on the SQLite broker of the embedded mode, and on Redis.

Both the worker and the client run as subprocesses with the production settings module, so this
checks the broker configuration itself rather than the eager mode of the test settings.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

WORKER_START_TIMEOUT = 60
CLIENT_SNIPPET = """
import sys
from cqm_portal.celery import app
result = app.send_task("cqm_portal.ping", queue=sys.argv[1])
print(result.get(timeout=float(sys.argv[2]), interval=0.2))
"""


def _env(var_dir: Path, broker_url: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cqm_portal.settings",
        CQM_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
    )
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    return env


def _round_trip(var_dir: Path, broker_url: str | None = None) -> tuple[str, str]:
    """Start a worker on a private queue, send it a ping; (client output, worker log)."""
    env = _env(var_dir, broker_url)
    queue = f"cqm-test-{uuid.uuid4().hex[:12]}"
    log = var_dir / "worker.log"
    console = (var_dir / "worker.console").open("w")
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "cqm_portal", "worker", "--pool=solo",
            "--loglevel=INFO", "-Q", queue, "--without-gossip", "--without-mingle",
            "--without-heartbeat", f"--logfile={log}",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=console,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        client = subprocess.run(
            [sys.executable, "-c", CLIENT_SNIPPET, queue, str(WORKER_START_TIMEOUT)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=WORKER_START_TIMEOUT + 30,
        )
        console.flush()
        assert worker.poll() is None, (var_dir / "worker.console").read_text()[-3000:]
        return client.stdout.strip() + client.stderr, log.read_text() if log.exists() else ""
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        console.close()


def test_worker_on_the_embedded_broker_runs_a_task(tmp_path):
    output, worker_log = _round_trip(tmp_path)

    assert output.splitlines()[0] == "pong", output
    assert "embedded+sqlite://" in worker_log
    assert "cqm_portal.ping" in worker_log
    assert "succeeded" in worker_log
    # The message really went through the SQLite file under the var directory.
    assert (tmp_path / "celery" / "broker.sqlite3").is_file()
    assert any((tmp_path / "celery" / "results").iterdir())


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_worker_on_redis_broker_runs_a_task(tmp_path):
    output, worker_log = _round_trip(tmp_path, broker_url=os.environ["REDIS_URL"])

    assert output.splitlines()[0] == "pong", output
    assert "redis://" in worker_log
    assert "succeeded" in worker_log
