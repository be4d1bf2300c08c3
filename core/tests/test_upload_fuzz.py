"""Hostile uploads through the real endpoints: each file is refused with a message or stored safely.

Endpoints: the claim page (customer user and engineer), the claim API (both) and the part page
(engineer). Requests are built by hand so file names reach the server exactly as an attacker
sends them (the test client would strip folders from names first).

"Refused" means a 4xx or a redirect with an error message, no new Attachment row and no new file
under MEDIA_ROOT. "Stored safely" means a generated name inside MEDIA_ROOT, the proven type, and
downloads (page and API) that are always attachments with a safe name, ``nosniff`` and a
sandboxing CSP. Nothing may answer 5xx.

Decisions on polyglots: the content decides the type. A PDF with an HTML tail is a PDF, a PNG
with a PHP tail that decodes is a PNG, markup without a binary signature is plain text; they are
stored under generated names and only ever served as downloads of their proven type, whose saved
name ends in that type's extension. GIF is not in the default policy, so GIF/JS polyglots are
refused; executables are refused whatever they are called.
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from claims.tests.factories import file_claim
from core.attachments import DOWNLOAD_SUFFIXES, MAX_FILES_PER_UPLOAD, inspect_upload
from core.models import Attachment
from customers.models import CustomerRequirements

from .conftest import all_files, png_bytes, stored_files
from .test_virus_scan import EICAR, EICAR_SIGNATURE, TEST_SCANNER

pytestmark = pytest.mark.django_db

FUZZ = hypothesis_settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BOUNDARY = "cqm-fuzz-boundary-7MA4YWxkTrZu0gW"
SANDBOX_CSP = "default-src 'none'; sandbox"
NEVER_SERVED_TYPES = ("text/html", "image/svg+xml", "application/javascript", "text/javascript")
STORED_NAME = re.compile(r"^attachments/\d{4}/\d{2}/[0-9a-f]{32}\.[a-z0-9]{1,12}$")


def _jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="JPEG")
    return buffer.getvalue()


PNG = png_bytes()
JPEG = _jpeg_bytes()
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
LINUX_ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
GIF_JS_POLYGLOT = (
    b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00,\x00\x00\x00\x00\x01\x00\x01\x00*/=alert(1);"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
PHP = b"<?php system($_GET['c']); ?>"
SCRIPT_TAILS = [PHP, HTML, b"\n<script src=//evil.example/x.js></script>", b"\x00" * 16 + HTML]
MAGIC_NUMBERS = [
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0",
    b"GIF89a",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"MZ",
    b"\x7fELF",
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    b"\x00\x00\x00\x18ftypheic",
    b"\xca\xfe\xba\xbe",
    b"#!/bin/sh\n",
]
NASTY_NAMES = [
    "../../etc/passwd",
    "..\\..\\win.ini",
    "/etc/passwd",
    "C:\\Windows\\System32\\drivers\\etc\\hosts",
    "..&#47;..&#47;settings.py",
    "%2e%2e%2f%2e%2e%2fshadow.png",
    "photo.png\x00.exe",
    "invoice\u202egnp.exe",
    "x" * 1200 + ".png",
    "ü" * 700 + ".pdf",
    "a" * 1500,
    "..",
    ".",
    " ",
    ".htaccess",
    "CON",
    'quote".png',
    "line\r\nbreak.png",
    "<img src=x onerror=alert(1)>.png",
    "shell.php",
    "page.html",
    "logo.svg",
    "script.js",
    "photo.png.php",
    "report.pdf.exe",
]
EXTENSIONS = ["", ".png", ".jpg", ".pdf", ".txt", ".csv", ".html", ".svg", ".exe", ".php", ".docx"]


def _concat(*parts: bytes) -> bytes:
    return b"".join(parts)


payloads = st.one_of(
    st.binary(max_size=2048),  # random bytes, empty files included
    st.builds(_concat, st.sampled_from(MAGIC_NUMBERS), st.binary(max_size=512)),  # wrong magic
    st.builds(_concat, st.sampled_from([PNG, JPEG, PDF]), st.sampled_from(SCRIPT_TAILS)),
    st.sampled_from([WINDOWS_EXE, LINUX_ELF, GIF_JS_POLYGLOT, HTML, SVG, PHP, EICAR, b""]),
    st.text(max_size=300).map(str.encode),
)
names = st.one_of(
    st.sampled_from(NASTY_NAMES),
    st.builds(
        lambda stem, extension: stem + extension, st.text(max_size=60), st.sampled_from(EXTENSIONS)
    ),
    st.lists(st.sampled_from(["..", "/", "\\", "etc", "passwd", "\x00", ".png"]), max_size=8).map(
        "".join
    ),
)


# --- sending requests the way a hostile client does ---------------------------------------------


def _quoted_file_name(name: str) -> bytes:
    # Like browsers (HTML multipart/form-data rules): quote, CR and LF are percent-encoded.
    escaped = name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    return escaped.encode("utf-8")


def multipart_body(field_name: str, files: list[tuple[str, bytes]]) -> bytes:
    parts = []
    for file_name, content in files:
        parts.append(
            b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n%s\r\n"
            % (BOUNDARY.encode(), field_name.encode(), _quoted_file_name(file_name), content)
        )
    parts.append(b"--%s--\r\n" % BOUNDARY.encode())
    return b"".join(parts)


@dataclass
class Outcome:
    status: int
    accepted: bool
    messages: list[str] = field(default_factory=list)


@dataclass
class Endpoint:
    """One upload endpoint as one persona."""

    kind: str
    client: object
    api_client: object
    owner: object

    def post(self, files: list[tuple[str, bytes]]) -> Outcome:
        if self.kind == "claim-api":
            return self._post_api(files)
        if self.kind == "claim-page":
            return self._post_claim_page(files)
        return self._post_part_page(files)

    def send(self, files: list[tuple[str, bytes]], *, follow: bool = False):
        """The raw response to a multipart request carrying ``files``."""
        if self.kind == "claim-api":
            url = f"/api/v1/claims/{self.owner.pk}/attachments/"
            return _send(self.api_client, url, "file", files)
        if self.kind == "claim-page":
            url = reverse("claims:attachment-add", args=[self.owner.pk])
            return _send(self.client, url, "files", files, follow=follow)
        url = reverse("customers:part-attachment-add", args=[self.owner.pk])
        return _send(self.client, url, "file", files)

    def _post_api(self, files) -> Outcome:
        response = self.send(files)
        if response.status_code == 201:
            return Outcome(201, True)
        return Outcome(response.status_code, False, _strings(response.json()))

    def _post_claim_page(self, files) -> Outcome:
        # Followed like a browser does, so each request's messages are shown (and used up) once.
        response = self.send(files, follow=True)
        if not response.redirect_chain:
            return Outcome(response.status_code, False, [_page_text(response)])
        shown = list(get_messages(response.wsgi_request))
        errors = [str(m) for m in shown if m.level == messages.ERROR]
        accepted = not errors and bool(shown)
        return Outcome(response.redirect_chain[0][1], accepted, errors)

    def _post_part_page(self, files) -> Outcome:
        response = self.send(files)
        if response.status_code == 302:
            return Outcome(302, True)
        if not response.context or "upload_form" not in response.context:
            # A request the portal could not even read answers its 400 page, without the form.
            return Outcome(response.status_code, False, [_page_text(response)])
        form = response.context["upload_form"]
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        return Outcome(response.status_code, False, errors)


def _send(client, url, field_name, files, *, follow=False):
    body = multipart_body(field_name, files)
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    return client.post(url, body, content_type=content_type, follow=follow)


def _page_text(response) -> str:
    """What a page without a form says, e.g. the portal's "The request could not be read"."""
    return re.sub(r"<[^>]+>", " ", response.content.decode(errors="replace")).strip()


