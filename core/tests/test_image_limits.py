"""Image bombs: a pixel budget read from the header, and renditions made once at upload."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageFile

from core.attachments import MAX_IMAGE_PIXELS, AttachmentPolicy
from core.models import Attachment
from core.renditions import PAGE_SIZE, PDF_SIZE, make_renditions, rendition_for, rendition_name
from core.services import attachment_add

from .conftest import all_files, png_bytes, rendition_files, stored_files, upload

pytestmark = pytest.mark.django_db

POLICY = AttachmentPolicy(allowed_types=("image/png", "image/jpeg"), max_bytes=2 * 1024 * 1024)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def zero_png(width: int, height: int, *, grey: bool = False) -> bytes:
    """A real, complete all-zero RGBA PNG, compressed one row at a time.

    The 13,000 x 13,000 bomb of the issue: 676 MB once decoded, ~0.66 MB here, and building it
    holds one 52 KB row in memory, never the image.
    """
    channels, colour_type = (1, 0) if grey else (4, 6)  # 8-bit grey or 8-bit RGBA
    compressor = zlib.compressobj(9)
    row = bytes(1 + width * channels)  # filter byte "none" and the row's zero pixels
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", body)
        + _chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def bomb():
    return zero_png(13_000, 13_000)


def _add(owner, actor, file, policy=POLICY):
    return attachment_add(owner=owner, upload=file, actor=actor, policy=policy)


class TestPixelBudget:
    def test_default_budget_is_forty_megapixels(self):
        assert MAX_IMAGE_PIXELS == 40_000_000

    def test_bomb_is_refused_from_its_header_and_nothing_stored(
        self, media_root, part_a, engineer, bomb, monkeypatch
    ):
        assert len(bomb) < 700 * 1024  # well under any size limit: only its pixels give it away

        def no_decoding(self, *args, **kwargs):
            raise AssertionError("the image was decoded before its size was checked")

        monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
        monkeypatch.setattr(ImageFile.ImageFile, "verify", no_decoding)
        with pytest.raises(ValidationError) as error:
            _add(part_a, engineer, upload("bomb.png", bomb, "image/png"))
        assert error.value.code == "too_many_pixels"
        assert error.value.messages == [
            "The image “bomb.png” is 13,000 × 13,000 pixels; the largest allowed is 40 megapixels."
        ]
        assert Attachment.objects.count() == 0
        assert all_files(media_root) == []

    def test_budget_follows_the_setting(self, settings, media_root, part_a, engineer):
        settings.CQM_MAX_IMAGE_PIXELS = 10_000
        at_limit = _add(part_a, engineer, upload("at.png", zero_png(100, 100)))
        assert at_limit.mime_type == "image/png"
        with pytest.raises(ValidationError) as error:
            _add(part_a, engineer, upload("over.png", zero_png(101, 100)))
        assert error.value.messages == [
            "The image “over.png” is 101 × 100 pixels; the largest allowed is 0.01 megapixels."
        ]
        assert Attachment.objects.count() == 1

    def test_image_just_under_the_default_budget_is_accepted(self, media_root, part_a, engineer):
        # 7,999 x 5,000 = 39,995,000 pixels, grey so that decoding it costs the test ~40 MB.
        attachment = _add(part_a, engineer, upload("wide.png", zero_png(7_999, 5_000, grey=True)))
        assert attachment.pk
        with Image.open(media_root / rendition_name(attachment, PDF_SIZE)) as rendition:
            assert rendition.size == (PDF_SIZE, 1000)

    def test_pillow_bomb_warning_is_an_error_even_above_our_budget(
        self, settings, media_root, part_a, engineer, bomb
    ):
        # With the budget raised past Pillow's own threshold (~89 MP), Pillow's warning refuses.
        settings.CQM_MAX_IMAGE_PIXELS = 10**12
        with pytest.raises(ValidationError) as error:
            _add(part_a, engineer, upload("bomb.png", bomb, "image/png"))
        assert error.value.code == "too_many_pixels"
        assert "13,000 × 13,000" in error.value.messages[0]
        assert all_files(media_root) == []


class TestRenditions:
    def test_made_at_upload_for_every_size(self, media_root, part_a, engineer):
        buffer = io.BytesIO()
        Image.new("RGB", (3200, 2400), "green").save(buffer, format="JPEG")
        attachment = _add(part_a, engineer, upload("big.jpg", buffer.getvalue()))
        names = sorted(p.relative_to(media_root).as_posix() for p in rendition_files(media_root))
        assert names == sorted(rendition_name(attachment, s) for s in (PDF_SIZE, PAGE_SIZE))
        with Image.open(media_root / rendition_name(attachment, PDF_SIZE)) as large:
            assert (large.format, large.size) == ("JPEG", (1600, 1200))
        with Image.open(media_root / rendition_name(attachment, PAGE_SIZE)) as small:
            assert small.size == (320, 240)

    def test_transparent_png_is_flattened_on_white(self, media_root, part_a, engineer):
        attachment = _add(part_a, engineer, upload("clear.png", zero_png(40, 20)))
        with Image.open(media_root / rendition_name(attachment, PAGE_SIZE)) as rendition:
            assert rendition.mode == "RGB"
            assert min(rendition.getpixel((10, 10))) > 240

    def test_second_call_does_not_rewrite(self, media_root, part_a, engineer):
        attachment = _add(part_a, engineer, upload("a.png", png_bytes((50, 50))))
        path = media_root / rendition_name(attachment, PDF_SIZE)
        first = path.stat().st_mtime_ns
        assert rendition_for(attachment, PDF_SIZE) == rendition_name(attachment, PDF_SIZE)
        assert make_renditions(attachment) == []
        assert path.stat().st_mtime_ns == first
        assert len(rendition_files(media_root)) == 2

    def test_older_attachment_gets_its_rendition_on_first_need(self, media_root, part_a, engineer):
        attachment = _add(part_a, engineer, upload("old.png", png_bytes((50, 50))))
        for path in rendition_files(media_root):
            path.unlink()  # as if stored before renditions existed
        name = rendition_for(attachment, PAGE_SIZE)
        assert name == rendition_name(attachment, PAGE_SIZE)
        assert (media_root / name).is_file()

    def test_lazy_rendition_keeps_to_the_pixel_budget(self, settings, media_root, part_a, engineer):
        attachment = _add(part_a, engineer, upload("old.png", zero_png(200, 200)))
        for path in rendition_files(media_root):
            path.unlink()
        settings.CQM_MAX_IMAGE_PIXELS = 10_000  # the budget was lowered after the upload
        assert rendition_for(attachment, PDF_SIZE) is None
        assert rendition_files(media_root) == []

    def test_no_rendition_for_other_types_or_sizes(self, media_root, part_a, engineer):
        pdf_policy = AttachmentPolicy(allowed_types=("application/pdf",), max_bytes=10**6)
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        document = _add(part_a, engineer, upload("a.pdf", pdf), policy=pdf_policy)
        assert rendition_for(document, PDF_SIZE) is None
        image = _add(part_a, engineer, upload("a.png", png_bytes()))
        assert rendition_for(image, 999) is None
        assert len(stored_files(media_root)) == 2
