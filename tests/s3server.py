"""A real S3 API for tests: moto's standalone server, and a fresh bucket the portal stores into.

The server is ``moto_server`` in a subprocess on a free port of 127.0.0.1, started once per test
session on first use. Being a process of its own, it is reachable from other processes a test
starts (Celery workers, ``manage.py`` commands), not only from the test process.

The root ``conftest.py`` loads this module as a plugin: any test asks for ``s3_storage`` by
name, and needs nothing else (no Docker, no network)::

    def test_upload(s3_storage, client):
        ...  # the portal stores into s3_storage.bucket now (uploads, PDFs, reports)
        assert s3_storage.object_keys() == ["attachments/2026/12/....png"]
        assert s3_storage.read("attachments/...") == b"..."

For its duration, ``s3_storage`` switches ``STORAGES["default"]`` to the portal's object storage
(``core.storage.PrivateObjectStorage``) on a new, empty bucket, with ``override_settings``: Django
then drops its cached storages, so ``default_storage`` and every ``FileField`` store into the
bucket. Afterwards the bucket is emptied and removed and the previous storage is back.

What the ``S3Bucket`` it yields offers:

``bucket``, ``endpoint_url``
    the bucket's name and the server's address.
``client``
    a boto3 S3 client on the server, to look at the bucket the way an operator would.
``object_keys(prefix="")``, ``read(key)``
    the bucket's object keys (sorted), and one object's bytes.
``storage_settings``
    the ``STORAGES["default"]`` entry in force, for a second ``override_settings``.
``environment()``
    the variables a subprocess needs to store into the same bucket with the production settings
    (``MEDIA_STORAGE_URL`` and the keys); add them to its environment.
``new_bucket()``
    another empty bucket on the same server (a restore target), as a ``S3Bucket`` of its own,
    not switched to, and removed after the test.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import boto3
import pytest
from botocore.config import Config
from django.conf import settings
from django.test.utils import override_settings

HOST = "127.0.0.1"
# moto accepts any keys; these exist so that boto3 never looks for real ones.
ACCESS_KEY = "cqm-test-access-key"
SECRET_KEY = "cqm-test-secret-key"
REGION = "us-east-1"
START_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _moto_server_command(port: int) -> list[str]:
    executable = Path(sys.executable).with_name("moto_server")
    if executable.exists():
        return [str(executable), "-H", HOST, "-p", str(port)]
    return [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)]


def _wait_until_listening(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited:\n{log.read_text()[-2000:]}")
        try:
            with urlopen(f"{url}/moto-api/", timeout=1):
                return
        except (URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"moto_server did not answer within {START_SECONDS} s")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory) -> str:
    """The address of a moto S3 server running for the rest of the session."""
    port = _free_port()
    url = f"http://{HOST}:{port}"
    log = tmp_path_factory.mktemp("moto") / "moto_server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            _moto_server_command(port),
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_PROXY": HOST, "no_proxy": HOST},
        )
    try:
        _wait_until_listening(process, url, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def s3_client(endpoint_url: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"),
    )


@dataclass
class S3Bucket:
    endpoint_url: str
    bucket: str = field(default_factory=lambda: f"cqm-test-{uuid.uuid4().hex[:16]}")
    client: object = None
    _others: list[S3Bucket] = field(default_factory=list)

    def __post_init__(self):
        self.client = self.client or s3_client(self.endpoint_url)

    @property
    def storage_settings(self) -> dict:
        return {
            "BACKEND": "core.storage.PrivateObjectStorage",
            "OPTIONS": {
                "bucket_name": self.bucket,
                "endpoint_url": self.endpoint_url,
                "region_name": REGION,
                "addressing_style": "path",
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
            },
        }

    def environment(self) -> dict[str, str]:
        return {
            "MEDIA_STORAGE_URL": (
                f"s3://{self.bucket}?endpoint_url={self.endpoint_url}"
                f"&region_name={REGION}&addressing_style=path"
            ),
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "NO_PROXY": HOST,
            "no_proxy": HOST,
        }

    def object_keys(self, prefix: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        return sorted(entry["Key"] for page in pages for entry in page.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def new_bucket(self) -> S3Bucket:
        other = S3Bucket(self.endpoint_url, client=self.client)
        other.create()
        self._others.append(other)
        return other

    def create(self) -> None:
        self.client.create_bucket(Bucket=self.bucket)

    def remove(self) -> None:
        for other in self._others:
            other.remove()
        for key in self.object_keys():
            self.client.delete_object(Bucket=self.bucket, Key=key)
        self.client.delete_bucket(Bucket=self.bucket)


@pytest.fixture
def s3_storage(s3_server):
    """The portal stores into a new, empty bucket for the test (see the module's docstring)."""
    bucket = S3Bucket(s3_server)
    bucket.create()
    storages = {**settings.STORAGES, "default": bucket.storage_settings}
    try:
        with override_settings(STORAGES=storages):
            yield bucket
    finally:
        bucket.remove()