def _strings(data) -> list[str]:
    if isinstance(data, dict):
        return [text for value in data.values() for text in _strings(value)]
    if isinstance(data, list):
        return [text for value in data for text in _strings(value)]
    return [str(data)]


ENDPOINTS = [
    ("claim-page", "user_a"),
    ("claim-page", "engineer"),
    ("claim-api", "user_a"),
    ("claim-api", "engineer"),
    ("part-page", "engineer"),
]
# The part page takes one file per request; the others take several.
MULTI_FILE_ENDPOINTS = [(kind, persona) for kind, persona in ENDPOINTS if kind != "part-page"]


def _endpoint_id(param) -> str:
    kind, persona = param
    return f"{kind}-as-{persona}"


@pytest.fixture(autouse=True)
def eicar_scanner(settings):
    settings.CQM_VIRUS_SCANNER = TEST_SCANNER


@pytest.fixture
def claim(user_a):
    return file_claim(actor=user_a)


def _endpoint(request) -> Endpoint:
    kind, persona = request.param
    user = request.getfixturevalue(persona)
    owner = request.getfixturevalue("part_a" if kind == "part-page" else "claim")
    client_for = request.getfixturevalue("client_for")
    api_client_for = request.getfixturevalue("api_client_for")
    return Endpoint(kind, client_for(user), api_client_for(user), owner)


