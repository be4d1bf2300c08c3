"""Real Celery workers on Redis generate the monthly reports, and finish them once when killed.

The workers are subprocesses with the production settings module, a private queue and the test
database, so this checks what eager mode cannot: acks_late with a message redelivered after a
worker died, the report finished exactly once and exactly one e-mail per report. Needs Redis and
PostgreSQL (a worker process cannot share an SQLite test database); CI has both.
"""

import datetime as dt
import email
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from pypdf import PdfReader

from claims.tests.factories import decided_claim
from customers.tests.factories import PartFactory
from metrics import reports
from metrics.models import Report

from .factories import deliver

REDIS_URL = os.environ.get("REDIS_URL", "")
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
MONTH = "2025-10"
# Short, so that the message of a killed worker comes back within the test.
VISIBILITY_TIMEOUT = 3
WAIT_SECONDS = 60
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"

pytestmark = [
    pytest.mark.skipif(
        not (REDIS_URL and ON_POSTGRES), reason="needs REDIS_URL and a PostgreSQL DATABASE_URL"
    ),
    # Committed data: the worker processes read and write the same test database.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def month_data(customer_a, engineer, manager):
    """October 2025 for Autowerk AG: 40,000 parts shipped, 5 charged to ppm (125 ppm)."""
    customer_a.requirements.report_recipients = "quality@autowerk.example"
    customer_a.requirements.save()
    part = PartFactory(customer=customer_a)
    deliver(part, dt.date(2025, 10, 6), 40_000)
    decided_claim(part, dt.date(2025, 10, 8), 5, actor=engineer)
    return customer_a


class Workers:
    """Starts workers on one private queue and cleans up after them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.queue = f"cqm-test-reports-{uuid.uuid4().hex[:12]}"
        self.mail_dir = folder / "mail"
        self.mail_dir.mkdir()
        self.running: list[subprocess.Popen] = []

    def environment(self, pause: float) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CELERY_", "DJANGO_", "DATABASE_URL", "EMAIL_", "CQM_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="cqm_portal.settings",
            CQM_VAR_DIR=str(self.folder / "var"),
            DATABASE_URL=_test_database_url(),
            DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT),
            CELERY_BROKER_URL=REDIS_URL,
            CELERY_TASK_DEFAULT_QUEUE=self.queue,
            CELERY_BROKER_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.mail_dir),
            CQM_REPORT_TEST_PAUSE_SECONDS=str(pause),
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self, name: str, *, pause: float = 0) -> subprocess.Popen:
        console = (self.folder / f"{name}.console").open("w")
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "cqm_portal", "worker", "--pool=solo",
                "--loglevel=INFO", "-Q", self.queue, f"--hostname={name}-{self.queue}@localhost",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                f"--logfile={self.folder / f'{name}.log'}",
            ],
            cwd=settings.BASE_DIR,
            env=self.environment(pause),
            stdout=console,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        console.close()
        self.running.append(worker)
        return worker

    def send(self, task: str, *args) -> None:
        client = Celery("cqm_portal_test_client", broker=REDIS_URL, set_as_current=False)
        try:
            client.send_task(task, args=args, queue=self.queue)
        finally:
            client.close()

    def logs(self) -> str:
        files = sorted([*self.folder.glob("*.console"), *self.folder.glob("*.log")])
        return "\n".join(f"== {path.name}\n{path.read_text()[-3000:]}" for path in files)

    def stop_all(self) -> None:
        for worker in self.running:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
        redis.Redis.from_url(REDIS_URL).delete(self.queue)

    def mails(self) -> list[email.message.Message]:
        messages = []
        for path in sorted(self.mail_dir.iterdir()):
            for chunk in path.read_bytes().split(MAIL_SEPARATOR):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk))
        return messages


def _test_database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def workers(tmp_path):
    started = Workers(tmp_path)
    yield started
    started.stop_all()


def wait_for(condition, workers: Workers, what: str, timeout: float = WAIT_SECONDS):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"Timed out waiting for {what}.\n{workers.logs()[-4000:]}")


def all_sent(expected: int):
    def check():
        rows = list(Report.objects.all())
        done = [r for r in rows if r.status == Report.Status.DONE and r.emailed_at]
        return len(rows) == expected and len(done) == expected

    return check


def queue_empty(workers: Workers):
    return lambda: redis.Redis.from_url(REDIS_URL).llen(workers.queue) == 0


def stored_bytes(report: Report) -> bytes:
    with default_storage.open(report.file.name, "rb") as stored:
        return stored.read()


def pdf_text(report: Report) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(stored_bytes(report))).pages)


def test_worker_generates_the_scheduled_reports_and_mails_each_once(month_data, workers):
    workers.start("worker")
    workers.send("metrics.generate_monthly_reports", MONTH)
    workers.send("metrics.generate_monthly_reports", MONTH)  # the schedule fired twice

    wait_for(all_sent(2), workers, "two reports done and e-mailed")
    wait_for(queue_empty(workers), workers, "the queue to drain")
    time.sleep(1)  # a message taken last may still be running: give it time to (not) mail

    company, customer = Report.objects.order_by("pk")
    assert (company.customer_id, customer.customer_id) == (None, month_data.pk)
    text = pdf_text(customer)
    assert "October 2025" in text and "Autowerk AG" in text
    assert "125.00" in text  # 5 of 40,000
    assert "125.00" in pdf_text(company)
    for report in (company, customer):
        assert hashlib.sha256(stored_bytes(report)).hexdigest() == report.checksum

    mails = workers.mails()
    assert sorted(m["To"] for m in mails) == ["manager@example.com", "quality@autowerk.example"]
    assert all("2025-10" in m["Subject"] for m in mails)


def test_report_of_a_killed_worker_is_finished_once_by_the_next(month_data, workers):
    first = workers.start("first", pause=2)
    workers.send("metrics.generate_monthly_reports", MONTH)

    running = wait_for(
        lambda: Report.objects.filter(status=Report.Status.RUNNING, progress__gte=10).first(),
        workers,
        "a report to be generating",
    )
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=15)
    running.refresh_from_db()
    assert running.status == Report.Status.RUNNING and not running.generated_at
    # The dead worker's message becomes visible again once the visibility timeout has passed.
    time.sleep(VISIBILITY_TIMEOUT + 1)

    workers.start("second")
    wait_for(all_sent(2), workers, "both reports done and e-mailed after the restart")
    wait_for(queue_empty(workers), workers, "the queue to drain")
    time.sleep(1)

    running.refresh_from_db()
    content = stored_bytes(running)
    assert running.status == Report.Status.DONE
    assert running.attempts >= 2
    assert running.file.name == reports.report_file_name(running)
    assert len(content) == running.size
    assert hashlib.sha256(content).hexdigest() == running.checksum
    assert content.rstrip().endswith(b"%%EOF")
    assert "October 2025" in pdf_text(running)

    recipients = sorted(m["To"] for m in workers.mails())
    assert recipients == ["manager@example.com", "quality@autowerk.example"]
