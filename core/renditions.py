"""Small JPEG renditions of image attachments, made once and kept next to the originals.

A PDF or a page never decodes an uploaded original: it uses a rendition at most ``size`` pixels
on its long side. Renditions are made when the file is uploaded (one decode for every size) and,
for attachments stored before renditions existed, on first need, within the same pixel budget
as uploads. Their names derive from the content's SHA-256, so no column records them and two
attachments with the same content share them; they are served only through the attachment's
own permission checks, never by their storage name.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from .attachments import (
    DECODABLE_IMAGE_TYPES,
    IMAGE_DECODING_ERRORS,
    TooManyPixels,
    decompression_bombs_refused,
    ensure_within_pixel_budget,
)

logger = logging.getLogger(__name__)

RENDITION_FOLDER = "thumbnails"
PDF_SIZE = 1600  # long side for documents (an 8D photo is printed a few centimetres wide)
PAGE_SIZE = 320  # long side for a thumbnail on a page
RENDITION_SIZES = (PDF_SIZE, PAGE_SIZE)
JPEG_QUALITY = 82
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def has_renditions(attachment) -> bool:
    return attachment.mime_type in DECODABLE_IMAGE_TYPES and bool(
        _SHA256.match(attachment.sha256 or "")
    )


def rendition_name(attachment, size: int) -> str:
    return f"{RENDITION_FOLDER}/{attachment.sha256}-{size}.jpg"


def rendition_for(attachment, size: int) -> str | None:
    """The storage name of ``attachment``'s rendition of ``size``, made now if it is missing.

    None when the attachment is no decodable image, or its original is missing, damaged or over
    the pixel budget: callers leave the picture out rather than fail.
    """
    if size not in RENDITION_SIZES or not has_renditions(attachment):
        return None
    name = rendition_name(attachment, size)
    storage = attachment.file.storage
    if not storage.exists(name):
        make_renditions(attachment)
    return name if storage.exists(name) else None


def make_renditions(attachment, source=None) -> list[str]:
    """Store every missing rendition of ``attachment`` from one decode; returns the names made.

    ``source`` is the uploaded file when called at upload (saves reading the original back from
    storage); without it the stored original is read. Never raises for a bad image: it logs.
    """
    if not has_renditions(attachment):
        return []
    storage = attachment.file.storage
    missing = [
        size for size in RENDITION_SIZES if not storage.exists(rendition_name(attachment, size))
    ]
    if not missing:
        return []
    try:
        renditions = _render_upload(source, missing) if source is not None else None
        if renditions is None:
            with storage.open(attachment.file.name, "rb") as stored:
                renditions = _render(stored, missing)
    except TooManyPixels as refused:
        logger.warning("No rendition of attachment %s: %s", attachment.pk, refused)
        return []
    except IMAGE_DECODING_ERRORS as error:  # OSError covers a missing original
        logger.warning("No rendition of attachment %s: %r", attachment.pk, error)
        return []
    made = []
    for size, content in renditions.items():
        name = rendition_name(attachment, size)
        saved = storage.save(name, ContentFile(content))
        if saved != name:
            # Made at the same moment by another request: keep theirs, drop the duplicate.
            storage.delete(saved)
        made.append(name)
    return made


def _render_upload(upload, sizes: list[int]) -> dict[int, bytes] | None:
    """Renditions from the upload itself; None when it can no longer be read (storage moved a
    temporary upload file), so the stored original is read instead."""
    try:
        upload.seek(0)
        return _render(upload, sizes)
    except (OSError, ValueError):
        return None
    finally:
        with contextlib.suppress(OSError, ValueError):
            upload.seek(0)


def _render(stream, sizes: list[int]) -> dict[int, bytes]:
    """JPEG bytes for each size (long side), largest first, from one decode of ``stream``."""
    ensure_within_pixel_budget(stream)
    largest = max(sizes)
    with decompression_bombs_refused(), Image.open(stream) as image:
        image.draft("RGB", (largest, largest))  # JPEG: decode at a reduced scale, much cheaper
        image.thumbnail((largest, largest))
        picture = _flattened(ImageOps.exif_transpose(image))
    renditions = {}
    for size in sorted(sizes, reverse=True):
        picture.thumbnail((size, size))
        output = io.BytesIO()
        picture.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        renditions[size] = output.getvalue()
    return renditions


def _flattened(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency, and a PDF page is white."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
