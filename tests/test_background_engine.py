"""The background engine as it runs: real worker processes, a killed web process, the heartbeats.

* A process killed right after its business transaction commits loses nothing: the outbox row is
  there and the relay delivers it exactly once.
* A killed worker shows as silent on ``/healthz`` and in the managers' banner.
* ``make run PORT=…`` links mails to that port.

The soak test of the embedded broker lives in tests/test_embedded_soak.py.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from accounts.tests.factories import UserFactory
from core import heartbeat
from core.models import Heartbeat, OutboxMessage
from notifications.models import Notification

ON_POSTGRES = connection.vendor == "postgresql"
BASE_DIR = Path(settings.BASE_DIR)
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="a second process shares the test database only on PostgreSQL"
)


def test_database_url() -> str:
    """The URL of the database this test runs in, for a second process."""
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def process_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The production settings module against this test's database and a private var folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "DJANGO_", "DATABASE_URL", "CQM_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cqm_portal.settings",
        DATABASE_URL=test_database_url(),
        CQM_VAR_DIR=str(var_dir),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


# --- a web process dies between the commit and the publish ----------------------------------------

COMMIT_THEN_DIE = """
import os, signal, sys
import django
django.setup()
from django.db import transaction
from accounts.models import User
from notifications.kinds import Kind, register
from notifications.services import Text, notify

register(Kind("test.crash", "Crash probe"))
with transaction.atomic():
    # Registered before notify's own callback, so it runs first: the process dies right after
    # the commit, before the outbox's fast path can publish anything.
    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
    notify(
        kind="test.crash",
        recipients=[User.objects.get(pk=int(sys.argv[1]))],
        url="/claims/",
        title=Text("Safety claim filed"),
    )
print("not reached")
"""


def run_python(var_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=process_env(var_dir, **extra),
        capture_output=True,
        text=True,
        timeout=180,
    )


def mails_in(folder: Path) -> list[str]:
    """The messages the file mail backend wrote (one file per connection, 79 dashes between)."""
    if not folder.exists():
        return []
    text = "".join(path.read_text() for path in sorted(folder.iterdir()))
    return [part for part in text.split("-" * 79) if "Subject:" in part]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_process_killed_after_the_commit_loses_nothing_and_the_relay_mails_once(tmp_path):
    engineer = UserFactory(role="engineer", email="engineer@example.com")
    mail_folder = tmp_path / "mail"
    broker = f"embedded+sqlite:///{tmp_path / 'celery' / 'broker.sqlite3'}"
    services = {"CELERY_BROKER_URL": broker}

    died = run_python(tmp_path, "-c", COMMIT_THEN_DIE, str(engineer.pk), **services)

    assert died.returncode == -signal.SIGKILL, died.stderr[-2000:]
    assert "not reached" not in died.stdout
    notification = Notification.objects.get(recipient=engineer)
    message = OutboxMessage.objects.get()
    assert message.task == "notifications.deliver" and message.sent_at is None
    assert message.args == [[notification.pk]]

    worker = start_worker(
        tmp_path,
        tmp_path / "worker.log",
        queue="celery",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_folder),
        **services,
    )
    try:
        relays = [run_python(tmp_path, "manage.py", "relay_outbox", **services) for _ in "12"]
        assert "1 sent, 0 failed, 0 still waiting." in relays[0].stdout, relays[0].stderr
        assert "0 sent, 0 failed, 0 still waiting." in relays[1].stdout, relays[1].stderr
        notification.refresh_from_db()
        assert wait_for(lambda: len(mails_in(mail_folder)) >= 1, timeout=60)
        # The same task delivered a second time (delivery is at least once) mails nothing more.
        again = run_python(
            tmp_path,
            "-c",
            "import django; django.setup(); from notifications.tasks import deliver_notifications;"
            f" deliver_notifications.delay([{notification.pk}])",
            **services,
        )
        assert again.returncode == 0, again.stderr
        assert wait_for(lambda: "notifications.deliver" in _succeeded(tmp_path), timeout=30)
        time.sleep(1)
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    mails = mails_in(mail_folder)
    assert len(mails) == 1, mails
    assert "Subject: Safety claim filed" in mails[0]
    assert "To: engineer@example.com" in mails[0]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert OutboxMessage.objects.get().sent_at is not None


def _succeeded(var_dir: Path) -> str:
    """The worker log's lines of tasks that finished, from the second one on."""
    log = var_dir / "worker.log"
    lines = [line for line in log.read_text().splitlines() if "succeeded" in line]
    return "\n".join(lines[1:])


