"""Photos on the claim page: thumbnails behind the download's permission check, large on a click."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import Attachment

from .factories import file_claim

pytestmark = pytest.mark.django_db

LONG_NAME = "Rissbildung_Gehaeuse_Charge_4711_Linie_3_Nachtschicht_Aufnahme_02.png"


def _photo(name: str, size=(1200, 900)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "steelblue").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _pdf(name: str) -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def claim_with_photo(user_a):
    return file_claim(actor=user_a, uploads=[_photo(LONG_NAME), _pdf("8D report.pdf")])


def _photo_of(claim) -> Attachment:
    return Attachment.objects.for_owner(claim).get(mime_type="image/png")


def _picture_url(attachment, size: int) -> str:
    return reverse("core:attachment-picture", args=[attachment.pk, size])


def _detail(claim) -> str:
    return reverse("claims:claim-detail", args=[claim.pk])


def test_claim_page_shows_photos_as_thumbnails_that_open_large(
    client_for, user_a, claim_with_photo
):
    photo = _photo_of(claim_with_photo)
    document = Attachment.objects.for_owner(claim_with_photo).get(mime_type="application/pdf")

    page = client_for(user_a).get(_detail(claim_with_photo)).content.decode()

    assert f'<img class="object-fit-contain rounded" src="{_picture_url(photo, 320)}"' in page
    assert f'alt="{LONG_NAME}"' in page
    assert f'href="{_picture_url(photo, 1600)}"' in page
    assert reverse("core:attachment-download", args=[photo.pk]) in page
    # Other files stay a list with their download; they have no picture.
    assert "8D report.pdf" in page
    assert reverse("core:attachment-download", args=[document.pk]) in page
    assert _picture_url(document, 320) not in page
    assert page.count("<img ") == 1
    # The checksum stays on the page as evidence.
    assert photo.short_sha256 in page


@pytest.mark.parametrize("size", [320, 1600])
def test_owner_gets_the_picture_as_a_jpeg(client_for, user_a, claim_with_photo, size):
    response = client_for(user_a).get(_picture_url(_photo_of(claim_with_photo), size))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as picture:
        assert picture.format == "JPEG"
        assert max(picture.size) == min(size, 1200)


@pytest.mark.parametrize("size", [320, 1600])
def test_another_customers_user_gets_404(client_for, user_b, claim_with_photo, size):
    response = client_for(user_b).get(_picture_url(_photo_of(claim_with_photo), size))
    assert response.status_code == 404


def test_staff_see_the_picture(client_for, engineer, claim_with_photo):
    response = client_for(engineer).get(_picture_url(_photo_of(claim_with_photo), 320))
    assert response.status_code == 200


def test_internal_only_photo_is_404_for_the_customer(client_for, user_a, claim_with_photo):
    photo = _photo_of(claim_with_photo)
    Attachment.objects.filter(pk=photo.pk).update(internal_only=True)

    assert client_for(user_a).get(_picture_url(photo, 320)).status_code == 404
    assert (
        _picture_url(photo, 320)
        not in client_for(user_a).get(_detail(claim_with_photo)).content.decode()
    )


def test_other_sizes_and_non_images_have_no_picture(client_for, user_a, claim_with_photo):
    client = client_for(user_a)
    document = Attachment.objects.for_owner(claim_with_photo).get(mime_type="application/pdf")

    assert client.get(_picture_url(_photo_of(claim_with_photo), 640)).status_code == 404
    assert client.get(_picture_url(document, 320)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, claim_with_photo):
    response = client.get(_picture_url(_photo_of(claim_with_photo), 320))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
