"""Where uploads, kept PDFs and reports are stored: the local media folder, or an S3 bucket.

The media folder (``DJANGO_MEDIA_ROOT``) serves one host. A portal on several hosts keeps its
files in S3-compatible object storage (AWS S3, MinIO, Ceph, …), configured in one of two ways:

``MEDIA_STORAGE_URL=s3://<bucket>?endpoint_url=http://host:9000&region_name=eu-central-1``
    Optional parameters: ``endpoint_url`` (any S3-compatible service; AWS itself needs none),
    ``region_name``, ``location`` (a key prefix inside the bucket, for one bucket shared by
    several installations) and ``addressing_style`` (``path`` or ``virtual``).
the usual django-storages variables
    ``AWS_STORAGE_BUCKET_NAME``, ``AWS_S3_ENDPOINT_URL``, ``AWS_S3_REGION_NAME``,
    ``AWS_LOCATION``, ``AWS_S3_ADDRESSING_STYLE``.

Either way the keys come from the standard AWS credential chain, never from the URL (a secret in a
URL ends up in logs and process lists): ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY`` (with
``AWS_SESSION_TOKEN`` for temporary keys) in the environment, a profile, or the host's role.

Objects are private and never addressed by their URL: every download streams through the portal's
own views, behind the same permission check as the record that owns the file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlsplit

from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

FOLDER_BACKEND = "django.core.files.storage.FileSystemStorage"
OBJECT_BACKEND = "core.storage.PrivateObjectStorage"
URL_VARIABLE = "MEDIA_STORAGE_URL"
# Parameters of MEDIA_STORAGE_URL -> the backend's option of the same meaning.
URL_PARAMETERS = {
    "endpoint_url": "endpoint_url",
    "region_name": "region_name",
    "location": "location",
    "addressing_style": "addressing_style",
}
# The django-storages variables -> the backend's option of the same meaning.
ENVIRONMENT_VARIABLES = {
    "AWS_STORAGE_BUCKET_NAME": "bucket_name",
    "AWS_S3_ENDPOINT_URL": "endpoint_url",
    "AWS_S3_REGION_NAME": "region_name",
    "AWS_LOCATION": "location",
    "AWS_S3_ADDRESSING_STYLE": "addressing_style",
}
ADDRESSING_STYLES = ("auto", "path", "virtual")


def media_storage(environ: Mapping[str, str] | None = None) -> dict:
    """``STORAGES["default"]`` for ``environ`` (default: the process environment).

    The object storage when a bucket is configured, the media folder otherwise. Raises
    ImproperlyConfigured for a setting that cannot work, so the portal does not start with it.
    """
    environ = os.environ if environ is None else environ
    url = environ.get(URL_VARIABLE, "").strip()
    variables = {
        option: environ[name].strip()
        for name, option in ENVIRONMENT_VARIABLES.items()
        if environ.get(name, "").strip()
    }
    if url and variables:
        named = ", ".join(name for name in ENVIRONMENT_VARIABLES if environ.get(name, "").strip())
        raise ImproperlyConfigured(
            f"Set either {URL_VARIABLE} or the AWS_* storage variables, not both ({named})."
        )
    options = _options_from_url(url) if url else variables
    if not options:
        return {"BACKEND": FOLDER_BACKEND}
    if not options.get("bucket_name"):
        raise ImproperlyConfigured(
            "Object storage needs a bucket: set AWS_STORAGE_BUCKET_NAME (or MEDIA_STORAGE_URL)."
        )
    return {"BACKEND": OBJECT_BACKEND, "OPTIONS": _checked(options)}


def _options_from_url(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(f"{URL_VARIABLE} must start with s3:// (got {parts.scheme}://).")
    if parts.username or parts.password:
        raise ImproperlyConfigured(
            f"{URL_VARIABLE} must not hold keys: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        )
    if parts.path.strip("/"):
        raise ImproperlyConfigured(
            f"{URL_VARIABLE}: give a key prefix as ?location=<prefix>, not as a path."
        )
    options = {"bucket_name": parts.hostname or ""}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name not in URL_PARAMETERS:
            known = ", ".join(URL_PARAMETERS)
            raise ImproperlyConfigured(
                f"{URL_VARIABLE}: unknown parameter {name!r} (known: {known})."
            )
        if value:
            options[URL_PARAMETERS[name]] = value
    return options


def _checked(options: dict[str, str]) -> dict[str, str]:
    endpoint = options.get("endpoint_url", "")
    if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
        raise ImproperlyConfigured(f"The storage endpoint must be an http(s) URL: {endpoint!r}.")
    style = options.get("addressing_style", "")
    if style and style not in ADDRESSING_STYLES:
        raise ImproperlyConfigured(
            f"The addressing style must be one of {', '.join(ADDRESSING_STYLES)}: {style!r}."
        )
    if "location" in options:
        options["location"] = options["location"].strip("/")
    return options


def local_media_folder(storage) -> str | None:
    """The folder ``storage`` keeps its files in; None when it keeps them elsewhere (a bucket)."""
    return storage.location if isinstance(storage, FileSystemStorage) else None


class PrivateObjectStorage(S3Storage):
    """Private objects in an S3-compatible bucket, named like the folder storage names files.

    - No ACL is sent: objects get the bucket's (private) default, never ``public-read``.
    - A name in use is never overwritten: the storage picks another, as the folder does, so the
      services' "stored under another name" checks behave the same on both.
    - A read is buffered in memory up to ``max_memory_size`` and spills to a temporary file
      beyond it, so a large attachment never sits in a web worker's memory whole.
    - Timeouts and retries are bounded: a stalled storage fails a request in seconds, not minutes.

    The portal never shows ``url()`` to anyone; should something call it, the signed address
    expires within a minute.
    """

    default_acl = None
    file_overwrite = False
    querystring_auth = True
    querystring_expire = 60
    max_memory_size = 5 * 1024 * 1024
    signature_version = "s3v4"
    CONNECT_TIMEOUT_SECONDS = 5
    READ_TIMEOUT_SECONDS = 60
    MAX_ATTEMPTS = 5

    def __init__(self, **options):
        super().__init__(**options)
        # Our own client settings replace django-storages' default ones (kept: what it put in).
        self.client_config = self.client_config.merge(
            Config(
                connect_timeout=self.CONNECT_TIMEOUT_SECONDS,
                read_timeout=self.READ_TIMEOUT_SECONDS,
                retries={"max_attempts": self.MAX_ATTEMPTS, "mode": "standard"},
                tcp_keepalive=True,
            )
        )
