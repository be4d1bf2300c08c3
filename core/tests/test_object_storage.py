"""The portal with its files in S3-compatible object storage, against a real S3 API (moto's server).

Uploads, renditions, kept PDFs, monthly reports, backups and restores go through the portal's
storage layer into a bucket, and every download still streams through the portal's own views
behind their permission checks: the bucket is private and nothing shows an object's address.
The folder storage stays the default; see ``tests/s3server.py`` for the fixtures.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import uuid

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.test.utils import override_settings
from django.urls import reverse

from claims.documents import CLAIM_8D
from claims.tests.factories import file_claim, png_upload
from core import downloads, health
from core.backup import create_backup
from core.models import Attachment
from core.storage import FOLDER_BACKEND, OBJECT_BACKEND, PrivateObjectStorage, media_storage
from core.virus_scan import ScanResult
from metrics.models import Report
from tests.database_template import module_database
from tests.isolation.calls import api_caller, page_caller, shows, text_of, url_of
from tests.isolation.discovery import UrlRoute, schema_operations, url_routes
from tests.isolation.routes import Access, Route, classify
from tests.isolation.scenario import MARKER_A, build_scenario
from tests.s3server import S3Bucket
from tests.test_background_engine import needs_postgres, process_env, wait_for

REDIS_URL = os.environ.get("REDIS_URL", "")
WORKER_SECONDS = 90
RESTORE_SECONDS = 300


# --- configuration from the environment ----------------------------------------------------------


class TestMediaStorageSetting:
    def test_no_bucket_keeps_the_media_folder(self):
        assert media_storage({}) == {"BACKEND": FOLDER_BACKEND}

    def test_a_storage_url_names_bucket_endpoint_region_and_prefix(self):
        url = (
            "s3://cqm-media?endpoint_url=http://minio:9000&region_name=eu-central-1"
            "&location=/portal/&addressing_style=path"
        )
        assert media_storage({"MEDIA_STORAGE_URL": url}) == {
            "BACKEND": OBJECT_BACKEND,
            "OPTIONS": {
                "bucket_name": "cqm-media",
                "endpoint_url": "http://minio:9000",
                "region_name": "eu-central-1",
                "location": "portal",
                "addressing_style": "path",
            },
        }

    def test_the_django_storages_variables_work_too(self):
        environ = {
            "AWS_STORAGE_BUCKET_NAME": "cqm-media",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.com",
            "AWS_S3_REGION_NAME": "eu-central-1",
            "AWS_LOCATION": "portal",
            "AWS_ACCESS_KEY_ID": "key",  # read by boto3 itself, never copied into settings
            "AWS_SECRET_ACCESS_KEY": "secret",
        }
        assert media_storage(environ)["OPTIONS"] == {
            "bucket_name": "cqm-media",
            "endpoint_url": "https://s3.example.com",
            "region_name": "eu-central-1",
            "location": "portal",
        }

    @pytest.mark.parametrize(
        ("environ", "message"),
        [
            ({"MEDIA_STORAGE_URL": "s3://key:secret@bucket"}, "must not hold keys"),
            ({"MEDIA_STORAGE_URL": "https://bucket"}, "must start with s3://"),
            ({"MEDIA_STORAGE_URL": "s3://bucket?endpoint=http://x"}, "unknown parameter"),
            ({"MEDIA_STORAGE_URL": "s3://bucket/prefix"}, "?location=<prefix>"),
            ({"MEDIA_STORAGE_URL": "s3://?region_name=eu-central-1"}, "needs a bucket"),
            ({"MEDIA_STORAGE_URL": "s3://b?endpoint_url=minio:9000"}, "http(s) URL"),
            ({"MEDIA_STORAGE_URL": "s3://b?addressing_style=odd"}, "addressing style"),
            ({"AWS_S3_ENDPOINT_URL": "http://minio:9000"}, "needs a bucket"),
            (
                {"MEDIA_STORAGE_URL": "s3://one", "AWS_STORAGE_BUCKET_NAME": "two"},
                "not both",
            ),
        ],
    )
    def test_a_setting_that_cannot_work_stops_the_start(self, environ, message):
        with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
            media_storage(environ)

    def test_the_backend_keeps_objects_private_and_never_overwrites(self):
        storage = PrivateObjectStorage(bucket_name="cqm-media")
        assert storage.default_acl is None
        assert storage.file_overwrite is False
        assert storage.querystring_expire <= 60
        assert storage.client_config.connect_timeout == PrivateObjectStorage.CONNECT_TIMEOUT_SECONDS
        assert storage.client_config.retries["max_attempts"] == PrivateObjectStorage.MAX_ATTEMPTS


# --- uploads -------------------------------------------------------------------------------------


class RefusingScanner:
    def scan(self, upload) -> ScanResult:
        return ScanResult(clean=False, signature="Test-Signature")


class AcceptingScanner:
    scanned: list[str] = []

    def scan(self, upload) -> ScanResult:
        AcceptingScanner.scanned.append(upload.name)
        return ScanResult(clean=True)


def _upload_photo(client, claim, name="crack.png", content=None):
    upload = png_upload(name)
    if content is not None:
        upload.file.write(content)
        upload.file.seek(0)
    url = reverse("claims:attachment-add", args=[claim.pk])
    return client.post(url, {"files": [upload], "description": "Crack at the weld"})


def _streamed(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
class TestUploadsAndDownloads:
    @pytest.fixture
    def claim(self, s3_storage, user_a):
        return file_claim(actor=user_a)

    def test_default_storage_and_file_fields_use_the_bucket(self, s3_storage):
        assert isinstance(default_storage, PrivateObjectStorage)
        assert default_storage.bucket_name == s3_storage.bucket
        for model in (Attachment, Report):
            assert isinstance(model._meta.get_field("file").storage, PrivateObjectStorage)

    def test_a_claim_photo_uploaded_on_the_page_lands_in_the_bucket(
        self, s3_storage, client_for, user_a, claim
    ):
        response = _upload_photo(client_for(user_a), claim)

        assert response.status_code == 302
        attachment = Attachment.objects.for_owner(claim).get()
        assert attachment.file.name.startswith("attachments/")
        assert s3_storage.object_keys("attachments/") == [attachment.file.name]
        assert s3_storage.read(attachment.file.name) == png_upload().read()
        # The renditions are made at upload, next to the original.
        assert s3_storage.object_keys("thumbnails/") == [
            f"thumbnails/{attachment.sha256}-{size}.jpg" for size in (1600, 320)
        ]

    def test_stored_objects_are_private(self, s3_storage, client_for, user_a, claim):
        _upload_photo(client_for(user_a), claim)
        for key in s3_storage.object_keys():
            grants = s3_storage.client.get_object_acl(Bucket=s3_storage.bucket, Key=key)["Grants"]
            assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"], key
            assert all(grant["Grantee"].get("Type") == "CanonicalUser" for grant in grants), key

    def test_a_file_the_scanner_refuses_is_not_stored(
        self, s3_storage, client_for, user_a, claim, settings
    ):
        settings.CQM_VIRUS_SCANNER = f"{__name__}.RefusingScanner"
        response = _upload_photo(client_for(user_a), claim)

        messages = [str(message) for message in get_messages(response.wsgi_request)]
        assert any("contains malware (Test-Signature)" in message for message in messages)
        assert not Attachment.objects.exists()
        assert s3_storage.object_keys() == []

    def test_a_file_the_scanner_accepts_is_stored(
        self, s3_storage, client_for, user_a, claim, settings
    ):
        settings.CQM_VIRUS_SCANNER = f"{__name__}.AcceptingScanner"
        AcceptingScanner.scanned = []
        _upload_photo(client_for(user_a), claim, name="scanned.png")

        assert AcceptingScanner.scanned == ["scanned.png"]
        attachment = Attachment.objects.get()
        assert attachment.file.name in s3_storage.object_keys()

    def test_downloads_stream_the_stored_bytes_to_the_owner_only(
        self, s3_storage, client_for, user_a, user_b, engineer, claim
    ):
        _upload_photo(client_for(user_a), claim)
        attachment = Attachment.objects.get()
        download = reverse("core:attachment-download", args=[attachment.pk])
        picture = reverse("core:attachment-picture", args=[attachment.pk, 320])

        for user in (user_a, engineer):
            client = client_for(user)
            response = client.get(download)
            assert response.status_code == 200
            assert _streamed(response) == s3_storage.read(attachment.file.name)
            assert int(response["Content-Length"]) == attachment.size
            thumbnail = client.get(picture)
            assert thumbnail["Content-Type"] == "image/jpeg"
            assert _streamed(thumbnail) == s3_storage.read(
                f"thumbnails/{attachment.sha256}-320.jpg"
            )
            client.logout()
        other = client_for(user_b)
        assert other.get(download).status_code == 404
        assert other.get(picture).status_code == 404

    def test_a_file_gone_from_the_bucket_is_a_404(self, s3_storage, client_for, user_a, claim):
        _upload_photo(client_for(user_a), claim)
        attachment = Attachment.objects.get()
        s3_storage.client.delete_object(Bucket=s3_storage.bucket, Key=attachment.file.name)
        response = client_for(user_a).get(reverse("core:attachment-download", args=[attachment.pk]))
        assert response.status_code == 404

    def test_the_health_check_writes_and_reads_the_bucket(self, s3_storage):
        health.check_storage()
        assert s3_storage.object_keys() == []  # the probe cleans up after itself


# --- kept PDFs -----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestKeptDocuments:
    @pytest.fixture
    def claim(self, s3_storage, user_a, settings):
        settings.CQM_PDF_INLINE_MAX_BYTES = 1_000  # every 8D is made by the (eager) worker
        return file_claim(actor=user_a)

    def test_a_heavy_pdf_is_kept_in_the_bucket_and_served_from_it(
        self, s3_storage, client_for, user_a, user_b, claim
    ):
        url = reverse("claims:claim-report", args=[claim.pk])
        first = client_for(user_a).get(url)
        assert first.status_code == 200
        [kept] = s3_storage.object_keys("documents/")
        assert _streamed(first) == s3_storage.read(kept)
        assert _streamed(client_for(user_a).get(url)) == s3_storage.read(kept)
        assert client_for(user_b).get(url).status_code == 404

    def test_pruning_removes_old_documents_and_nothing_else(
        self, s3_storage, client_for, user_a, claim
    ):
        _upload_photo(client_for(user_a), claim)
        client_for(user_a).get(reverse("claims:claim-report", args=[claim.pk]))
        assert len(s3_storage.object_keys("documents/")) == 1

        assert downloads.prune(days=7) == 0
        assert downloads.prune(days=-1) == 1  # made "before tomorrow": older than kept
        assert s3_storage.object_keys("documents/") == []
        assert len(s3_storage.object_keys("attachments/")) == 1

    def test_pruning_an_empty_bucket_finds_nothing(self, s3_storage):
        assert downloads.prune(days=-1) == 0


# --- a real worker -------------------------------------------------------------------------------


needs_redis = pytest.mark.skipif(not REDIS_URL, reason="a real worker needs REDIS_URL")


@needs_redis
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_writes_the_pdf_into_the_bucket(
    s3_storage, client_for, user_a, user_b, tmp_path
):
    claim = file_claim(actor=user_a, uploads=[png_upload("weld.png")])
    queue = f"cqm-test-storage-{uuid.uuid4().hex[:12]}"
    env = process_env(
        tmp_path / "var",
        **s3_storage.environment(),
        CELERY_BROKER_URL=REDIS_URL,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        CQM_QUEUE_PREFIX=f"{queue}-",
    )
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "cqm_portal", "worker", "--pool=solo",
            "--loglevel=INFO", "-Q", queue, f"--hostname=storage-{queue}@localhost",
            "--without-gossip", "--without-mingle", "--without-heartbeat", f"--logfile={log}",
        ],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        client = Celery("cqm_storage_test_client", broker=REDIS_URL, set_as_current=False)
        try:
            client.send_task(
                downloads.RENDER_TASK, args=[CLAIM_8D.name, claim.pk, "en", None], queue=queue
            )
        finally:
            client.close()
        made = wait_for(lambda: s3_storage.object_keys("documents/"), timeout=WORKER_SECONDS)
        assert made, log.read_text()[-4000:] if log.exists() else "the worker wrote no log"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        redis.Redis.from_url(REDIS_URL).delete(queue)

    [kept] = s3_storage.object_keys("documents/")
    assert kept.startswith("documents/claims.documents.8d/") and kept.endswith(".pdf")
    stored = s3_storage.read(kept)
    assert stored.startswith(b"%PDF")
    # The portal serves the worker's file from the bucket, to the claim's customer only.
    url = reverse("claims:claim-report", args=[claim.pk])
    assert _streamed(client_for(user_a).get(url)) == stored
    assert client_for(user_b).get(url).status_code == 404


# --- backup and restore --------------------------------------------------------------------------


def _restore_env(tmp_path, bucket) -> dict[str, str]:
    return process_env(
        tmp_path / "restore-var",
        DATABASE_URL=f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        **bucket.environment(),
    )


def _restore(archive, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=RESTORE_SECONDS,
    )


@pytest.mark.django_db
def test_backup_reads_the_bucket_and_restore_fills_an_empty_one(
    s3_storage, client_for, user_a, tmp_path, settings
):
    settings.CQM_PDF_INLINE_MAX_BYTES = 1_000
    claim = file_claim(actor=user_a)
    _upload_photo(client_for(user_a), claim)
    client_for(user_a).get(reverse("claims:claim-report", args=[claim.pk]))  # a kept PDF
    source = {key: s3_storage.read(key) for key in s3_storage.object_keys()}
    assert len(source) == 4  # the photo, its two renditions and the PDF

    result = create_backup(output_dir=tmp_path / "backups")
    assert result.media_files == 4
    assert not result.attachment_problems
    with tarfile.open(result.path) as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive}
    assert {f"media/{key}": content for key, content in source.items()}.items() <= members.items()

    target = s3_storage.new_bucket()
    clashing = next(iter(source))
    target.client.put_object(Bucket=target.bucket, Key=clashing, Body=b"another file")
    refused = _restore(result.path, _restore_env(tmp_path, target))
    assert refused.returncode != 0
    assert "The storage bucket already holds other files" in refused.stderr
    assert target.object_keys() == [clashing]  # nothing was written

    target.client.delete_object(Bucket=target.bucket, Key=clashing)
    restored = _restore(result.path, _restore_env(tmp_path, target))
    assert restored.returncode == 0, restored.stderr[-4000:]
    assert {key: target.read(key) for key in target.object_keys()} == source


@pytest.mark.django_db
def test_a_backup_folder_inside_the_old_media_folder_is_fine_with_a_bucket(
    s3_storage, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    result = create_backup(output_dir=tmp_path / "backups")
    assert result.path.exists()


# --- monthly reports and the admin ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_monthly_report_is_stored_in_the_bucket_and_the_admin_links_the_portal(
    s3_storage, client_for, manager, admin_user, customer_a, django_capture_on_commit_callbacks
):
    from metrics import reports

    with django_capture_on_commit_callbacks(execute=True):
        report = reports.report_request(
            period=reports.previous_month(), customer=customer_a, actor=manager, new_version=True
        )
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert s3_storage.object_keys("reports/") == [report.file.name]

    download = client_for(manager).get(reverse("metrics:report-download", args=[report.pk]))
    assert _streamed(download) == s3_storage.read(report.file.name)

    page = (
        client_for(admin_user)
        .get(reverse("admin:metrics_report_change", args=[report.pk]))
        .content.decode()
    )
    assert reverse("metrics:report-download", args=[report.pk]) in page
    assert s3_storage.endpoint_url not in page
    assert "X-Amz-" not in page


# --- tenant isolation of every download route ----------------------------------------------------

# Routes whose answer is a file (attachments, pictures, PDFs, packages, reports, exports), found
# by name in the isolation registry, so that a new download route is swept here too.
DOWNLOAD_ROUTE = re.compile(r"download|picture|pdf|report|package|psw|export|zip|file")
STORED_FILE_ROUTES = {
    "core:attachment-download",
    "core:attachment-picture",
    "metrics:report-download",
    "claims:claim-report",
}


def _download_routes() -> list[tuple[UrlRoute, Route]]:
    found = []
    for route in sorted(url_routes(), key=lambda route: route.key):
        entry = classify(route)
        if (
            entry is not None
            and entry.access is Access.TENANT_RECORD
            and DOWNLOAD_ROUTE.search(route.key)
            and _answers_get(route, entry)
        ):
            found.append((route, entry))
    return found


def _answers_get(route: UrlRoute, entry: Route) -> bool:
    if route.is_api:
        return "GET" in schema_operations().get(route.key, {"GET"})
    return "GET" in entry.methods


DOWNLOAD_ROUTES = _download_routes()


def test_the_sweep_includes_the_routes_that_serve_stored_files():
    assert {route.key for route, _entry in DOWNLOAD_ROUTES} >= STORED_FILE_ROUTES


@pytest.fixture(scope="class")
def scenario_in_a_bucket(s3_server, django_db_setup, django_db_blocker):
    """Two customers with one record of every kind, every file of theirs stored in a bucket."""
    bucket = S3Bucket(s3_server)
    bucket.create()
    storages = {**settings.STORAGES, "default": bucket.storage_settings}
    try:
        with override_settings(STORAGES=storages), module_database(django_db_blocker, "bucket"):
            yield bucket, build_scenario()
    finally:
        bucket.remove()


@pytest.mark.django_db
class TestDownloadRoutesFromTheBucket:
    def test_the_scenario_stored_its_files_in_the_bucket(self, scenario_in_a_bucket):
        bucket, scenario = scenario_in_a_bucket
        for side in (scenario.a, scenario.b):
            for attachment in (side.claim_attachment, side.part_attachment):
                assert attachment.file.name in bucket.object_keys("attachments/")
            assert side.report.file.name in bucket.object_keys("reports/")

    @pytest.mark.parametrize(
        ("route", "entry"), DOWNLOAD_ROUTES, ids=[route.key for route, _ in DOWNLOAD_ROUTES]
    )
    def test_another_customer_gets_404_and_nobody_gets_a_bucket_address(
        self, scenario_in_a_bucket, route, entry
    ):
        bucket, scenario = scenario_in_a_bucket
        staff = getattr(scenario, entry.staff)
        for kwargs in entry.kwargs(scenario.a):
            url = url_of(route, kwargs)
            other = _caller(route, "b", scenario.b.user)
            refused = other.call("GET", url)
            assert refused.status_code == 404, f"B GET {url}: {refused.status_code}"
            assert not shows(text_of(refused), MARKER_A)
            for label, user in (("a", scenario.a.user), (entry.staff, staff)):
                answer = _caller(route, label, user).call("GET", url)
                assert answer.status_code < 500, f"{label} GET {url}: {answer.status_code}"
                body = _body(answer)
                assert bucket.endpoint_url.encode() not in body, f"{label} GET {url}"
                assert b"X-Amz-Signature" not in body, f"{label} GET {url}"
            assert answer.status_code != 404, f"control: {entry.staff} GET {url} is a 404"


def _caller(route: UrlRoute, label: str, user):
    return api_caller(label, user) if route.is_api else page_caller(label, user)


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
