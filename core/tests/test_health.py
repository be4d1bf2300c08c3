"""``/healthz``: database, broker and storage status for load balancers, without sign-in or session.

The database outage itself is exercised end to end in tests/test_outages.py (a real portal process
losing its PostgreSQL connection); here the checks run in-process.
"""

import datetime as dt
import json
import os
import socket

import pytest
from django.urls import reverse
from django.utils import timezone

from core import heartbeat
from core.models import Heartbeat

CHECKS = {"database", "broker", "storage"}
REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture
def real_broker(settings, monkeypatch):
    """The broker the health check asks: ``real_broker(url)``."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # it would win over the settings

    def use(url):
        settings.CELERY_BROKER_URL = url

    return use


def unreachable_broker_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def background_running(db):
    """A worker and beat that have just written their heartbeats."""
    heartbeat.record(Heartbeat.Component.WORKER)
    heartbeat.record(Heartbeat.Component.BEAT)


def health(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


@pytest.mark.django_db
class TestHealthz:
    def test_all_ok(self, client, media_root, background_running):
        response, body = health(client)

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Cache-Control"] == "no-store"
        assert body["status"] == "ok"
        assert set(body["checks"]) == CHECKS
        for result in body["checks"].values():
            assert result["ok"] is True
            assert isinstance(result["latency_ms"], int | float) and result["latency_ms"] >= 0
            assert "error" not in result
        assert set(body["background"]) == {"worker", "beat"}
        for component in body["background"].values():
            assert component["ok"] is True and component["seconds_ago"] <= 5

    def test_no_worker_ever_seen_is_degraded(self, client, media_root):
        response, body = health(client)

        assert response.status_code == 200
        assert body["status"] == "degraded"
        assert body["background"]["worker"] == {"ok": False, "last_seen": None, "seconds_ago": None}

    def test_a_silent_worker_is_degraded_and_says_when_it_was_last_seen(
        self, client, media_root, background_running, settings
    ):
        settings.CQM_BACKGROUND_SILENT_AFTER = 300
        Heartbeat.objects.filter(component="worker").update(
            last_seen_at=timezone.now() - dt.timedelta(seconds=301)
        )

        response, body = health(client)

        assert response.status_code == 200
        assert body["status"] == "degraded"
        assert body["background"]["worker"]["ok"] is False
        assert body["background"]["worker"]["seconds_ago"] >= 301
        assert body["background"]["beat"]["ok"] is True

    def test_the_url_is_named(self):
        assert reverse("core:healthz") == "/healthz"

    def test_broker_down_is_degraded_but_keeps_the_node_in_rotation(
        self, client, media_root, real_broker
    ):
        broker_url = unreachable_broker_url()
        real_broker(broker_url)

        response, body = health(client)

        assert response.status_code == 200
        assert body["status"] == "degraded"
        broker = body["checks"]["broker"]
        assert broker["ok"] is False
        assert broker["error"] == "broker unreachable (OperationalError)"
        assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]
        port = broker_url.rsplit(":", 1)[1].split("/")[0]
        assert "127.0.0.1" not in response.content.decode()
        assert f":{port}" not in response.content.decode()

    def test_a_reachable_redis_broker_is_ok(self, client, media_root, real_broker):
        if not REDIS_URL:
            pytest.skip("needs REDIS_URL")
        real_broker(REDIS_URL)

        response, body = health(client)

        assert response.status_code == 200
        assert body["checks"]["broker"]["ok"] is True

    def test_storage_down_takes_the_node_out(self, client, settings, tmp_path):
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where the media folder should be")
        settings.MEDIA_ROOT = str(blocker)

        response, body = health(client)

        assert response.status_code == 503
        assert body["status"] == "down"
        assert body["checks"]["storage"]["ok"] is False
        assert body["checks"]["storage"]["error"].startswith("storage unreachable (")
        assert str(tmp_path) not in response.content.decode()

    def test_the_storage_probe_leaves_nothing_behind(self, client, media_root):
        health(client)
        health(client)

        assert [path for path in media_root.rglob("*") if path.is_file()] == []

    def test_no_session_or_user_is_read(
        self, client_for, manager, media_root, django_assert_num_queries
    ):
        client = client_for(manager)  # a browser that carries a session cookie

        # The database check's SELECT 1 and the heartbeats, nothing else.
        with django_assert_num_queries(2) as captured:
            response, _body = health(client)

        assert response.status_code == 200
        assert captured.captured_queries[0]["sql"] == "SELECT 1"
        assert "core_heartbeat" in captured.captured_queries[1]["sql"]
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")

    def test_answers_reads_only(self, client, media_root):
        assert client.head("/healthz").status_code == 200
        assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_health_check_answers_plain_http_where_pages_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/accounts/login/").status_code == 301
    assert client.get("/healthz").status_code == 200
