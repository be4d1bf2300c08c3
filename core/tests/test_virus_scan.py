"""The virus-scan hook: a test double scanner, and a fake clamd speaking the INSTREAM protocol.

ClamAV itself is outside the product; the fake daemon below answers like clamd does, so the
protocol code (chunk framing, reply parsing, failing closed) runs against a real socket.
"""

import socket
import socketserver
import struct
import tempfile
import threading
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.tests.factories import file_claim
from core.attachments import AttachmentPolicy
from core.models import Attachment
from core.services import attachments_add
from core.virus_scan import (
    ClamdScanner,
    ScanFailed,
    ScannerUnavailable,
    ScanResult,
    configured_scanner,
    parse_clamd_reply,
)

from .conftest import png_bytes, stored_files, upload

pytestmark = pytest.mark.django_db

# The EICAR anti-virus test file, in two halves so that scanners do not flag this source file.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_SIGNATURE = "Eicar-Test-Signature"
TEST_SCANNER = "core.tests.test_virus_scan.EicarTestScanner"
UNREACHABLE_MESSAGE = "the virus scanner is not reachable; try again later"
POLICY = AttachmentPolicy(
    allowed_types=("image/png", "text/plain", "application/pdf"), max_bytes=1024 * 1024
)


class EicarTestScanner:
    """Test double: flags files containing the EICAR test string and records what it saw."""

    scanned: list[tuple[str, int]] = []

    def scan(self, upload) -> ScanResult:
        content = b"".join(upload.chunks())
        EicarTestScanner.scanned.append((upload.name, Attachment.objects.count()))
        if EICAR in content:
            return ScanResult(clean=False, signature=EICAR_SIGNATURE)
        return ScanResult(clean=True)


class BrokenScanner:
    def scan(self, upload) -> ScanResult:
        raise RuntimeError("scanner crashed")


@pytest.fixture
def test_scanner(settings):
    EicarTestScanner.scanned = []
    settings.CQM_VIRUS_SCANNER = TEST_SCANNER
    return EicarTestScanner


# --- a fake clamd ------------------------------------------------------------------------------


def _read_exactly(connection, size: int) -> bytes:
    data = b""
    while len(data) < size:
        more = connection.recv(size - len(data))
        if not more:
            raise ConnectionError("client closed the stream early")
        data += more
    return data


def _read_command(connection) -> bytes:
    command = b""
    while not command.endswith(b"\0"):
        command += _read_exactly(connection, 1)
    return command


class ClamdHandler(socketserver.BaseRequestHandler):
    """Answers ``zINSTREAM`` like clamd: FOUND for EICAR, OK otherwise, ERROR past the limit."""

    def handle(self):
        server = self.server
        command = _read_command(self.request)
        server.commands.append(command)
        if server.mode == "silent":
            return
        if command != b"zINSTREAM\0":
            self.request.sendall(b"UNKNOWN COMMAND\0")
            return
        stream, chunk_count, over_limit = b"", 0, False
        while size := struct.unpack("!L", _read_exactly(self.request, 4))[0]:
            chunk = _read_exactly(self.request, size)
            chunk_count += 1
            over_limit = over_limit or len(stream) + size > server.stream_max_length
            if not over_limit:
                stream += chunk
        server.streams.append((stream, chunk_count))
        self.request.sendall(self._reply(stream, over_limit))

    def _reply(self, stream: bytes, over_limit: bool) -> bytes:
        if over_limit:
            return b"INSTREAM size limit exceeded. ERROR\0"
        if EICAR in stream:
            return f"stream: {EICAR_SIGNATURE} FOUND\0".encode()
        return b"stream: OK\0"


class FakeClamdMixin:
    daemon_threads = True
    allow_reuse_address = True

    def setup_fake(self, mode: str, stream_max_length: int):
        self.mode = mode
        self.stream_max_length = stream_max_length
        self.commands: list[bytes] = []
        self.streams: list[tuple[bytes, int]] = []


class FakeClamdTcp(FakeClamdMixin, socketserver.ThreadingTCPServer):
    pass


class FakeClamdUnix(FakeClamdMixin, socketserver.ThreadingUnixStreamServer):
    pass


def _serve(server, mode, stream_max_length=25 * 1024 * 1024):
    server.setup_fake(mode, stream_max_length)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def clamd(settings):
    """``clamd(mode="normal", stream_max_length=…)``: a fake daemon on a local TCP port."""
    servers = []

    def start(mode="normal", **options):
        server = _serve(FakeClamdTcp(("127.0.0.1", 0), ClamdHandler), mode, **options)
        servers.append(server)
        host, port = server.server_address
        settings.CQM_VIRUS_SCANNER = f"clamd://{host}:{port}"
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def clamd_unix(settings):
    folder = Path(tempfile.mkdtemp(prefix="clamd-"))
    path = folder / "clamd.ctl"
    server = _serve(FakeClamdUnix(str(path), ClamdHandler), "normal")
    settings.CQM_VIRUS_SCANNER = f"clamd://{path}"
    yield server
    server.shutdown()
    server.server_close()
    path.unlink(missing_ok=True)
    folder.rmdir()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _refusal(owner, actor, *files) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        attachments_add(owner=owner, uploads=list(files), actor=actor, policy=POLICY)
    return refused.value