@pytest.fixture(params=ENDPOINTS, ids=_endpoint_id)
def endpoint(request, media_root) -> Endpoint:
    return _endpoint(request)


@pytest.fixture(params=MULTI_FILE_ENDPOINTS, ids=_endpoint_id)
def multi_file_endpoint(request, media_root) -> Endpoint:
    return _endpoint(request)


# --- what "refused" and "stored safely" mean ----------------------------------------------------


class Snapshot:
    def __init__(self, media_root: Path):
        self.media_root = media_root
        self.rows = set(Attachment.objects.values_list("pk", flat=True))
        self.files = set(stored_files(media_root))
        self.everything = set(all_files(media_root))

    def new_rows(self) -> list[Attachment]:
        return list(Attachment.objects.exclude(pk__in=self.rows).order_by("pk"))

    def new_files(self) -> set[Path]:
        return set(stored_files(self.media_root)) - self.files


def assert_refused(outcome: Outcome, before: Snapshot):
    assert outcome.status < 500
    assert outcome.status == 302 or 400 <= outcome.status < 500, outcome
    assert outcome.messages and all(text.strip() for text in outcome.messages), outcome
    assert before.new_rows() == []
    assert before.new_files() == set()
    assert set(all_files(before.media_root)) == before.everything  # no rendition either


def assert_stored_safely(endpoint: Endpoint, before: Snapshot, sent: list[bytes]):
    rows = before.new_rows()
    assert [row.size for row in rows] == [len(content) for content in sent]
    media_root = before.media_root.resolve()
    on_disk = set()
    for row, content in zip(rows, sent, strict=True):
        assert STORED_NAME.match(row.file.name), row.file.name
        assert row.file.name.endswith(f".{row.extension}")
        path = (media_root / row.file.name).resolve()
        assert path.is_relative_to(media_root)
        assert path.read_bytes() == content
        on_disk.add(path)
        assert_name_is_inert(row.original_name)
        assert_downloads_safely(endpoint, row, content)
    assert {path.resolve() for path in before.new_files()} == on_disk


def assert_name_is_inert(name: str):
    assert 0 < len(name) <= 255
    assert "/" not in name and "\\" not in name
    assert not any(unicodedata.category(ch).startswith("C") for ch in name), ascii(name)
    assert not name.startswith(".")


def assert_downloads_safely(endpoint: Endpoint, attachment: Attachment, content: bytes):
    page = endpoint.client.get(reverse("core:attachment-download", args=[attachment.pk]))
    api = endpoint.api_client.get(f"/api/v1/attachments/{attachment.pk}/download/")
    for response in (page, api):
        assert response.status_code == 200
        assert response["Content-Type"] == attachment.mime_type
        assert not response["Content-Type"].startswith(NEVER_SERVED_TYPES)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == SANDBOX_CSP
        name = download_file_name(response["Content-Disposition"])
        assert_name_is_inert(name)
        suffix = name.rpartition(".")[2].lower()
        allowed = DOWNLOAD_SUFFIXES.get(attachment.extension, (attachment.extension,))
        assert suffix in allowed, (name, attachment.mime_type)
        assert b"".join(response.streaming_content) == content


def download_file_name(disposition: str) -> str:
    assert "\r" not in disposition and "\n" not in disposition
    kind, _, parameter = disposition.partition("; ")
    assert kind == "attachment", disposition
    if parameter.startswith("filename*=utf-8''"):
        return unquote(parameter.removeprefix("filename*=utf-8''"))
    assert parameter.startswith('filename="') and parameter.endswith('"'), disposition
    return re.sub(r"\\(.)", r"\1", parameter[len('filename="') : -1])


def content_is_refused(content: bytes, policy) -> bool:
    """Whether the content alone (whatever its name) breaks the record's upload policy."""
    try:
        inspect_upload(SimpleUploadedFile("upload", content), policy)
    except ValidationError:
        return True
    return False


# --- the fuzz tests -----------------------------------------------------------------------------


