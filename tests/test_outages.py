"""Outages of PostgreSQL and Redis: clear 503 answers, recovery without a restart, no lost work.

The end-to-end tests run the portal as it runs in production — gunicorn, DJANGO_DEBUG=0,
persistent database connections — in a subprocess, against a database of its own
(``cqm_outage_<random>``) and a Redis server of its own. The outages are real: the portal reaches
PostgreSQL and Redis through TCP proxies that the tests stop (listener closed, open connections
cut) and start again on the same port. The machine's shared PostgreSQL and Redis keep running.

The in-process tests below check the error answers themselves (page, JSON, handler500) and the
report pages with an unreachable broker.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path
from kombu.exceptions import OperationalError as BrokerOperationalError

from core.models import OutboxMessage
from core.views import server_error
from cqm_portal import urls as project_urls
from cqm_portal.celery import app as celery_app
from metrics import reports
from metrics.models import Report

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
REDIS_SERVER = shutil.which("redis-server")
PASSWORD = "correct-horse-battery-1"
MANAGER_EMAIL = "manager@outage.example"
START_TIMEOUT = 90
FRIENDLY_503 = "The portal is temporarily unavailable"
QUEUE_UNREACHABLE = str(reports.QUEUE_UNREACHABLE_MESSAGE)

# Hashed static file names need a collectstatic run (minutes here); nothing under test depends on
# them, so the portal runs the production settings with plain static storage.
PORTAL_SETTINGS = """
from cqm_portal.settings import *  # noqa: F403
from cqm_portal.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
"""
SEED = f"""
from accounts.services import token_create, user_create
manager = user_create(
    email="{MANAGER_EMAIL}", full_name="Max Manager", role="manager", password="{PASSWORD}"
)
_token, key = token_create(user=manager, name="outage checks")
print("TOKEN=" + key)
"""


# --- the moving parts --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target. ``stop()`` is an outage: the listener closes and
    every open connection is cut; ``start()`` listens again on the same port."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._listener is not None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            self._cut(listener)
        with self._lock:
            open_sockets = list(self._open)
        for sock in open_sockets:
            self._cut(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # stopped
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:  # stopped meanwhile
                    client.close()
                    upstream.close()
                    return
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._cut(source)
            self._cut(sink)

    def _cut(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


class RedisServer:
    """A private redis-server on a free port, so the shared one is never touched."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = self.client()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("the private redis-server did not start")

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Response:
    def __init__(self, raw: http.client.HTTPResponse):
        self.status = raw.status
        self.headers = raw.headers
        self.text = raw.read().decode("utf-8", errors="replace")

    def json(self) -> dict:
        return json.loads(self.text)