# --- choosing a scanner ------------------------------------------------------------------------


class TestConfiguration:
    def test_no_scanner_configured(self, settings):
        settings.CQM_VIRUS_SCANNER = ""
        assert configured_scanner() is None

    def test_clamd_over_tcp(self, settings):
        settings.CQM_VIRUS_SCANNER = "clamd://clamav.internal:3310"
        scanner = configured_scanner()
        assert isinstance(scanner, ClamdScanner)
        assert (scanner.host, scanner.port, scanner.socket_path) == ("clamav.internal", 3310, "")

    def test_clamd_over_unix_socket(self, settings):
        settings.CQM_VIRUS_SCANNER = "clamd:///run/clamav/clamd.ctl"
        scanner = configured_scanner()
        assert scanner.socket_path == "/run/clamav/clamd.ctl" and scanner.host == ""

    def test_scanner_class_by_dotted_path(self, settings):
        settings.CQM_VIRUS_SCANNER = TEST_SCANNER
        assert isinstance(configured_scanner(), EicarTestScanner)

    @pytest.mark.parametrize(
        "address", ["clamd://clamav.internal", "clamd://:3310", "core.tests.nowhere.Scanner"]
    )
    def test_incomplete_or_unknown_scanner_is_unavailable(self, settings, address):
        settings.CQM_VIRUS_SCANNER = address
        with pytest.raises(ScannerUnavailable):
            configured_scanner()


class TestClamdReply:
    def test_ok_is_clean(self):
        assert parse_clamd_reply(b"stream: OK") == ScanResult(clean=True)

    def test_found_names_the_signature(self):
        result = parse_clamd_reply(b"stream: Win.Test.EICAR_HDB-1 FOUND")
        assert result == ScanResult(clean=False, signature="Win.Test.EICAR_HDB-1")

    def test_error_is_a_failed_scan(self):
        with pytest.raises(ScanFailed) as failed:
            parse_clamd_reply(b"INSTREAM size limit exceeded. ERROR")
        assert failed.value.too_large is True
        with pytest.raises(ScanFailed) as failed:
            parse_clamd_reply(b"stream: Can't allocate memory ERROR")
        assert failed.value.too_large is False

    def test_no_reply_means_unavailable(self):
        with pytest.raises(ScannerUnavailable):
            parse_clamd_reply(b"")


# --- the protocol against a fake daemon --------------------------------------------------------


class TestClamdProtocol:
    def test_clean_file_is_streamed_in_chunks_and_passes(self, clamd):
        daemon = clamd()
        content = bytes(range(256)) * 800  # 200 KiB: several 64 KiB chunks
        file = upload("data.bin", content)
        assert configured_scanner().scan(file) == ScanResult(clean=True)
        assert daemon.commands == [b"zINSTREAM\0"]
        assert daemon.streams == [(content, 4)]
        assert file.read(4) == content[:4], "the upload is rewound for storing"

    def test_eicar_is_found(self, clamd):
        clamd()
        result = configured_scanner().scan(upload("eicar.txt", EICAR))
        assert result == ScanResult(clean=False, signature=EICAR_SIGNATURE)

    def test_unix_socket_daemon(self, clamd_unix):
        result = configured_scanner().scan(upload("eicar.txt", EICAR))
        assert result == ScanResult(clean=False, signature=EICAR_SIGNATURE)
        assert clamd_unix.commands == [b"zINSTREAM\0"]

    def test_daemon_refusing_a_large_stream_is_a_failed_scan(self, clamd):
        clamd(stream_max_length=1000)
        with pytest.raises(ScanFailed) as failed:
            configured_scanner().scan(upload("big.txt", b"a" * 5000))
        assert failed.value.too_large

    def test_daemon_closing_without_verdict_is_unavailable(self, clamd):
        clamd(mode="silent")
        with pytest.raises(ScannerUnavailable):
            configured_scanner().scan(upload("a.txt", b"hello"))


# --- uploads refused or accepted through the service -------------------------------------------


