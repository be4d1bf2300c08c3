"""Everything the hosts share and every host's processes: the database, Redis, the S3 server,
the web servers behind the proxy, the workers and beat.

The run's database ``cqm_multihost`` is created fresh each run as a copy of a migrated template
(``cqm_multihost_template``). The template is migrated again only when a migration or a pinned
package changed (its fingerprint is kept as the template's comment): migrating from scratch takes
a minute or more of CPU, a copy under a second. ``CQM_MULTIHOST_TEMPLATE`` names another database
migrated from the same code to copy instead (the test suite's template, when the suite runs this),
and ``CQM_MULTIHOST_STATIC=plain`` skips collecting the static files, which no check looks at.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import boto3
import psycopg
import redis
from botocore.config import Config
from network import HOSTS, SERVICES_ADDRESS, Host, in_namespace
from processes import Supervisor, wait_until

DATABASE = "cqm_multihost"
TEMPLATE_DATABASE = "cqm_multihost_template"
# Redis databases of the run's own, emptied at its start: the broker, then the shared cache.
BROKER_DB, CACHE_DB = 5, 6
# Where the seeding's own notifications go, to be dropped: the demo addresses are made up.
SEED_BROKER_DB = 7
S3_PORT = 9000
BUCKET = "cqm-multihost"
# The S3 server of the run takes any keys; the portal needs some to sign its requests.
S3_KEY_ID, S3_SECRET = "multihost", "multihost-secret"
S3_REGION = "us-east-1"
WEB_PORT = 8000
PROXY_PORT = 8080
# Short, so that the message of a killed worker returns within the run; above the longest task
# (the report with its test pause: 8 s, 15 s on a busy machine).
VISIBILITY_TIMEOUT = 15
REPORT_PAUSE_SECONDS = 2
# Low, so that the throttle check reaches it in a few requests.
ANON_THROTTLE_PER_MINUTE = 10
SKIPPED_DIRS = {".venv", "var", "node_modules", ".git", "__pycache__"}
# Generous: on a busy machine two web hosts, four workers and beat take two minutes to start.
START_TIMEOUT = 180


@dataclass(frozen=True)
class Server:
    """Where a service listens in the root namespace (host and port from the environment)."""

    host: str
    port: int
    user: str = ""
    password: str = ""


def postgres_server() -> Server:
    url = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/x")
    if not url.scheme.startswith("postgres"):
        url = urlsplit("postgres://postgres@127.0.0.1:5432/x")
    return Server(
        url.hostname or "127.0.0.1",
        url.port or 5432,
        unquote(url.username or "postgres"),
        unquote(url.password or ""),
    )


def redis_server() -> Server:
    url = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return Server(url.hostname or "127.0.0.1", url.port or 6379, password=url.password or "")


def database_url(server: Server, name: str, host: str | None = None, port: int | None = None):
    credentials = quote(server.user, safe="")
    if server.password:
        credentials += ":" + quote(server.password, safe="")
    return f"postgres://{credentials}@{host or server.host}:{port or server.port}/{name}"


def redis_url(server: Server, db: int, host: str | None = None, port: int | None = None) -> str:
    auth = f":{quote(server.password, safe='')}@" if server.password else ""
    return f"redis://{auth}{host or server.host}:{port or server.port}/{db}"


def fingerprint(project: Path, wanted) -> str:
    """A hash of the project's files whose path parts ``wanted`` accepts, and of the pinned
    packages (which bring migrations and static files of their own)."""
    digest = hashlib.sha256()
    files = [project / "requirements" / "lock.txt"]
    for folder, subfolders, names in os.walk(project):
        subfolders[:] = sorted(name for name in subfolders if name not in SKIPPED_DIRS)
        relative = Path(folder).relative_to(project).parts
        files += [Path(folder, name) for name in sorted(names) if wanted((*relative, name))]
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(project)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


@dataclass
class Cluster:
    project: Path
    run_dir: Path
    supervisor: Supervisor
    postgres: Server = field(default_factory=postgres_server)
    redis: Server = field(default_factory=redis_server)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    settings: dict = field(default_factory=dict)
    # CQM_MULTIHOST_STATIC=plain: static files under their own names (plain_static_settings.py).
    plain_static: bool = field(
        default_factory=lambda: os.environ.get("CQM_MULTIHOST_STATIC") == "plain"
    )

    @property
    def python(self) -> str:
        return str(self.project / ".venv" / "bin" / "python")

    def bin(self, name: str) -> str:
        return str(self.project / ".venv" / "bin" / name)

    def proxy_url(self) -> str:
        return f"http://{HOSTS['proxy'].address}:{PROXY_PORT}"

    def web_url(self, name: str) -> str:
        return f"http://{HOSTS[name].address}:{WEB_PORT}"

    def s3_url(self) -> str:
        return f"http://{SERVICES_ADDRESS}:{S3_PORT}"

    def mail_dir(self, process: str) -> Path:
        return self.run_dir / "mail" / process

    # --- shared services ------------------------------------------------------------------------

    def start_shared_services(self) -> None:
        pairs = [
            f"{SERVICES_ADDRESS}:{self.postgres.port}={self.postgres.host}:{self.postgres.port}",
            f"{SERVICES_ADDRESS}:{self.redis.port}={self.redis.host}:{self.redis.port}",
        ]
        forwarder = [self.python, str(Path(__file__).with_name("forward.py"))]
        for pair in pairs:
            forwarder += ["--pair", pair]
        base = self.base_environment()
        self.supervisor.start("forwarder", forwarder, base, pid_file=True)
        moto = [self.bin("moto_server"), "-H", SERVICES_ADDRESS, "-p", str(S3_PORT)]
        self.supervisor.start("s3", moto, base, pid_file=True)

    def empty_redis(self, *databases: int) -> None:
        for db in databases or (BROKER_DB, CACHE_DB, SEED_BROKER_DB):
            redis.Redis.from_url(redis_url(self.redis, db)).flushdb()

    def create_bucket(self) -> None:
        def ready():
            try:
                self.s3().create_bucket(Bucket=BUCKET)
                return True
            except Exception:  # not listening yet
                return False

        if not wait_until(ready, timeout=90, interval=0.3):
            raise RuntimeError(f"The S3 server did not start (log: {self.supervisor.log_dir}).")

    def s3(self):
        return boto3.client(
            "s3",
            endpoint_url=self.s3_url(),
            aws_access_key_id=S3_KEY_ID,
            aws_secret_access_key=S3_SECRET,
            region_name=S3_REGION,
            config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=10),
        )

    # --- database -------------------------------------------------------------------------------

    def admin_connection(self) -> psycopg.Connection:
        return psycopg.connect(
            host=self.postgres.host,
            port=self.postgres.port,
            user=self.postgres.user,
            password=self.postgres.password or None,
            dbname="postgres",
            autocommit=True,
        )

    def run_database(self) -> psycopg.Connection:
        return psycopg.connect(database_url(self.postgres, DATABASE), autocommit=True)

    def migrations_fingerprint(self) -> str:
        return fingerprint(
            self.project, lambda parts: "migrations" in parts[:-1] and parts[-1].endswith(".py")
        )

    def create_database(self, log) -> str:
        """A fresh run database from the template; returns how the template was come by."""
        given = os.environ.get("CQM_MULTIHOST_TEMPLATE")
        if given:
            with self.admin_connection() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{DATABASE}" TEMPLATE "{given}"')
            return f"copied from {given}"
        wanted = self.migrations_fingerprint()
        with self.admin_connection() as admin:
            row = admin.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [TEMPLATE_DATABASE],
            ).fetchone()
            reused = row is not None and row[0] == wanted
            if not reused:
                log("Migrating the template database (once per change of the migrations) …")
                admin.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE_DATABASE}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{TEMPLATE_DATABASE}"')
                self.manage(["migrate", "--noinput", "-v0"], TEMPLATE_DATABASE)
                admin.execute(f"COMMENT ON DATABASE \"{TEMPLATE_DATABASE}\" IS '{wanted}'")
            admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{DATABASE}" TEMPLATE "{TEMPLATE_DATABASE}"')
        return "template reused" if reused else "template migrated"

    def drop_database(self) -> None:
        with self.admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')

    def manage(self, arguments: list[str], database: str) -> None:
        env = self.environment("setup")
        env["DATABASE_URL"] = database_url(self.postgres, database)
        command = [self.python, "manage.py", *arguments]
        started = self.supervisor.start(arguments[0], command, env, pid_file=True, one_off=True)
        if started.process.wait() != 0:
            raise RuntimeError(f"manage.py {arguments[0]} failed (log: {started.log}).")

    def seed(self) -> None:
        env = self.environment("setup")
        env["DATABASE_URL"] = database_url(self.postgres, DATABASE)
        env["CELERY_BROKER_URL"] = redis_url(self.redis, SEED_BROKER_DB)
        script = str(Path(__file__).with_name("prepare.py"))
        command = [self.python, script, str(self.run_dir / "prepared.json")]
        self.supervisor.start("prepare", command, env, pid_file=True, one_off=True)

    def settings_known(self) -> None:
        """Wait for the settings the workers need (written before the seeding starts)."""
        facts = self.run_dir / "prepared.json"
        seeding = self.supervisor.by_name("prepare")
        if not wait_until(lambda: facts.exists() or seeding.process.poll() is not None, 120):
            raise RuntimeError(f"Reading the settings took too long (log: {seeding.log}).")
        if not facts.exists():
            raise RuntimeError(f"Reading the settings failed (log: {seeding.log}).")
        self.settings = json.loads(facts.read_text())

    def finish_seed(self) -> None:
        seeding = self.supervisor.by_name("prepare")
        if seeding.process.wait(timeout=300) != 0:
            raise RuntimeError(f"Seeding failed (log: {seeding.log}).")
        self.settings = json.loads((self.run_dir / "prepared.json").read_text())

    def collect_static(self) -> subprocess.Popen | None:
        """Once for every host, into a folder kept between runs; skipped when no static source
        changed (collecting compresses every file again: minutes of CPU)."""
        if self.plain_static:
            return None
        if self.static_fingerprint_file().exists() and (
            self.static_fingerprint_file().read_text() == self.static_fingerprint()
            and (self.static_var_dir() / "staticfiles" / "staticfiles.json").exists()
        ):
            return None
        env = self.environment("setup")
        env["CQM_VAR_DIR"] = str(self.static_var_dir())
        command = [self.python, "manage.py", "collectstatic", "--noinput", "-v0"]
        collecting = self.supervisor.start(
            "collectstatic", command, env, pid_file=True, one_off=True
        )
        return collecting.process

    def finish_static(self, collecting: subprocess.Popen | None) -> None:
        if collecting is None:
            return
        if collecting.wait(timeout=600) != 0:
            raise RuntimeError(f"collectstatic failed (log: {self.supervisor.log_dir}).")
        self.static_fingerprint_file().write_text(self.static_fingerprint())

    def static_var_dir(self) -> Path:
        return self.run_dir.parent.parent / "static-cache"

    def static_fingerprint_file(self) -> Path:
        return self.static_var_dir() / "fingerprint"

    def static_fingerprint(self) -> str:
        return fingerprint(self.project, lambda parts: "static" in parts[:-1])

    # --- hosts ----------------------------------------------------------------------------------

    def base_environment(self) -> dict[str, str]:
        prefixes = ("DJANGO_", "CELERY_", "CQM_", "DATABASE_", "EMAIL_", "AWS_", "MEDIA_", "API_")
        env = {key: value for key, value in os.environ.items() if not key.startswith(prefixes)}
        env.pop("CACHE_URL", None)
        env.pop("PORTAL_BASE_URL", None)
        env["PYTHONUNBUFFERED"] = "1"
        # The project as checked out here, whatever the virtualenv's editable install points to.
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(self.project), os.environ.get("PYTHONPATH", "")])
        )
        return env

    def environment(self, process: str, host: Host | None = None) -> dict[str, str]:
        """What every host of the portal is configured with; ``process`` names its mail folder."""
        env = self.base_environment()
        var_dir = self.run_dir / "hosts" / (host.name if host else "setup") / "var"
        mail_dir = self.mail_dir(process)
        for folder in (var_dir, mail_dir):
            folder.mkdir(parents=True, exist_ok=True)
        static = var_dir / "staticfiles"
        if not (self.plain_static or static.is_symlink() or static.exists()):
            static.symlink_to(self.static_var_dir() / "staticfiles", target_is_directory=True)
        allowed = [HOSTS[name].address for name in ("proxy", "web1", "web2")]
        env.update(
            DJANGO_SETTINGS_MODULE="cqm_portal.settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=self.secret_key,
            DJANGO_ALLOWED_HOSTS=",".join([*allowed, "127.0.0.1", "localhost"]),
            DJANGO_SECURE_COOKIES="0",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_HSTS_SECONDS="0",
            CQM_STAFF_2FA_REQUIRED="0",
            TRUSTED_PROXY_COUNT="1",
            PORTAL_BASE_URL=self.proxy_url(),
            CQM_VAR_DIR=str(var_dir),
            DATABASE_URL=database_url(self.postgres, DATABASE, SERVICES_ADDRESS),
            CELERY_BROKER_URL=redis_url(self.redis, BROKER_DB, SERVICES_ADDRESS),
            CACHE_URL=redis_url(self.redis, CACHE_DB, SERVICES_ADDRESS),
            CELERY_BROKER_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            AWS_STORAGE_BUCKET_NAME=BUCKET,
            AWS_S3_ENDPOINT_URL=self.s3_url(),
            AWS_S3_REGION_NAME=S3_REGION,
            AWS_ACCESS_KEY_ID=S3_KEY_ID,
            AWS_SECRET_ACCESS_KEY=S3_SECRET,
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail_dir),
            API_ANON_THROTTLE_RATE=f"{ANON_THROTTLE_PER_MINUTE}/min",
            CQM_REPORT_TEST_PAUSE_SECONDS=str(REPORT_PAUSE_SECONDS),
        )
        if self.plain_static:
            env["DJANGO_SETTINGS_MODULE"] = "plain_static_settings"
            env["PYTHONPATH"] = os.pathsep.join([env["PYTHONPATH"], str(Path(__file__).parent)])
        return env

    def start_front(self) -> None:
        """The proxy, the web hosts and beat: they need no seeded data to start."""
        self.start_proxy()
        for name in ("web1", "web2"):
            self.start_web(HOSTS[name])
        self.start_beat(HOSTS["beat"])

    def start_workers(self) -> None:
        queues = self.settings["queues"]
        for name in ("worker1", "worker2"):
            host = HOSTS[name]
            self.start_worker(host, "notifications", queues["notifications"])
            self.start_worker(host, "main", queues["main"])

    def start_proxy(self) -> None:
        host = HOSTS["proxy"]
        command = [
            self.python,
            str(Path(__file__).with_name("proxy.py")),
            "--listen",
            f"{host.address}:{PROXY_PORT}",
        ]
        for name in ("web1", "web2"):
            command += ["--upstream", f"{name}={HOSTS[name].address}:{WEB_PORT}"]
        self.supervisor.start("proxy", in_namespace(host, command), self.base_environment())

    def start_web(self, host: Host) -> None:
        env = self.environment(host.name, host)
        env.update(GUNICORN_BIND=f"0.0.0.0:{WEB_PORT}", WEB_CONCURRENCY="2")
        command = [self.bin("gunicorn"), "-c", "gunicorn.conf.py", "cqm_portal.wsgi:application"]
        self.supervisor.start(host.name, in_namespace(host, command), env)

    def start_worker(self, host: Host, role: str, queues: list[str]) -> None:
        name = f"{host.name}-{role}"
        env = self.environment(name, host)
        command = [
            self.bin("celery"), "-A", "cqm_portal", "worker", "--loglevel=INFO",
            "--concurrency=1", "-Q", ",".join(queues), f"--hostname={name}@{host.name}",
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        self.supervisor.start(name, in_namespace(host, command), env)

    def start_beat(self, host: Host) -> None:
        env = self.environment(host.name, host)
        schedule = Path(env["CQM_VAR_DIR"]) / "celerybeat-schedule"
        command = [
            self.bin("celery"), "-A", "cqm_portal", "beat", "--loglevel=INFO",
            f"--schedule={schedule}",
        ]  # fmt: skip
        self.supervisor.start(host.name, in_namespace(host, command), env)

    def wait_until_ready(self) -> None:
        """Every web host answers, every worker says it is ready, beat has started."""
        import requests

        def answers(url: str) -> bool:
            try:
                return requests.get(url + "/accounts/login/", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        def logged(name: str, text: str) -> bool:
            log = self.supervisor.by_name(name).log
            return log.exists() and text in log.read_text(errors="replace")

        pending = {
            "web1": lambda: answers(self.web_url("web1")),
            "web2": lambda: answers(self.web_url("web2")),
            "proxy": lambda: answers(self.proxy_url()),
            "beat": lambda: logged("beat", "beat: Starting"),
        }
        for worker in ("worker1", "worker2"):
            for role in ("notifications", "main"):
                name = f"{worker}-{role}"
                pending[name] = lambda name=name: logged(name, " ready.")

        def all_ready() -> bool:
            for name in list(pending):
                if pending[name]():
                    del pending[name]
            dead = [
                item.name
                for item in self.supervisor.started
                if not item.one_off and not item.alive()
            ]
            if dead:
                raise RuntimeError(f"Stopped while starting: {', '.join(dead)}.")
            return not pending

        if not wait_until(all_ready, timeout=START_TIMEOUT, interval=0.5):
            raise RuntimeError(f"Not ready after {START_TIMEOUT} s: {', '.join(sorted(pending))}.")