class Browser:
    """A minimal HTTP client that keeps cookies (also those marked Secure: the test speaks HTTP)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, target, *, form=None, body=None, headers=None) -> Response:
        headers = dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, target, body=body, headers=headers)
            response = Response(connection.getresponse())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, target, **kwargs) -> Response:
        return self.request("GET", target, **kwargs)

    def post_form(self, target, form: dict) -> Response:
        page = self.get(target)
        assert page.status == 200, page.text[-2000:]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.request("POST", target, form={**form, "csrfmiddlewaretoken": token})

    def sign_in(self, email: str, password: str) -> None:
        response = self.post_form("/accounts/login/", {"username": email, "password": password})
        assert response.status == 302, response.text[-2000:]


class Portal:
    """The portal under gunicorn with production settings, plus its manage.py."""

    def __init__(self, folder: Path, *, database_url: str, broker_url: str):
        self.folder = folder
        self.port = free_port()
        (folder / "outage_settings.py").write_text(PORTAL_SETTINGS)
        self.env = self._environment(database_url, broker_url)
        self.process: subprocess.Popen | None = None
        self.api_token = ""

    def _environment(self, database_url: str, broker_url: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CELERY_", "DJANGO_", "DATABASE_URL", "EMAIL_", "CQM_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="outage_settings",
            PYTHONPATH=os.pathsep.join([str(self.folder), str(settings.BASE_DIR)]),
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_CONN_MAX_AGE="60",
            DATABASE_URL=database_url,
            CELERY_BROKER_URL=broker_url,
            CQM_VAR_DIR=str(self.folder / "var"),
            DJANGO_MEDIA_ROOT=str(self.folder / "media"),
            # Staff sign in with a password only here; the second factor has tests of its own.
            CQM_STAFF_2FA_REQUIRED="0",
            PYTHONUNBUFFERED="1",
        )
        return env

    def manage(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def prepare(self) -> None:
        migrated = self.manage("migrate", "--noinput")
        assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
        seeded = self.manage("shell", "-c", SEED)
        assert seeded.returncode == 0, seeded.stderr[-3000:]
        self.api_token = re.search(r"TOKEN=(\S+)", seeded.stdout).group(1)

    def start(self) -> None:
        log = (self.folder / "gunicorn.log").open("w")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"), "cqm_portal.wsgi",
                "-b", f"127.0.0.1:{self.port}", "-w", "1", "--timeout", "120",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.logs()
            try:
                if self.browser().get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        pytest.fail(f"The portal did not start.\n{self.logs()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def logs(self) -> str:
        log = self.folder / "gunicorn.log"
        return log.read_text()[-4000:] if log.exists() else ""

    def browser(self) -> Browser:
        return Browser(self.port)

    def api(self, method: str, target: str, payload: dict | None = None) -> Response:
        headers = {"Authorization": f"Token {self.api_token}", "Accept": "application/json"}
        body = None
        if payload is not None:
            body = json.dumps(payload)
            headers["Content-Type"] = "application/json"
        return self.browser().request(method, target, body=body, headers=headers)

    def health(self) -> tuple[int, dict, str]:
        response = self.browser().get("/healthz")
        return response.status, response.json(), response.text


def _database_params() -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": int(db["PORT"] or 5432),
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"] or None,
    }


def _database_url(name: str, port: int) -> str:
    params = _database_params()
    credentials = urllib.parse.quote(params["user"], safe="")
    if params["password"]:
        credentials += ":" + urllib.parse.quote(params["password"], safe="")
    return f"postgres://{credentials}@127.0.0.1:{port}/{name}"


def _admin(sql: str) -> None:
    with psycopg.connect(dbname="postgres", autocommit=True, **_database_params()) as admin:
        admin.execute(sql)


def _rows(database: str, sql: str, *params) -> list[tuple]:
    with psycopg.connect(dbname=database, **_database_params()) as reader:
        return reader.execute(sql, params).fetchall()


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def outage_database():
    if not ON_POSTGRES:
        pytest.skip("needs a PostgreSQL DATABASE_URL")
    name = f"cqm_outage_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}"')
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def database_proxy(outage_database):
    params = _database_params()
    proxy = TcpProxy(params["host"], params["port"])
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    if not REDIS_SERVER:
        pytest.skip("needs redis-server (.ci/run installs it)")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def broker_proxy(redis_server):
    proxy = TcpProxy("127.0.0.1", redis_server.port)
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def portal(tmp_path_factory, outage_database, database_proxy, broker_proxy):
    started = Portal(
        tmp_path_factory.mktemp("portal"),
        database_url=_database_url(outage_database, database_proxy.port),
        broker_url=f"redis://127.0.0.1:{broker_proxy.port}/0",
    )
    started.prepare()
    started.start()
    yield started
    started.stop()


@pytest.fixture
def services_up(database_proxy, broker_proxy):
    """Each test starts with both services reachable and leaves them so."""
    yield
    for proxy in (database_proxy, broker_proxy):
        if not proxy.running:
            proxy.start()


def services_ok(health: dict) -> bool:
    """Database, broker and storage answer (no worker runs beside this portal: not asked)."""
    return all(check["ok"] for check in health["checks"].values())


def queued_tasks(redis_server) -> list[tuple[str, list]]:
    """The messages waiting in the private Redis's default queue: (task name, args) each."""
    raw_messages = redis_server.client().lrange("celery", 0, -1)
    tasks = []
    for raw in reversed(raw_messages):  # LPUSH: the oldest is last
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        tasks.append((message["headers"]["task"], args))
    return tasks


# --- end to end: PostgreSQL goes away and comes back ---------------------------------------------