class TestUploadsAreScanned:
    def test_infected_file_is_refused_and_nothing_stored(
        self, test_scanner, media_root, part_a, engineer
    ):
        error = _refusal(
            part_a, engineer, upload("front.png", png_bytes()), upload("eicar.txt", EICAR)
        )
        assert error.code == "infected"
        assert "eicar.txt" in error.messages[0] and EICAR_SIGNATURE in error.messages[0]
        assert Attachment.objects.count() == 0
        assert stored_files(media_root) == []

    def test_every_file_is_scanned_before_the_first_is_stored(
        self, test_scanner, media_root, part_a, engineer
    ):
        files = [upload("a.png", png_bytes()), upload("b.txt", b"plain notes")]
        stored = attachments_add(owner=part_a, uploads=files, actor=engineer, policy=POLICY)
        assert len(stored) == 2 and len(stored_files(media_root)) == 2
        assert test_scanner.scanned == [("a.png", 0), ("b.txt", 0)]

    def test_files_refused_by_content_never_reach_the_scanner(
        self, test_scanner, media_root, part_a, engineer
    ):
        error = _refusal(part_a, engineer, upload("x.png", b"MZ\x90\x00" + b"\x00" * 100))
        assert error.code == "executable"
        assert test_scanner.scanned == []

    def test_clean_file_through_clamd_is_stored(self, clamd, media_root, part_a, engineer):
        daemon = clamd()
        content = png_bytes()
        stored = attachments_add(
            owner=part_a, uploads=[upload("a.png", content)], actor=engineer, policy=POLICY
        )
        assert stored[0].sha256 and daemon.streams == [(content, 1)]

    def test_infected_file_through_clamd_is_refused(self, clamd, media_root, part_a, engineer):
        clamd()
        error = _refusal(part_a, engineer, upload("report.pdf.txt", EICAR))
        assert error.code == "infected" and EICAR_SIGNATURE in error.messages[0]
        assert Attachment.objects.count() == 0 and stored_files(media_root) == []

    @pytest.mark.parametrize("address", ["tcp", "unix"])
    def test_unreachable_daemon_refuses_the_upload(
        self, settings, media_root, part_a, engineer, address
    ):
        settings.CQM_VIRUS_SCANNER = (
            f"clamd://127.0.0.1:{_free_port()}"
            if address == "tcp"
            else "clamd:///nonexistent/clamd.ctl"
        )
        error = _refusal(part_a, engineer, upload("a.png", png_bytes()))
        assert error.code == "scanner_unavailable"
        assert "a.png" in error.messages[0] and UNREACHABLE_MESSAGE in error.messages[0]
        assert Attachment.objects.count() == 0 and stored_files(media_root) == []

    def test_silent_daemon_refuses_the_upload(self, clamd, media_root, part_a, engineer):
        clamd(mode="silent")
        error = _refusal(part_a, engineer, upload("a.png", png_bytes()))
        assert error.code == "scanner_unavailable"
        assert Attachment.objects.count() == 0

    def test_file_too_large_for_the_daemon_is_refused(self, clamd, media_root, part_a, engineer):
        clamd(stream_max_length=100)
        error = _refusal(part_a, engineer, upload("a.png", png_bytes((64, 64))))
        assert error.code == "scan_too_large"
        assert "larger than the virus scanner can check" in error.messages[0]
        assert Attachment.objects.count() == 0

    @pytest.mark.parametrize(
        "address", ["core.tests.test_virus_scan.BrokenScanner", "core.tests.nowhere.Scanner"]
    )
    def test_broken_or_missing_scanner_class_refuses(
        self, settings, media_root, part_a, engineer, address
    ):
        settings.CQM_VIRUS_SCANNER = address
        error = _refusal(part_a, engineer, upload("a.png", png_bytes()))
        assert error.code == "scanner_unavailable"
        assert Attachment.objects.count() == 0 and stored_files(media_root) == []

    def test_without_a_scanner_content_checks_alone_decide(
        self, settings, media_root, part_a, engineer
    ):
        settings.CQM_VIRUS_SCANNER = ""
        stored = attachments_add(
            owner=part_a, uploads=[upload("eicar.txt", EICAR)], actor=engineer, policy=POLICY
        )
        assert stored[0].mime_type == "text/plain"


# --- the real endpoints ------------------------------------------------------------------------


class TestEndpoints:
    @pytest.fixture
    def claim(self, user_a):
        return file_claim(actor=user_a)

    def test_api_refuses_infected_file_with_the_signature(
        self, clamd, media_root, api_client_for, user_a, claim
    ):
        clamd()
        response = api_client_for(user_a).post(
            f"/api/v1/claims/{claim.pk}/attachments/",
            {"file": [upload("photo.png", png_bytes()), upload("notes.txt", EICAR)]},
            format="multipart",
        )
        assert response.status_code == 400
        message = response.json()["detail"][0]
        assert "notes.txt" in message and EICAR_SIGNATURE in message
        assert Attachment.objects.count() == 0 and stored_files(media_root) == []

    def test_api_accepts_clean_file_scanned_by_the_daemon(
        self, clamd, media_root, api_client_for, engineer, claim
    ):
        daemon = clamd()
        response = api_client_for(engineer).post(
            f"/api/v1/claims/{claim.pk}/attachments/",
            {"file": [upload("photo.png", png_bytes())]},
            format="multipart",
        )
        assert response.status_code == 201
        assert len(daemon.streams) == 1
        assert Attachment.objects.for_owner(claim).count() == 1

    def test_page_refuses_when_the_scanner_is_unreachable(
        self, settings, media_root, client_for, user_a, claim
    ):
        settings.CQM_VIRUS_SCANNER = f"clamd://127.0.0.1:{_free_port()}"
        url = reverse("claims:attachment-add", args=[claim.pk])
        response = client_for(user_a).post(url, {"files": [upload("photo.png", png_bytes())]})
        assert response.status_code == 302
        shown = [str(message) for message in get_messages(response.wsgi_request)]
        assert any(UNREACHABLE_MESSAGE in message for message in shown), shown
        assert Attachment.objects.count() == 0 and stored_files(media_root) == []