# --- a worker dies: /healthz and the banner say so ------------------------------------------------


def start_worker(var_dir: Path, log: Path, queue: str = "", **extra: str) -> subprocess.Popen:
    env = process_env(var_dir, CQM_HEARTBEAT_SECONDS="0.5", **extra)
    queue = queue or f"heartbeat-test-{os.getpid()}"
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "cqm_portal", "worker", "--pool=solo",
            "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-Q", queue, f"--logfile={log}",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_for(condition, *, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def health(client) -> dict:
    return client.get("/healthz").json()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_shows_on_healthz_and_in_the_managers_banner(
    tmp_path, client, client_for, manager, engineer, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CQM_HEARTBEAT_SECONDS = 0.5
    settings.CQM_BACKGROUND_SILENT_AFTER = 3  # instead of 5 minutes
    log = tmp_path / "worker.log"
    worker = start_worker(tmp_path, log)
    try:
        seen = wait_for(lambda: health(client)["background"]["worker"]["ok"], timeout=60)
        assert seen, log.read_text() if log.exists() else "the worker did not start"
        # The banner's status is cached for a heartbeat interval; an earlier process (this file's
        # other workers) may have left a verdict from before this worker started.
        cache.delete(heartbeat.STATUS_CACHE_KEY)
        manager_page = client_for(manager).get("/")
        assert "Background worker" not in manager_page.content.decode()
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    last_seen = Heartbeat.objects.get(component="worker").last_seen_at

    assert wait_for(lambda: not health(client)["background"]["worker"]["ok"], timeout=10)
    body = health(client)
    assert body["status"] == "degraded"
    assert body["background"]["worker"]["last_seen"] == last_seen.isoformat()
    banner = client_for(manager).get("/").content.decode()
    assert 'data-testid="background-alert"' in banner
    assert "Background worker: last seen" in banner
    engineer_page = client_for(engineer).get("/").content.decode()
    assert 'data-testid="background-alert"' not in engineer_page, "managers and admins only"


# --- make run PORT=… --------------------------------------------------------------------------


def make_value(name: str, *args: str) -> str:
    result = subprocess.run(
        ["make", "-s", f"print-{name}", *args],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=30,
        env={key: value for key, value in os.environ.items() if key != "PORTAL_BASE_URL"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_make_run_on_another_port_links_mails_to_that_port():
    assert make_value("PORTAL_BASE_URL") == "http://127.0.0.1:8000"
    assert make_value("PORTAL_BASE_URL", "PORT=8123") == "http://127.0.0.1:8123"
    assert make_value("PORTAL_BASE_URL", "HOST=0.0.0.0", "PORT=9000") == "http://0.0.0.0:9000"
    assert "--beat" in make_value("WORKER_ARGS")


# --- what people see while no worker runs --------------------------------------------------------


@pytest.mark.django_db
def test_a_queued_report_says_no_worker_is_running_instead_of_waiting(client_for, manager):
    from metrics.models import Report

    report = Report.objects.create(period=dt.date(2026, 10, 1))
    client = client_for(manager)

    page = client.get(f"/metrics/reports/{report.pk}/").content.decode()
    assert 'data-testid="no-worker"' in page
    assert "No worker is running." in page

    Heartbeat.objects.create(component="worker", instance="host:1")
    progress = client.get(f"/metrics/reports/{report.pk}/progress/").content.decode()
    assert 'data-testid="no-worker"' not in progress
    assert "Waiting for a worker" in progress


@pytest.mark.django_db
def test_the_banner_reads_right_in_german_and_names_the_silent_component(client_for, manager):
    manager.language = "de"
    manager.save(update_fields=["language"])
    Heartbeat.objects.create(component="beat", instance="host:2")

    page = client_for(manager).get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert 'data-testid="background-alert"' in page
    assert "Die Hintergrundverarbeitung ist angehalten." in page
    assert "Hintergrund-Worker" in page  # never seen: no heartbeat at all
    assert "Scheduler (beat)" not in page  # beat is alive
