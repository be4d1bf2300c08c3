"""Upload validation by content: the bytes decide the type, never the file name.

A policy (allowed types, largest size) comes from the owning customer's requirements. A file that
breaks it is refused with a message the uploader understands, before anything is stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# MIME type -> (label, stored extension)
KNOWN_TYPES: dict[str, tuple[str, str]] = {
    "image/jpeg": (_("JPEG image"), "jpg"),
    "image/png": (_("PNG image"), "png"),
    "image/webp": (_("WebP image"), "webp"),
    "image/gif": (_("GIF image"), "gif"),
    "image/heic": (_("HEIC image"), "heic"),
    "application/pdf": (_("PDF document"), "pdf"),
    "text/csv": (_("CSV table"), "csv"),
    "text/plain": (_("Text file"), "txt"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        _("Excel workbook"),
        "xlsx",
    ),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        _("Word document"),
        "docx",
    ),
    "application/zip": (_("ZIP archive"), "zip"),
    "video/mp4": (_("MP4 video"), "mp4"),
}
TEXT_TYPES = ("text/csv", "text/plain")
# Images Pillow can decode: their content is proven by decoding, not just by the first bytes.
# HEIC needs a plugin Pillow lacks; it is accepted on its signature alone.
DECODABLE_IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
EXECUTABLE_TYPES = (
    "application/x-msdownload",
    "application/x-executable",
    "application/x-mach-binary",
    "application/x-sharedlib",
    "application/vnd.microsoft.portable-executable",
)
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class AttachmentPolicy:
    allowed_types: tuple[str, ...]
    max_bytes: int


@dataclass(frozen=True)
class InspectedFile:
    mime_type: str
    extension: str
    size: int
    sha256: str


def type_choices():
    return [(mime, label) for mime, (label, _ext) in KNOWN_TYPES.items()]


def inspect_upload(upload, policy: AttachmentPolicy) -> InspectedFile:
    """Check size and content type of an uploaded file; raise ValidationError if refused."""
    name = getattr(upload, "name", "") or _("the file")
    size = upload.size
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty."), params={"name": name}, code="empty")
    if size > policy.max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the largest file allowed is %(limit)s."),
            params={
                "name": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(policy.max_bytes),
            },
            code="too_large",
        )
    mime_type = detect_type(upload, name)
    if mime_type in EXECUTABLE_TYPES:
        raise ValidationError(
            _("“%(name)s” is a program, not a document or picture. Programs are never accepted."),
            params={"name": name},
            code="executable",
        )
    if mime_type not in policy.allowed_types:
        allowed = ", ".join(
            str(KNOWN_TYPES[t][0]) for t in policy.allowed_types if t in KNOWN_TYPES
        )
        raise ValidationError(
            _("“%(name)s” is not an allowed file type. Allowed: %(allowed)s."),
            params={"name": name, "allowed": allowed},
            code="type_not_allowed",
        )
    if mime_type in DECODABLE_IMAGE_TYPES and not is_decodable_image(upload):
        raise ValidationError(
            _("“%(name)s” looks like a %(type)s but its content is damaged and cannot be shown."),
            params={"name": name, "type": KNOWN_TYPES[mime_type][0]},
            code="damaged_image",
        )
    return InspectedFile(
        mime_type=mime_type,
        extension=KNOWN_TYPES[mime_type][1],
        size=size,
        sha256=checksum(upload),
    )


def detect_type(upload, name: str = "") -> str:
    """The MIME type the content proves, or "application/octet-stream" when it proves none."""
    head = _read_head(upload)
    kind = filetype.guess(head)
    if kind is not None:
        return _refine_zip(kind.mime, upload)
    if _is_text(head):
        return (
            "text/csv" if name.lower().endswith(".csv") or _looks_like_csv(head) else "text/plain"
        )
    return "application/octet-stream"


def is_decodable_image(upload) -> bool:
    """Whether Pillow can parse and fully decode the image (a valid header is not enough)."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()  # structure and checksums; leaves the image unusable
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # the pixel data itself, which verify() does not read for every format
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return False
    finally:
        upload.seek(0)
    return True


def checksum(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    return head


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off at the end of the sample is still text.
        if error.start < len(head) - 3:
            return False
    return True


def _looks_like_csv(head: bytes) -> bool:
    first_line = head.split(b"\n", 1)[0]
    return first_line.count(b",") >= 1 or first_line.count(b";") >= 1


def _refine_zip(mime: str, upload) -> str:
    """Office documents are ZIP files; tell them apart by their main part."""
    if mime != "application/zip":
        return mime
    import zipfile

    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return "application/octet-stream"
    finally:
        upload.seek(0)
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return mime
