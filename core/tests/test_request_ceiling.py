"""The ceiling on a whole request (CQM_MAX_REQUEST_BYTES), files included, pages and API alike.

A ``Content-Length`` above it is a 413 before a byte of the body is read; a body sent without a
length (chunked) is read only up to it. Below it, uploads work as before, chunked ones too.
"""

import io
import socket
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from claims.tests.factories import file_claim, png_upload
from core.middleware import _BODY_CHUNK_BYTES, MAX_REQUEST_BYTES
from core.models import Attachment

CEILING = 200_000


class NetworkBody(io.RawIOBase):
    """A request body as the WSGI server hands it on: read as it arrives; counts what was read."""

    def __init__(self, content: bytes):
        self._content = io.BytesIO(content)
        self.bytes_read = 0

    def readable(self):
        return True

    def read(self, size=-1):
        data = self._content.read(size)
        self.bytes_read += len(data)
        return data


@pytest.fixture
def ceiling(settings):
    settings.CQM_MAX_REQUEST_BYTES = CEILING
    return CEILING


@pytest.fixture
def claim_a(user_a):
    return file_claim(actor=user_a)


def _page_upload_url(claim):
    return reverse("claims:attachment-add", args=[claim.pk])


def _api_upload_url(claim):
    return f"/api/v1/claims/{claim.pk}/attachments/"


def _multipart(*uploads, field: str = "files") -> bytes:
    return encode_multipart(BOUNDARY, {field: list(uploads)})


def _big_png(size: int) -> SimpleUploadedFile:
    """A PNG upload of ``size`` bytes: a tiny picture and padding after its end (still a PNG)."""
    picture = png_upload("large.png").read()
    return SimpleUploadedFile("large.png", picture + b"\0" * (size - len(picture)), "image/png")


def _announced(body: NetworkBody, content_type: str, length: int) -> dict:
    """The WSGI environ of a request that announces ``length`` bytes."""
    return {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(length), "wsgi.input": body}


def _without_length(body: NetworkBody, content_type: str = MULTIPART_CONTENT) -> dict:
    """The WSGI environ of a chunked request: a transfer coding instead of a Content-Length."""
    return {
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": "",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": body,
    }


def test_default_ceiling_lets_the_largest_allowed_file_through(settings):
    from customers.models import CustomerRequirements

    field = CustomerRequirements._meta.get_field("max_attachment_mb")
    largest_file_mb = max(v.limit_value for v in field.validators if hasattr(v, "limit_value"))
    assert settings.CQM_MAX_REQUEST_BYTES == MAX_REQUEST_BYTES
    largest_request = largest_file_mb * 1024 * 1024 + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert largest_request <= MAX_REQUEST_BYTES