class TestFuzzedUploads:
    @FUZZ
    @given(content=payloads, name=names)
    def test_one_hostile_file_is_refused_or_stored_safely(
        self, endpoint, media_root, content, name
    ):
        before = Snapshot(media_root)
        outcome = endpoint.post([(name, content)])
        event("stored" if outcome.accepted else "refused")
        if outcome.accepted:
            assert_stored_safely(endpoint, before, [content])
        else:
            assert_refused(outcome, before)
        if content_is_refused(content, _policy_of(endpoint)):
            assert not outcome.accepted, "content the policy refuses was stored"

    @FUZZ
    @given(files=st.lists(st.tuples(names, payloads), min_size=2, max_size=6))
    def test_several_hostile_files_are_all_stored_or_none(
        self, multi_file_endpoint, media_root, files
    ):
        endpoint = multi_file_endpoint
        before = Snapshot(media_root)
        outcome = endpoint.post(files)
        event("stored" if outcome.accepted else "refused")
        # A part without a file name is no file at all to the server (browsers never send one).
        named = [content for name, content in files if not is_nameless(name)]
        if outcome.accepted:
            assert_stored_safely(endpoint, before, named)
        else:
            assert_refused(outcome, before)
        policy = _policy_of(endpoint)
        if any(content_is_refused(content, policy) for content in named):
            assert not outcome.accepted, "a file the policy refuses was stored"


def is_nameless(name: str) -> bool:
    """Whether nothing printable is left of ``name`` once its folders are removed."""
    base = html.unescape(name).replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable()) in {"", ".", ".."}


def _policy_of(endpoint: Endpoint):
    customer = endpoint.owner.customer
    return CustomerRequirements.objects.get(customer=customer).attachment_policy


# --- named cases with a decided outcome ---------------------------------------------------------