def test_database_outage_answers_503_and_recovers_without_a_restart(
    portal, database_proxy, outage_database, services_up
):
    browser = portal.browser()
    browser.sign_in(MANAGER_EMAIL, PASSWORD)
    assert browser.get("/").status == 200
    assert portal.api("GET", "/api/v1/reports/").status == 200
    assert services_ok(portal.health()[1])

    database_proxy.stop()

    page = browser.get("/")
    assert page.status == 503, portal.logs()
    assert FRIENDLY_503 in page.text
    assert "Traceback" not in page.text and "OperationalError" not in page.text
    assert page.headers["Retry-After"].isdigit()
    api = portal.api("GET", "/api/v1/reports/")
    assert api.status == 503
    assert api.json()["code"] == "service_unavailable" and api.json()["detail"]
    assert "Traceback" not in api.text
    status, body, text = portal.health()
    assert (status, body["status"]) == (503, "down")
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["database"]["error"] == "database unreachable (OperationalError)"
    assert body["checks"]["broker"]["ok"] is True
    for secret in ("127.0.0.1", str(database_proxy.port), outage_database, "postgres"):
        assert secret not in text

    database_proxy.start()

    assert browser.get("/").status == 200, portal.logs()
    assert portal.api("GET", "/api/v1/reports/").status == 200
    status, body, _text = portal.health()
    assert status == 200 and services_ok(body)


# --- end to end: Redis goes away, requested work waits and is sent later -------------------------


def test_broker_outage_keeps_requested_reports_and_relays_them(
    portal, broker_proxy, redis_server, outage_database, services_up
):
    browser = portal.browser()
    browser.sign_in(MANAGER_EMAIL, PASSWORD)
    redis_server.client().delete("celery")

    broker_proxy.stop()

    status, body, text = portal.health()
    assert (status, body["status"]) == (200, "degraded")
    assert body["checks"]["broker"]["error"] == "broker unreachable (OperationalError)"
    assert str(broker_proxy.port) not in text
    requested = browser.post_form("/metrics/reports/generate/", {"period": "2025-10"})
    assert requested.status == 302, requested.text[-2000:] + portal.logs()
    detail = browser.get(requested.headers["Location"])
    assert detail.status == 200
    assert QUEUE_UNREACHABLE in detail.text
    api = portal.api("POST", "/api/v1/reports/generate/", {"period": "2025-11"})
    assert api.status == 202, api.text
    assert api.json()["status"] == "queued" and api.json()["notice"] == QUEUE_UNREACHABLE

    report_ids = [
        pk for (pk,) in _rows(outage_database, "SELECT id FROM metrics_report ORDER BY period")
    ]
    waiting = _rows(
        outage_database,
        "SELECT task, args, sent_at FROM core_outboxmessage ORDER BY created_at, id",
    )
    assert len(report_ids) == 2
    assert waiting == [("metrics.generate_report", [pk], None) for pk in report_ids]
    assert queued_tasks(redis_server) == []

    broker_proxy.start()
    relayed = portal.manage("relay_outbox", timeout=120)
    relayed_again = portal.manage("relay_outbox", timeout=120)

    assert relayed.returncode == 0, relayed.stderr[-3000:]
    assert "2 sent, 0 failed, 0 still waiting." in relayed.stdout
    assert "0 sent" in relayed_again.stdout
    assert queued_tasks(redis_server) == [("metrics.generate_report", [pk]) for pk in report_ids]
    sent = _rows(outage_database, "SELECT sent_at FROM core_outboxmessage")
    assert all(sent_at is not None for (sent_at,) in sent)
    assert services_ok(portal.health()[1])


# --- in process: the error answers ---------------------------------------------------------------


def _database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def _broker_gone(request):
    raise BrokerOperationalError("Error 111 connecting to 10.0.0.5:6379. Connection refused.")


def _bug(request):
    raise ZeroDivisionError("division by zero")


def _fine(request):
    return HttpResponse("fine")


urlpatterns = [
    path("outage/database/", _database_gone),
    path("outage/broker/", _broker_gone),
    path("api/v1/outage/database/", _database_gone),
    path("outage/bug/", _bug),
    path("outage/fine/", _fine),
    path("", include(project_urls)),
]
handler500 = project_urls.handler500


