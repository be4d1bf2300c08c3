"""docker-compose.yml has the production shape (no Docker engine here: the file is read as YAML)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def _command(service) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_has_the_five_services(services):
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)


def test_app_services_share_one_image_built_here(services):
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1
    assert all(services[name].get("build") == "." for name in APP_SERVICES)


def test_commands(services):
    assert _command(services["web"]).startswith("gunicorn cqm_portal.wsgi")
    assert "--config gunicorn.conf.py" in _command(services["web"])  # binds 0.0.0.0:8000
    assert _command(services["worker"]).startswith("celery -A cqm_portal worker")
    beat = _command(services["beat"])
    assert beat.startswith("celery -A cqm_portal beat")
    assert "core.beat:HeartbeatScheduler" in beat  # the database schedules, with a heartbeat


def test_exactly_one_beat(services):
    beats = [name for name, s in services.items() if re.search(r"\bbeat\b", _command(s))]
    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    assert not re.search(r"(--beat|\s-B)\b", _command(services["worker"]))


def test_schema_is_migrated_before_the_app_starts(services):
    assert "migrate" in _command(services["migrate"])
    assert services["migrate"]["restart"] == "no"
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name


def test_app_services_wait_for_healthy_database_and_broker(services):
    for name in (*APP_SERVICES, "migrate"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_healthchecks(services):
    assert services["postgres"]["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["image"].startswith("redis:7")
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    web_probe = " ".join(services["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in web_probe


def test_volumes(compose, services):
    named = set(compose["volumes"])
    assert {"postgres-data", "media"} <= named
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    for name in ("web", "worker"):
        assert "media:/app/media" in services[name]["volumes"], name
        assert services[name]["environment"]["DJANGO_MEDIA_ROOT"] == "/app/media"


def test_production_environment(services):
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DJANGO_DEBUG"] == "0"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        # Required variables: compose refuses to start when they are missing.
        assert env["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
        assert env["DJANGO_ALLOWED_HOSTS"].startswith("${DJANGO_ALLOWED_HOSTS:?")


def test_no_secret_literals(compose, services):
    secret_names = re.compile(r"(SECRET|PASSWORD|TOKEN|API_KEY)", re.IGNORECASE)
    for name, service in services.items():
        for key, value in (service.get("environment") or {}).items():
            if secret_names.search(key):
                assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]*\}", str(value)), (name, key, value)
        database_url = (service.get("environment") or {}).get("DATABASE_URL", "")
        if database_url:
            password = re.match(r"postgres://[^:]+:([^@]*)@", database_url).group(1)
            assert password.startswith("${"), (name, database_url)


def test_dockerfile():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.12-slim", dockerfile, re.MULTILINE)
    assert "libpango-1.0-0" in dockerfile and "libpangoft2-1.0-0" in dockerfile
    # The image installs the same locked, hash-checked set as CI, then the project itself.
    assert "pip install --require-hashes -r requirements/lock.txt" in dockerfile
    assert "pip install --no-deps ." in dockerfile
    assert "collectstatic" in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    assert "gunicorn" in dockerfile and "cqm_portal.wsgi" in dockerfile
    assert "EXPOSE 8000" in dockerfile


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", ".env", "var"):
        assert entry in ignored


def test_gunicorn_recycles_workers_and_bounds_requests():
    """Web and image run gunicorn with gunicorn.conf.py: recycling with jitter, a 30 s timeout."""
    printed = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "-c", "gunicorn.conf.py",
         "cqm_portal.wsgi"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={key: value for key, value in os.environ.items() if not key.startswith("GUNICORN")},
    )  # fmt: skip
    lines = (line.partition("=") for line in printed.stdout.splitlines())
    config = {name.strip(): value.strip() for name, _sep, value in lines}
    assert printed.returncode == 0, printed.stderr
    assert int(config["max_requests"]) >= 500 and int(config["max_requests_jitter"]) > 0
    assert config["timeout"] == "30"
    assert "gunicorn.conf.py" in (ROOT / "Dockerfile").read_text()
