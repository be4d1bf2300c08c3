import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from core.attachments import AttachmentPolicy
from core.errors import DomainError
from core.models import Attachment
from core.services import attachment_add, attachments_add, clean_file_name

from .conftest import PNG_POLICY, png_bytes, stored_files, upload

pytestmark = pytest.mark.django_db

WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
LINUX_ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def _add(owner, actor, file, policy=PNG_POLICY, **extra):
    return attachment_add(owner=owner, upload=file, actor=actor, policy=policy, **extra)


class TestRefusedFiles:
    @pytest.mark.parametrize("content", [WINDOWS_EXE, LINUX_ELF], ids=["exe", "elf"])
    def test_program_renamed_png_is_refused_and_nothing_stored(
        self, media_root, part_a, engineer, content
    ):
        with pytest.raises(ValidationError) as error:
            _add(part_a, engineer, upload("photo.png", content, "image/png"))
        message = error.value.messages[0]
        assert "photo.png" in message
        assert "program" in message
        assert Attachment.objects.count() == 0
        assert stored_files(media_root) == []

    def test_png_header_with_garbage_body_is_refused(self, media_root, part_a, engineer):
        fake = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"not really an image" * 20
        with pytest.raises(ValidationError) as error:
            _add(part_a, engineer, upload("scan.png", fake, "image/png"))
        assert "damaged" in error.value.messages[0]
        assert Attachment.objects.count() == 0
        assert stored_files(media_root) == []

    def test_truncated_png_is_refused(self, media_root, part_a, engineer):
        whole = png_bytes((64, 64))
        with pytest.raises(ValidationError):
            _add(part_a, engineer, upload("cut.png", whole[: len(whole) // 2]))
        assert stored_files(media_root) == []

    def test_oversize_file_is_refused_and_nothing_stored(self, media_root, part_a, engineer):
        small = AttachmentPolicy(allowed_types=("image/png",), max_bytes=100)
        content = png_bytes((64, 64), "blue")
        assert len(content) > 100
        with pytest.raises(ValidationError) as error:
            _add(part_a, engineer, upload("big.png", content), policy=small)
        assert "largest file allowed" in error.value.messages[0]
        assert error.value.code == "too_large"
        assert Attachment.objects.count() == 0
        assert stored_files(media_root) == []

    def test_type_not_in_policy_is_refused(self, media_root, part_a, engineer):
        only_pdf = AttachmentPolicy(allowed_types=("application/pdf",), max_bytes=10**6)
        with pytest.raises(ValidationError) as error:
            _add(part_a, engineer, upload("a.png", png_bytes()), policy=only_pdf)
        assert "PDF document" in error.value.messages[0]

    def test_unsaved_owner_is_refused(self, media_root, engineer):
        from customers.models import Part

        with pytest.raises(DomainError):
            _add(Part(), engineer, upload("a.png", png_bytes()))


class TestStoredFiles:
    def test_valid_png_is_stored_with_its_checksum(self, media_root, part_a, engineer):
        content = png_bytes()
        attachment = _add(
            part_a, engineer, upload("../../etc/Crack photo.PNG", content), description=" Front "
        )
        attachment.refresh_from_db()
        assert attachment.sha256 == hashlib.sha256(content).hexdigest()
        assert attachment.size == len(content)
        assert attachment.mime_type == "image/png"
        assert attachment.extension == "png"
        assert attachment.original_name == "Crack photo.PNG"
        assert attachment.description == "Front"
        assert attachment.owner == part_a
        assert attachment.uploaded_by == engineer
        files = stored_files(media_root)
        assert len(files) == 1
        assert files[0].read_bytes() == content
        assert files[0].suffix == ".png"
        assert "Crack" not in files[0].name
        assert attachment.history.first().history_user == engineer

    def test_jpeg_is_accepted(self, media_root, part_a, engineer):
        buffer = io.BytesIO()
        Image.new("RGB", (10, 10), "green").save(buffer, format="JPEG")
        attachment = _add(part_a, engineer, upload("x.jpg", buffer.getvalue()))
        assert attachment.mime_type == "image/jpeg"

    def test_customer_cannot_mark_internal_only(self, media_root, part_a, user_a, engineer):
        mine = _add(part_a, user_a, upload("a.png", png_bytes()), internal_only=True)
        ours = _add(part_a, engineer, upload("b.png", png_bytes()), internal_only=True)
        assert mine.internal_only is False
        assert ours.internal_only is True

    def test_several_uploads_are_all_or_nothing(self, media_root, part_a, engineer):
        uploads = [
            upload("one.png", png_bytes()),
            upload("two.png", png_bytes(colour="blue")),
            upload("three.png", WINDOWS_EXE),
        ]
        with pytest.raises(ValidationError) as error:
            attachments_add(owner=part_a, uploads=uploads, actor=engineer, policy=PNG_POLICY)
        assert "three.png" in error.value.messages[0]
        assert Attachment.objects.count() == 0
        assert stored_files(media_root) == []

        good = [upload("one.png", png_bytes()), upload("two.png", png_bytes(colour="blue"))]
        stored = attachments_add(owner=part_a, uploads=good, actor=engineer, policy=PNG_POLICY)
        assert [a.original_name for a in stored] == ["one.png", "two.png"]
        assert len(stored_files(media_root)) == 2

    def test_database_failure_removes_the_stored_files(self, media_root, part_a, engineer):
        # object_id is a positive integer column: a negative owner id fails in the database
        # after the first file has already been written to storage.
        ghost = type(part_a)(pk=-1, customer=part_a.customer)
        with pytest.raises(Exception, match=r"(?i)constraint|check|object_id"):
            attachment_add(
                owner=ghost, upload=upload("a.png", png_bytes()), actor=engineer, policy=PNG_POLICY
            )
        assert Attachment.objects.count() == 0
        assert stored_files(media_root) == []


def test_clean_file_name():
    assert clean_file_name("C:\\Users\\me\\photo.png", "png") == "photo.png"
    assert clean_file_name("a\x00b\n.png", "png") == "ab.png"
    assert clean_file_name("", "pdf") == "file.pdf"
    long_name = "x" * 400 + ".pdf"
    cleaned = clean_file_name(long_name, "pdf")
    assert len(cleaned) <= 255 and cleaned.endswith(".pdf")


class TestDownload:
    @pytest.fixture
    def attachment(self, media_root, part_a, engineer):
        return _add(part_a, engineer, upload("crack.png", png_bytes()))

    @pytest.fixture
    def internal_attachment(self, media_root, part_a, engineer):
        return _add(part_a, engineer, upload("cost.png", png_bytes()), internal_only=True)

    def _url(self, attachment):
        return reverse("core:attachment-download", args=[attachment.pk])

    def test_internal_user_downloads_as_attachment(self, client_for, engineer, attachment):
        response = client_for(engineer).get(self._url(attachment))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert 'filename="crack.png"' in response["Content-Disposition"]
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == png_bytes()

    def test_user_of_owning_customer_downloads(self, client_for, user_a, attachment):
        response = client_for(user_a).get(self._url(attachment))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")

    def test_user_of_other_customer_gets_404(self, client_for, user_b, attachment):
        assert client_for(user_b).get(self._url(attachment)).status_code == 404

    def test_internal_only_is_404_for_customer_users(
        self, client_for, user_a, engineer, internal_attachment
    ):
        assert client_for(user_a).get(self._url(internal_attachment)).status_code == 404
        assert client_for(engineer).get(self._url(internal_attachment)).status_code == 200

    def test_missing_attachment_is_404(self, client_for, engineer):
        url = reverse("core:attachment-download", args=[999999])
        assert client_for(engineer).get(url).status_code == 404

    def test_anonymous_is_sent_to_login(self, client, attachment):
        response = client.get(self._url(attachment))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_attachments_partial_lists_files_and_form(rf, media_root, part_a, engineer):
    from django.template.loader import render_to_string

    from core.forms import AttachmentUploadForm

    attachment = _add(part_a, engineer, upload("crack.png", png_bytes()))
    request = rf.get("/")
    request.user = engineer
    html = render_to_string(
        "partials/attachments.html",
        {
            "attachments": [attachment],
            "upload_form": AttachmentUploadForm(user=engineer),
            "upload_url": "/upload/",
        },
        request=request,
    )
    assert "crack.png" in html
    assert "PNG image" in html
    assert attachment.sha256 in html
    assert attachment.sha256[:12] in html
    assert reverse("core:attachment-download", args=[attachment.pk]) in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="internal_only"' in html
    empty = render_to_string("partials/attachments.html", {"attachments": []}, request=request)
    assert "No files attached yet." in empty
    assert "<form" not in empty


@pytest.mark.urls("core.tests.urls")
class TestUploadView:
    def _post(self, client, part, files, **extra):
        return client.post(
            f"/test-parts/{part.pk}/attachments/", {"files": files, **extra}, follow=False
        )

    def test_uploads_several_files(self, client_for, engineer, media_root, part_a):
        client = client_for(engineer)
        files = [upload("a.png", png_bytes()), upload("b.png", png_bytes(colour="blue"))]
        response = self._post(client, part_a, files, description="Front", internal_only="on")
        assert response.status_code == 302
        rows = list(Attachment.objects.order_by("pk"))
        assert [a.original_name for a in rows] == ["a.png", "b.png"]
        assert all(a.internal_only and a.description == "Front" for a in rows)

    def test_refused_file_shows_message_and_stores_nothing(
        self, client_for, user_a, media_root, part_a
    ):
        client = client_for(user_a)
        files = [upload("a.png", png_bytes()), upload("evil.png", b"\x7fELF" + b"\x00" * 64)]
        response = client.post(
            f"/test-parts/{part_a.pk}/attachments/", {"files": files}, follow=True
        )
        assert response.redirect_chain[-1][0] == "/"
        assert "evil.png" in response.content.decode()
        assert Attachment.objects.count() == 0
        assert stored_files(media_root) == []

    def test_other_customer_gets_404(self, client_for, user_b, media_root, part_a):
        response = self._post(client_for(user_b), part_a, [upload("a.png", png_bytes())])
        assert response.status_code == 404
        assert Attachment.objects.count() == 0
