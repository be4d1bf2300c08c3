"""Virus scanning of uploads before they are accepted.

``settings.CQM_VIRUS_SCANNER`` chooses the scanner:

- ``""``: no scanner; uploads are checked by content only.
- ``"clamd://host:port"`` or ``"clamd:///path/to/clamd.ctl"``: a ClamAV daemon, spoken to with its
  INSTREAM command over TCP or a Unix socket.
- anything else: the dotted path of a class whose instances have ``scan(upload) -> ScanResult``.

A scanner that is configured but cannot give a verdict raises ``ScannerUnavailable`` (or
``ScanFailed`` when it answered with an error); callers refuse the upload then. An upload is never
accepted unscanned while a scanner is configured.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string

CLAMD_SCHEME = "clamd"
# Sending is bounded by the connect timeout; the verdict on a large archive can take a while.
CLAMD_CONNECT_TIMEOUT_SECONDS = 5
CLAMD_REPLY_TIMEOUT_SECONDS = 120
CLAMD_CHUNK_BYTES = 64 * 1024
_CLAMD_REPLY_LIMIT = 4096


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


class ScannerError(Exception):
    """The scanner gave no verdict; the upload must be refused."""


class ScannerUnavailable(ScannerError):
    """The scanner could not be reached or stopped answering."""


class ScanFailed(ScannerError):
    """The scanner answered with an error instead of a verdict."""

    def __init__(self, reason: str, *, too_large: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.too_large = too_large


class Scanner(Protocol):
    def scan(self, upload) -> ScanResult: ...


def configured_scanner() -> Scanner | None:
    """The scanner chosen by settings, or None when scanning is switched off."""
    address = (getattr(settings, "CQM_VIRUS_SCANNER", "") or "").strip()
    if not address:
        return None
    if urlsplit(address).scheme == CLAMD_SCHEME:
        return ClamdScanner.from_address(address)
    try:
        scanner_class = import_string(address)
    except ImportError as error:
        raise ScannerUnavailable(f"unknown scanner {address!r}: {error}") from error
    return scanner_class()


class ClamdScanner:
    """A ClamAV daemon (clamd), asked with ``zINSTREAM`` over TCP or a Unix socket."""

    def __init__(self, *, host: str = "", port: int = 0, socket_path: str = ""):
        self.host = host
        self.port = port
        self.socket_path = socket_path

    @classmethod
    def from_address(cls, address: str) -> ClamdScanner:
        parts = urlsplit(address)
        if parts.netloc:
            try:
                port = parts.port
            except ValueError as error:
                raise ScannerUnavailable(f"bad clamd address {address!r}") from error
            if not parts.hostname or not port:
                raise ScannerUnavailable(f"clamd address {address!r} needs a host and a port")
            return cls(host=parts.hostname, port=port)
        if not parts.path:
            raise ScannerUnavailable(f"clamd address {address!r} names no socket")
        return cls(socket_path=parts.path)

    def scan(self, upload) -> ScanResult:
        try:
            with self._connect() as connection:
                reply = self._instream(connection, upload)
        except OSError as error:  # refused, timed out, reset, no such socket file
            raise ScannerUnavailable(f"clamd: {error}") from error
        finally:
            upload.seek(0)
        return parse_clamd_reply(reply)

    def _connect(self) -> socket.socket:
        if self.socket_path:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(CLAMD_CONNECT_TIMEOUT_SECONDS)
            try:
                connection.connect(self.socket_path)
            except OSError:
                connection.close()
                raise
        else:
            connection = socket.create_connection(
                (self.host, self.port), timeout=CLAMD_CONNECT_TIMEOUT_SECONDS
            )
        return connection

    def _instream(self, connection: socket.socket, upload) -> bytes:
        try:
            connection.sendall(b"zINSTREAM\0")
            upload.seek(0)
            # read() in slices: an in-memory upload's chunks() is one piece however large.
            while chunk := upload.read(CLAMD_CHUNK_BYTES):
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
        except (BrokenPipeError, ConnectionResetError):
            # clamd stops reading when a stream passes its StreamMaxLength and says why.
            pass
        connection.settimeout(CLAMD_REPLY_TIMEOUT_SECONDS)
        return _read_reply(connection)


def _read_reply(connection: socket.socket) -> bytes:
    reply = b""
    while b"\0" not in reply and len(reply) < _CLAMD_REPLY_LIMIT:
        try:
            data = connection.recv(1024)
        except ConnectionResetError:
            break
        if not data:
            break
        reply += data
    return reply.split(b"\0", 1)[0]


def parse_clamd_reply(reply: bytes) -> ScanResult:
    """``stream: OK`` or ``stream: <signature> FOUND``; anything else is an error."""
    text = reply.decode("utf-8", "replace").strip()
    if not text:
        raise ScannerUnavailable("clamd closed the connection without a verdict")
    verdict = text.split(": ", 1)[1] if text.startswith("stream: ") else text
    if verdict == "OK":
        return ScanResult(clean=True)
    if verdict.endswith(" FOUND"):
        return ScanResult(clean=False, signature=verdict.removesuffix(" FOUND").strip())
    raise ScanFailed(text, too_large="size limit" in text.lower())