@pytest.mark.django_db
class TestAnnouncedLength:
    def test_page_upload_over_the_ceiling_is_a_friendly_413_before_the_body_is_read(
        self, client_for, user_a, claim_a, ceiling
    ):
        body = NetworkBody(_multipart(_big_png(CEILING + 1)))

        response = client_for(user_a).post(
            _page_upload_url(claim_a), **_announced(body, MULTIPART_CONTENT, CEILING + 10_000)
        )

        assert response.status_code == 413
        page = response.content.decode()
        assert "Too much to send at once" in page
        assert "195.3\xa0KB" in page  # the ceiling, as people read it
        assert "Attach fewer files at once" in page
        assert body.bytes_read == 0
        assert not Attachment.objects.for_owner(claim_a).exists()

    def test_api_upload_over_the_ceiling_is_a_json_413_before_the_body_is_read(
        self, api_client_for, user_a, claim_a, ceiling
    ):
        body = NetworkBody(_multipart(_big_png(CEILING + 1), field="file"))

        response = api_client_for(user_a).post(
            _api_upload_url(claim_a), **_announced(body, MULTIPART_CONTENT, CEILING + 10_000)
        )

        assert response.status_code == 413
        assert response.json() == {
            "detail": "The request is too large: at most 195.3\xa0KB may be sent at once.",
            "code": "request_too_large",
        }
        assert body.bytes_read == 0
        assert not Attachment.objects.for_owner(claim_a).exists()

    def test_upload_under_the_ceiling_is_stored(self, client_for, user_a, claim_a, ceiling):
        response = client_for(user_a).post(
            _page_upload_url(claim_a), {"files": [_big_png(CEILING // 2)]}
        )

        assert response.status_code == 302
        assert Attachment.objects.for_owner(claim_a).count() == 1

    def test_requests_without_a_body_pass(self, client_for, user_a, claim_a, ceiling):
        detail = reverse("claims:claim-detail", args=[claim_a.pk])
        assert client_for(user_a).get(detail).status_code == 200


@pytest.mark.django_db
class TestBodyWithoutLength:
    def test_page_upload_is_read_only_up_to_the_ceiling(self, client_for, user_a, claim_a, ceiling):
        body = NetworkBody(_multipart(_big_png(3 * CEILING)))

        response = client_for(user_a).post(_page_upload_url(claim_a), **_without_length(body))

        assert response.status_code == 413
        assert "Too much to send at once" in response.content.decode()
        assert CEILING < body.bytes_read <= CEILING + _BODY_CHUNK_BYTES
        assert not Attachment.objects.for_owner(claim_a).exists()

    def test_api_json_is_read_only_up_to_the_ceiling(
        self, api_client_for, user_a, claim_a, ceiling
    ):
        body = NetworkBody(b'{"body": "' + b"x" * (3 * CEILING) + b'"}')

        response = api_client_for(user_a).post(
            f"/api/v1/claims/{claim_a.pk}/comments/", **_without_length(body, "application/json")
        )

        assert response.status_code == 413
        assert response.json()["code"] == "request_too_large"
        assert CEILING < body.bytes_read <= CEILING + _BODY_CHUNK_BYTES

    def test_page_upload_under_the_ceiling_is_stored(self, client_for, user_a, claim_a, ceiling):
        body = NetworkBody(_multipart(png_upload("chunked.png")))

        response = client_for(user_a).post(_page_upload_url(claim_a), **_without_length(body))

        assert response.status_code == 302
        stored = Attachment.objects.for_owner(claim_a).get()
        assert stored.original_name == "chunked.png"

    def test_api_upload_under_the_ceiling_is_stored(self, api_client_for, user_a, claim_a, ceiling):
        body = NetworkBody(_multipart(png_upload("chunked.png"), field="file"))

        response = api_client_for(user_a).post(_api_upload_url(claim_a), **_without_length(body))

        assert response.status_code == 201, response.content
        assert Attachment.objects.for_owner(claim_a).get().original_name == "chunked.png"


# --- Over a real socket ---------------------------------------------------------------------------


def _answer_to_headers_only(url: str, path: str, headers: dict[str, str]) -> tuple[bytes, bytes]:
    """Send a request's head and none of its body: the (status line, body) the server answers."""
    address = urlsplit(url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        head = [f"POST {path} HTTP/1.1", f"Host: {address.hostname}:{address.port}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        reader = connection.makefile("rb")
        status_line = reader.readline().strip()
        length = 0
        while (line := reader.readline().strip()) != b"":
            name, _colon, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status_line, reader.read(length)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/claims/1/attachments/", b"Too much to send at once"),
        ("/api/v1/claims/1/attachments/", b'"code": "request_too_large"'),
    ],
)
def test_server_answers_413_to_a_huge_announced_upload_without_waiting_for_it(
    live_server, path, expected
):
    # One gigabyte announced, not one byte of it sent: the answer can only come before reading.
    status_line, body = _answer_to_headers_only(
        live_server.url,
        path,
        {
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Content-Length": str(1024**3),
        },
    )

    assert status_line.endswith(b"413 Request Entity Too Large"), status_line
    assert expected in body
