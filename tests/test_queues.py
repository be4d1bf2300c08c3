"""Each kind of background work has its own queue, and its own workers: a long report never holds
up an alert mail.

* every task of the app lands on the queue the routing table names, a task it does not name on
  the default queue (a new task is listed here, deliberately);
* the outbox publishes along the routes; CQM_QUEUE_PREFIX renames every queue for test workers;
* the embedded broker of ``make run`` serves all queues to its one worker;
* ``/healthz`` counts what waits in each queue on Redis;
* end to end on Redis: a safety alert is mailed by the notifications worker while the reports
  worker is busy with a monthly report, which then finishes once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import current_app
from django.conf import settings

from claims.models import Claim
from core import outbox
from core.models import OutboxMessage
from customers.tests.factories import PartFactory
from metrics.models import Report
from metrics.tests.test_report_worker import (
    MONTH,
    ON_POSTGRES,
    REDIS_URL,
    Workers,
    month_data,  # noqa: F401  (a fixture)
    wait_for,
)
from notifications.models import Notification

from .test_embedded_celery import WORKER_START_TIMEOUT, _env

BASE_DIR = Path(settings.BASE_DIR)
DEFAULT, NOTIFICATIONS, REPORTS, IMPORTS = "celery", "notifications", "reports", "imports"

# Every task of the portal and its queue. A new task is added here: where it runs is a decision.
QUEUE_OF_TASK = {
    "accounts.send_invitation": NOTIFICATIONS,
    "notifications.deliver": NOTIFICATIONS,
    "notifications.send_digests": NOTIFICATIONS,
    "metrics.generate_monthly_reports": REPORTS,
    "metrics.generate_report": REPORTS,
    "core.render_document": REPORTS,
    "claims.import_claims": IMPORTS,
    "audits.tasks.escalate_overdue_findings": DEFAULT,
    "changes.deviations.expire": DEFAULT,
    "changes.deviations.send_warnings": DEFAULT,
    "changes.tasks.send_decision_reminders": DEFAULT,
    "claims.tasks.escalate_unacknowledged": DEFAULT,
    "claims.tasks.send_deadline_reminders": DEFAULT,
    "core.compact_data_changes": DEFAULT,
    "core.relay_outbox": DEFAULT,
    "cqm_portal.ping": DEFAULT,
    "documents.tasks.run_daily": DEFAULT,
    "ppap.tasks.interim_approvals_daily": DEFAULT,
    "surveys.tasks.run_surveys": DEFAULT,
    "training.tasks.assign_due": DEFAULT,
}


def queue_of(task_name: str) -> str:
    return current_app.amqp.router.route({}, task_name)["queue"].name


# --- the routing table ---------------------------------------------------------------------------


def test_every_task_runs_on_the_queue_decided_for_it():
    current_app.loader.import_default_modules()
    ours = sorted(
        name
        for name in current_app.tasks
        if not name.startswith("celery.") and ".tests." not in name  # tests' own sample tasks
    )

    assert ours == sorted(QUEUE_OF_TASK), "a task was added or removed: decide its queue here"
    assert {name: queue_of(name) for name in ours} == QUEUE_OF_TASK
    assert set(QUEUE_OF_TASK.values()) == set(settings.CQM_QUEUE_NAMES)


def test_imports_and_exports_to_come_run_on_the_imports_queue():
    assert queue_of("customers.import_parts") == IMPORTS
    assert queue_of("claims.export_claims") == IMPORTS
    assert queue_of("claims.exported_totals") == DEFAULT  # only the verb at the start counts


PRINT_ROUTING = """
from cqm_portal import settings
print(settings.CELERY_TASK_DEFAULT_QUEUE)
print(settings.CELERY_TASK_ROUTES["notifications.*"]["queue"])
print(",".join(settings.CQM_WORKER_QUEUES))
"""


def test_one_prefix_renames_every_queue_for_the_workers_and_make_run():
    env = {key: value for key, value in os.environ.items() if not key.startswith("CQM_")}
    env["CQM_QUEUE_PREFIX"] = "t1-"
    printed = subprocess.run(
        [sys.executable, "-c", PRINT_ROUTING], cwd=BASE_DIR, env=env, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    made = subprocess.run(
        ["make", "-s", "print-WORKER_ARGS"], cwd=BASE_DIR, env=env, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip

    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.split() == [
        "t1-celery",
        "t1-notifications",
        "t1-celery,t1-notifications,t1-reports,t1-imports",
    ]
    assert made.returncode == 0, made.stderr
    assert "--queues=t1-celery,t1-notifications,t1-reports,t1-imports" in made.stdout.split()
    assert "--beat" in made.stdout.split()


# --- the outbox publishes along the routes -------------------------------------------------------


@pytest.fixture
def memory_broker(settings, monkeypatch):
    """Publish for real, to the in-memory broker of the test settings."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # it would win over the settings
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "memory://"
    take_from_queues()
    yield
    take_from_queues()