@pytest.fixture
def error_client(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


def test_the_project_uses_the_outage_aware_error_handler():
    assert project_urls.handler500 == "core.views.server_error"


@pytest.mark.parametrize("target", ["/outage/database/", "/outage/broker/"])
def test_an_outage_in_a_view_answers_the_503_page(settings, target):
    settings.ROOT_URLCONF = __name__
    # The default client re-raises what reaches handler500: the middleware answers first.
    response = Client().get(target)

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert FRIENDLY_503 in page
    assert "Traceback" not in page and "10.0.0.5" not in page
    assert "/static/css/app.css" in page
    assert "<script" not in page and "style=" not in page


def test_an_outage_answers_json_to_api_clients(error_client):
    for response in (
        error_client.get("/api/v1/outage/database/"),
        error_client.get("/outage/database/", HTTP_ACCEPT="application/json"),
    ):
        assert response.status_code == 503
        assert response["Content-Type"] == "application/json"
        body = json.loads(response.content)
        assert body["code"] == "service_unavailable"
        assert body["detail"] and "connection" not in body["detail"]


def test_handler500_answers_503_for_an_outage_outside_a_view():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("connection to server failed")
    except OperationalError:
        response = server_error(request)

    assert response.status_code == 503
    assert FRIENDLY_503 in response.content.decode()


def test_any_other_error_answers_a_plain_500_page(error_client):
    response = error_client.get("/outage/bug/")

    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in page
    assert "Traceback" not in page and "ZeroDivisionError" not in page
    assert "Retry-After" not in response


def test_pages_without_errors_pass_through(error_client):
    assert error_client.get("/outage/fine/").content == b"fine"


# --- in process: "generate now" with the broker unreachable --------------------------------------


@pytest.fixture
def unreachable_broker(settings, monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # it would win over the settings
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"


# Committed for real: the view looks at the outbox after the service's transaction committed.
@pytest.mark.django_db(transaction=True)
def test_report_page_says_plainly_that_the_queue_is_unreachable(
    manager, client_for, unreachable_broker
):
    response = client_for(manager).post(
        "/metrics/reports/generate/", {"period": "2025-10"}, follow=True
    )

    report = Report.objects.get()
    assert response.status_code == 200
    assert QUEUE_UNREACHABLE in response.content.decode()
    assert report.status == Report.Status.QUEUED
    assert OutboxMessage.objects.get().args == [report.pk]
    assert reports.report_waits_for_queue(report)


@pytest.mark.django_db(transaction=True)
def test_report_api_says_plainly_that_the_queue_is_unreachable(
    manager, api_client_for, unreachable_broker
):
    api = api_client_for(manager)
    response = api.post("/api/v1/reports/generate/", {"period": "2025-10"}, format="json")
    report_id = response.json()["id"]

    assert response.status_code == 202
    assert response.json()["notice"] == QUEUE_UNREACHABLE
    assert OutboxMessage.objects.get().args == [report_id]
    # A client polling the report is told too; the list stays one query per page, without it.
    assert api.get(f"/api/v1/reports/{report_id}/").json()["notice"] == QUEUE_UNREACHABLE
    assert api.get("/api/v1/reports/").json()["results"][0]["notice"] is None


def take_memory_queue() -> list[tuple[str, list]]:
    """Empty the in-memory broker's default queue: (task name, args) of each message."""
    taken = []
    with celery_app.connection_for_read() as broker:
        queue = broker.SimpleQueue(celery_app.conf.task_default_queue, no_ack=True)
        try:
            while True:
                try:
                    message = queue.get(block=False)
                except queue.Empty:
                    return taken
                taken.append((message.headers["task"], message.decode()[0]))
        finally:
            queue.close()


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_reachable_there_is_nothing_to_say(
    manager, api_client_for, settings, monkeypatch
):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the memory:// broker of the test settings
    take_memory_queue()
    response = api_client_for(manager).post(
        "/api/v1/reports/generate/", {"period": "2025-10"}, format="json"
    )

    assert response.status_code == 202
    assert response.json()["notice"] is None
    assert not OutboxMessage.objects.unsent().exists()
    assert take_memory_queue() == [("metrics.generate_report", [response.json()["id"]])]
