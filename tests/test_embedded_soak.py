"""Soak test of the embedded mode: `make run`'s own worker with beat, and three producers at once.

No services at all, as a newcomer runs it: SQLite, the SQLite broker file (core/broker.py), mail
to files. Three producer processes notify 2,000 times in all, each notification a business
transaction with its outbox row, published by the producer after the commit. Every task must run,
none twice in effect (one mail per notification), and the worker must still be alive at the end.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
TASKS = 2000
PRODUCERS = 3
DEADLINE_SECONDS = 600

SETUP = """
import django
django.setup()
from accounts.models import User
User.objects.create_user(
    email="soak@example.com", password="x", role="engineer", full_name="Soak Engineer"
)
"""

PRODUCE = """
import sys
import django
django.setup()
from django.db import transaction
from accounts.models import User
from notifications.kinds import Kind, register
from notifications.services import Text, notify

register(Kind("test.soak", "Soak probe"))
producer, count = sys.argv[1], int(sys.argv[2])
engineer = User.objects.get(email="soak@example.com")
for number in range(count):
    with transaction.atomic():
        notify(
            kind="test.soak",
            recipients=[engineer],
            url="/",
            title=Text("Soak %(key)s", key=f"{producer}-{number}"),
        )
print("produced", count)
"""


def embedded_env(var_dir: Path) -> dict[str, str]:
    """No services: the embedded defaults, in a private var folder, mail written to files."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "DJANGO_", "DATABASE_URL", "CQM_", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cqm_portal.settings",
        CQM_VAR_DIR=str(var_dir),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(var_dir / "mail"),
        PYTHONUNBUFFERED="1",
    )
    return env


def worker_args() -> list[str]:
    """The worker command of `make run`, read from the Makefile itself."""
    printed = subprocess.run(
        ["make", "-s", "print-WORKER_ARGS"], cwd=BASE_DIR, capture_output=True, text=True
    )
    assert printed.returncode == 0, printed.stderr
    return shlex.split(printed.stdout)


def counts(database: Path) -> tuple[int, int, int]:
    """(notifications, of them e-mailed, outbox rows not yet sent) in the embedded database."""
    with sqlite3.connect(database, timeout=30) as db:
        total, mailed = db.execute(
            "SELECT COUNT(*), COUNT(emailed_at) FROM notifications_notification"
        ).fetchone()
        unsent = db.execute(
            "SELECT COUNT(*) FROM core_outboxmessage WHERE sent_at IS NULL"
        ).fetchone()[0]
    return total, mailed, unsent


def mailed_subjects(folder: Path) -> list[str]:
    subjects = []
    for path in folder.iterdir():
        subjects += [
            line.removeprefix("Subject: ")
            for line in path.read_text().splitlines()
            if line.startswith("Subject: Soak ")
        ]
    return subjects


def test_worker_with_beat_and_three_producers_run_every_task_once(tmp_path):
    env = embedded_env(tmp_path)
    python = [sys.executable]
    for setup in (["manage.py", "migrate", "--noinput", "-v0"], ["-c", SETUP]):
        done = subprocess.run(python + setup, cwd=BASE_DIR, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]

    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [*python, "-m", "celery", "-A", "cqm_portal", *worker_args()],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        shares = [TASKS // PRODUCERS + (n < TASKS % PRODUCERS) for n in range(PRODUCERS)]
        producers = [
            subprocess.Popen(
                [*python, "-c", PRODUCE, f"p{n}", str(share)],
                cwd=BASE_DIR,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n, share in enumerate(shares)
        ]
        for producer in producers:
            out, err = producer.communicate(timeout=DEADLINE_SECONDS)
            assert producer.returncode == 0, err[-3000:]
            assert out.startswith("produced"), out

        database = tmp_path / "cqm_portal.sqlite3"
        deadline = time.monotonic() + DEADLINE_SECONDS
        while counts(database)[1] < TASKS and time.monotonic() < deadline:
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
            time.sleep(1)
        time.sleep(2)  # a task delivered twice would mail now
        alive = worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        log.close()

    worker_log = (tmp_path / "worker.log").read_text()
    assert alive, worker_log[-3000:]
    assert "CRITICAL" not in worker_log and "Unrecoverable" not in worker_log
    assert counts(database) == (TASKS, TASKS, 0)
    subjects = mailed_subjects(tmp_path / "mail")
    assert len(subjects) == TASKS, "every task ran, none twice in effect"
    assert len(set(subjects)) == TASKS
    # Beat ran beside the worker in the same process tree (its heartbeat is there).
    with sqlite3.connect(database) as db:
        components = {row[0] for row in db.execute("SELECT component FROM core_heartbeat")}
    assert components == {"worker", "beat"}


pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