def take_from_queues() -> dict[str, list[str]]:
    """Empty every queue of the in-memory broker: its task names, per queue."""
    taken: dict[str, list[str]] = {}
    with current_app.connection_for_read() as broker:
        for name in settings.CQM_WORKER_QUEUES:
            queue = broker.SimpleQueue(name, no_ack=True)
            try:
                while True:
                    try:
                        message = queue.get(block=False)
                    except queue.Empty:
                        break
                    taken.setdefault(name, []).append(message.headers["task"])
            finally:
                queue.close()
    return taken


@pytest.mark.django_db
def test_the_outbox_publishes_each_task_to_its_queue(
    memory_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dispatches = [
            outbox.enqueue("notifications.deliver", []),
            outbox.enqueue("metrics.generate_report", 0),
            outbox.enqueue("claims.import_claims", 0),
            outbox.enqueue("cqm_portal.ping"),
        ]
    assert not [dispatch for dispatch in dispatches if dispatch.pending]
    assert take_from_queues() == {
        NOTIFICATIONS: ["notifications.deliver"],
        REPORTS: ["metrics.generate_report"],
        IMPORTS: ["claims.import_claims"],
        DEFAULT: ["cqm_portal.ping"],
    }

    message = OutboxMessage.objects.get(task="claims.import_claims")
    message.sent_at = None
    message.save()
    assert outbox.relay().sent == 1
    assert take_from_queues() == {IMPORTS: ["claims.import_claims"]}


# --- the embedded broker serves every queue ------------------------------------------------------

PING_EACH_QUEUE = """
import sys
from cqm_portal.celery import app
results = [app.send_task("cqm_portal.ping", queue=name) for name in sys.argv[2:]]
print(" ".join(result.get(timeout=float(sys.argv[1]), interval=0.2) for result in results))
"""


def test_one_embedded_worker_serves_every_queue(tmp_path):
    """`make run`'s worker on the SQLite broker file: a task on each queue is answered."""
    env = _env(tmp_path, None)
    queues = list(settings.CQM_QUEUE_NAMES)
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "cqm_portal", "worker", "--pool=solo",
            "--loglevel=INFO", f"--queues={','.join(queues)}", "--without-gossip",
            "--without-mingle", "--without-heartbeat", f"--logfile={log}",
        ],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        client = subprocess.run(
            [sys.executable, "-c", PING_EACH_QUEUE, str(WORKER_START_TIMEOUT), *reversed(queues)],
            cwd=BASE_DIR, env=env, capture_output=True, text=True,
            timeout=WORKER_START_TIMEOUT + 60,
        )  # fmt: skip
        assert worker.poll() is None, log.read_text()[-3000:] if log.exists() else ""
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    assert client.stdout.split() == ["pong"] * len(queues), client.stderr[-3000:]
    assert log.read_text().count("succeeded") == len(queues)


# --- /healthz counts what waits in each queue ----------------------------------------------------


@pytest.mark.django_db
def test_healthz_counts_the_messages_waiting_in_each_redis_queue(
    client, settings, monkeypatch, tmp_path
):
    if not REDIS_URL:
        pytest.skip("needs REDIS_URL")
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.MEDIA_ROOT = str(tmp_path)
    prefix = f"cqm-test-{uuid.uuid4().hex[:12]}-"
    settings.CQM_WORKER_QUEUES = [prefix + name for name in settings.CQM_QUEUE_NAMES]
    server = redis.Redis.from_url(REDIS_URL)
    server.lpush(prefix + REPORTS, "a", "b", "c")
    server.lpush(prefix + NOTIFICATIONS, "d")
    try:
        body = client.get("/healthz").json()
    finally:
        server.delete(*settings.CQM_WORKER_QUEUES)

    assert body["checks"]["broker"]["ok"] is True
    assert body["queues"] == {
        prefix + DEFAULT: 0,
        prefix + NOTIFICATIONS: 1,
        prefix + REPORTS: 3,
        prefix + IMPORTS: 0,
    }