STORED_CASES = {
    # name sent, content -> (proven type, name the download is saved under)
    "pdf-named-png": ("scan.png", PDF, "application/pdf", "scan.png.pdf"),
    "png-named-pdf": ("report.pdf", PNG, "image/png", "report.pdf.png"),
    "pdf-with-html-tail": ("spec.pdf", PDF + HTML, "application/pdf", "spec.pdf"),
    "png-with-php-tail": ("shell.php", PNG + PHP, "image/png", "shell.php.png"),
    "jpeg-with-script-tail": ("cat.jpeg", JPEG + HTML, "image/jpeg", "cat.jpeg"),
    "html-named-png": ("page.png", HTML, "text/plain", "page.png.txt"),
    "html-page": ("index.html", HTML, "text/plain", "index.html.txt"),
    "svg-with-script": ("logo.svg", SVG, "text/plain", "logo.svg.txt"),
    "unix-traversal": (
        "../../etc/passwd",
        b"root:x:0:0:root:/root:/bin/bash\n",
        "text/plain",
        "passwd.txt",
    ),
    "windows-traversal": ("..\\..\\win.ini", b"[fonts]\n", "text/plain", "win.ini.txt"),
    "absolute-path": (
        "/var/www/html/x.php",
        b"<?php passthru($_GET[1]) ?>",
        "text/plain",
        "x.php.txt",
    ),
    "nul-in-name": ("photo.png\x00.exe", PNG, "image/png", "photo.png.exe.png"),
    "rtl-override": ("invoice\u202egnp.exe", PNG, "image/png", "invoicegnp.exe.png"),
    "dot-file": (".htaccess", b"Options +ExecCGI\n", "text/plain", "htaccess.txt"),
}
LONG_NAME = "x" * 400 + ".png"  # fits a request; longer than any stored name
OVERLONG_NAME = "x" * 1200 + ".png"
REFUSED_CASES = {
    # name sent, content -> words the message must contain
    "exe-named-jpg": ("holiday.jpg", WINDOWS_EXE, ["holiday.jpg", "program"]),
    "elf-named-png": ("chart.png", LINUX_ELF, ["chart.png", "program"]),
    "gif-js-polyglot": ("pixel.gif", GIF_JS_POLYGLOT, ["pixel.gif", "not an allowed file type"]),
    "png-magic-then-garbage": ("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, ["x.png"]),
    "zip-named-docx": ("letter.docx", b"PK\x05\x06" + b"\x00" * 18, ["letter.docx"]),
    "random-binary": ("data.bin", bytes(range(256)) * 4, ["data.bin", "not an allowed"]),
    "eicar": ("notes.txt", EICAR, ["notes.txt", EICAR_SIGNATURE]),
    "empty": ("empty.pdf", b"", ["empty"]),
}


class TestDecidedOutcomes:
    @pytest.mark.parametrize("case", list(STORED_CASES))
    def test_stored_under_a_generated_name_and_served_as_proven_type(
        self, endpoint, media_root, case
    ):
        name, content, mime_type, saved_as = STORED_CASES[case]
        before = Snapshot(media_root)
        outcome = endpoint.post([(name, content)])
        assert outcome.accepted, outcome
        assert_stored_safely(endpoint, before, [content])
        attachment = before.new_rows()[0]
        assert attachment.mime_type == mime_type
        response = endpoint.client.get(reverse("core:attachment-download", args=[attachment.pk]))
        assert download_file_name(response["Content-Disposition"]) == saved_as

    @pytest.mark.parametrize("case", list(REFUSED_CASES))
    def test_refused_with_a_clear_message(self, endpoint, media_root, case):
        name, content, words = REFUSED_CASES[case]
        before = Snapshot(media_root)
        outcome = endpoint.post([(name, content)])
        assert not outcome.accepted
        assert_refused(outcome, before)
        text = " ".join(outcome.messages)
        assert all(word in text for word in words), (words, text)

    def test_long_name_is_shortened_and_keeps_its_extension(self, endpoint, media_root):
        before = Snapshot(media_root)
        assert endpoint.post([(LONG_NAME, PNG)]).accepted
        assert_stored_safely(endpoint, before, [PNG])
        attachment = before.new_rows()[0]
        assert len(attachment.original_name) == 255
        assert attachment.original_name.endswith("xxx.png")

    @pytest.mark.parametrize("name", [OVERLONG_NAME, "ü" * 700 + ".pdf"])
    def test_name_beyond_the_multipart_header_limit_is_a_client_error(
        self, endpoint, media_root, name
    ):
        # Django refuses multipart part headers over 1 KiB before any view runs. No file system
        # allows names that long, so only a hand-made request carries one.
        before = Snapshot(media_root)
        outcome = endpoint.post([(name, PNG)])
        assert outcome.status == 400
        assert_refused(outcome, before)
        if endpoint.kind == "claim-api":
            assert "header size" in " ".join(outcome.messages)

    @pytest.mark.parametrize("name", ["..", ".", "/", "\\"])
    def test_name_that_is_only_a_path_is_refused_or_renamed(self, endpoint, media_root, name):
        before = Snapshot(media_root)
        outcome = endpoint.post([(name, PNG)])
        if outcome.accepted:
            assert_stored_safely(endpoint, before, [PNG])
        else:
            assert_refused(outcome, before)


class TestSizeLimits:
    @pytest.fixture
    def one_megabyte_policy(self, customer_a):
        CustomerRequirements.objects.filter(customer=customer_a).update(max_attachment_mb=1)
        return 1024 * 1024

    def test_file_one_byte_over_the_limit_is_refused(
        self, endpoint, media_root, one_megabyte_policy
    ):
        before = Snapshot(media_root)
        outcome = endpoint.post([("big.txt", b"a" * (one_megabyte_policy + 1))])
        assert_refused(outcome, before)
        assert "largest file allowed is 1.0" in " ".join(outcome.messages)

    def test_file_exactly_at_the_limit_is_stored(self, endpoint, media_root, one_megabyte_policy):
        content = b"a" * one_megabyte_policy
        before = Snapshot(media_root)
        assert endpoint.post([("big.txt", content)]).accepted
        assert_stored_safely(endpoint, before, [content])


class TestManyFilesAtOnce:
    def test_more_files_than_allowed_are_refused_with_a_message(
        self, multi_file_endpoint, media_root
    ):
        files = [(f"photo-{number}.png", PNG) for number in range(30)]
        before = Snapshot(media_root)
        outcome = multi_file_endpoint.post(files)
        assert_refused(outcome, before)
        text = " ".join(outcome.messages)
        assert "30 files" in text and f"at most {MAX_FILES_PER_UPLOAD}" in text

    def test_the_largest_allowed_batch_is_stored(self, multi_file_endpoint, media_root):
        files = [(f"photo-{number}.png", PNG) for number in range(MAX_FILES_PER_UPLOAD)]
        before = Snapshot(media_root)
        assert multi_file_endpoint.post(files).accepted
        assert len(before.new_rows()) == MAX_FILES_PER_UPLOAD
        assert len(before.new_files()) == MAX_FILES_PER_UPLOAD

    def test_more_files_than_the_server_parses_is_a_client_error(
        self, multi_file_endpoint, media_root, settings
    ):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1
        before = Snapshot(media_root)
        response = multi_file_endpoint.send([(f"f{number}.txt", b"x") for number in range(count)])
        assert response.status_code == 400
        assert before.new_rows() == [] and before.new_files() == set()