@pytest.mark.django_db
def test_healthz_counts_no_queues_on_other_brokers(client, memory_broker, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)

    body = client.get("/healthz").json()

    assert body["checks"]["broker"]["ok"] is True
    assert body["queues"] == {}


# --- end to end: an alert while a long report is being made --------------------------------------

FILE_A_SAFETY_CLAIM = """
import sys
import django
django.setup()
from accounts.models import User
from claims import services
from customers.models import Part

part = Part.objects.select_related("customer").get(pk=int(sys.argv[2]))
services.claim_file(
    actor=User.objects.get(pk=int(sys.argv[1])),
    customer=part.customer,
    part=part,
    kind="0km",
    severity="safety",
    detection_location="line",
    detection_date="2026-03-02",
    symptom="Brake line chafed through at the clip",
    suspect_qty=40,
    nonconforming_qty=2,
    customer_reference="QN-SAFETY-1",
)
print("filed")
"""
# Seconds after each of the report's three progress steps: over ten seconds a report.
REPORT_PAUSE = 4

needs_redis_and_postgres = pytest.mark.skipif(
    not (REDIS_URL and ON_POSTGRES), reason="needs REDIS_URL and a PostgreSQL DATABASE_URL"
)


@pytest.fixture
def workers(tmp_path):
    started = Workers(tmp_path)
    yield started
    started.stop_all()


@needs_redis_and_postgres
@pytest.mark.django_db(transaction=True)
def test_a_safety_alert_is_mailed_while_a_long_report_runs(
    month_data,  # noqa: F811
    workers,
    user_a,
):
    part = PartFactory(customer=month_data)
    workers.start("reports", pause=REPORT_PAUSE, queues=(REPORTS,))
    workers.start("notifications", queues=(NOTIFICATIONS,))
    workers.send("metrics.generate_monthly_reports", MONTH, queue=REPORTS)
    wait_for(
        lambda: Report.objects.filter(status=Report.Status.RUNNING, progress__gt=0).exists(),
        workers,
        "a report to be generating",
    )

    filed = subprocess.run(
        [sys.executable, "-c", FILE_A_SAFETY_CLAIM, str(user_a.pk), str(part.pk)],
        cwd=BASE_DIR, env=workers.environment(0), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert filed.stdout.strip() == "filed", filed.stderr[-3000:]
    alerts = Notification.objects.filter(kind="claims.safety_alert", recipient__isnull=False)
    wait_for(
        lambda: alerts.exists() and not alerts.filter(emailed_at__isnull=True).exists(),
        workers,
        "the safety alert mailed",
    )
    # The reports worker is still busy: the alert did not wait for it.
    busy = list(Report.objects.filter(status__in=[Report.Status.QUEUED, Report.Status.RUNNING]))
    assert busy, "the alert was to be mailed while a report was still being made"
    claim = Claim.objects.get(customer_reference="QN-SAFETY-1")
    assert any(claim.number in (message["Subject"] or "") for message in workers.mails())

    wait_for(all_reports_mailed, workers, "both reports done and e-mailed", timeout=120)
    wait_for(lambda: workers.waiting() == 0, workers, "the queues to drain")
    time.sleep(1)  # a message taken last may still be running: give it time to (not) mail
    reports = list(Report.objects.order_by("pk"))
    assert [report.status for report in reports] == [Report.Status.DONE] * 2
    assert [report.attempts for report in reports] == [1, 1]
    last_alert = max(alerts.values_list("emailed_at", flat=True))
    assert all(last_alert < report.emailed_at for report in reports if report in busy)
    report_mails = [m["To"] for m in workers.mails() if MONTH in (m["Subject"] or "")]
    assert sorted(report_mails) == ["manager@example.com", "quality@autowerk.example"]


def all_reports_mailed() -> bool:
    rows = list(Report.objects.all())
    return len(rows) == 2 and all(r.status == Report.Status.DONE and r.emailed_at for r in rows)


def test_the_default_queue_is_celery_as_celery_has_it():
    assert settings.CQM_QUEUE_NAMES[0] == settings.CELERY_TASK_DEFAULT_QUEUE == DEFAULT
