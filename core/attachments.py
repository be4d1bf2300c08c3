"""Upload validation by content: the bytes decide the type, never the file name.

A policy (allowed types, largest size) comes from the owning customer's requirements. A file that
breaks it is refused with a message the uploader understands, before anything is stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import unicodedata
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from .virus_scan import ScanFailed, ScannerError, configured_scanner

logger = logging.getLogger(__name__)

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
# What Pillow raises on a damaged, truncated, hostile or unreadable image.
IMAGE_DECODING_ERRORS = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
    OSError,
    SyntaxError,
    ValueError,
)
EXECUTABLE_TYPES = (
    "application/x-msdownload",
    "application/x-executable",
    "application/x-mach-binary",
    "application/x-sharedlib",
    "application/vnd.microsoft.portable-executable",
)
_SNIFF_BYTES = 8192
# What one request may attach; more is refused with a message before anything is checked.
MAX_FILES_PER_UPLOAD = 20
# Name endings a download may keep for each stored extension; any other gets the stored one added,
# so the saved file opens in the program its proven content belongs to ("notes.html" -> ".txt").
DOWNLOAD_SUFFIXES: dict[str, tuple[str, ...]] = {
    "jpg": ("jpg", "jpeg", "jpe", "jfif"),
    "heic": ("heic", "heif"),
}
FILE_NAME_MAX_LENGTH = 255
DISPLAY_NAME_MAX_LENGTH = 80
# The most pixels an image may have (width x height, read from its header before any decoding).
# A picture compresses far better than its decoded size: an all-zero 13,000 x 13,000 PNG is 657 KB
# on disk and 676 MB once decoded. 40 megapixels (160 MB decoded as RGBA) holds any camera photo
# or scan we need. The setting CQM_MAX_IMAGE_PIXELS overrides it.
MAX_IMAGE_PIXELS = 40_000_000


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
    """Check size, content type and (when a scanner is configured) viruses of an uploaded file.

    Raises ValidationError naming the file when it is refused.
    """
    given_name = getattr(upload, "name", "") or ""
    name = display_name(given_name)
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
    mime_type = detect_type(upload, given_name)
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
    if mime_type in DECODABLE_IMAGE_TYPES:
        check_image_pixels(upload, name)
    if mime_type in DECODABLE_IMAGE_TYPES and not is_decodable_image(upload):
        raise ValidationError(
            _("“%(name)s” looks like a %(type)s but its content is damaged and cannot be shown."),
            params={"name": name, "type": KNOWN_TYPES[mime_type][0]},
            code="damaged_image",
        )
    ensure_virus_free(upload, name)
    return InspectedFile(
        mime_type=mime_type,
        extension=KNOWN_TYPES[mime_type][1],
        size=size,
        sha256=checksum(upload),
    )


def check_file_count(count: int) -> None:
    """Refuse a request carrying no file, or more files than one upload may attach."""
    if count == 0:
        raise ValidationError(_("Choose at least one file to attach."), code="no_files")
    if count > MAX_FILES_PER_UPLOAD:
        raise ValidationError(
            _("You sent %(count)d files; at most %(limit)d can be attached at once."),
            params={"count": count, "limit": MAX_FILES_PER_UPLOAD},
            code="too_many_files",
        )


def ensure_virus_free(upload, name: str) -> None:
    """Ask the configured virus scanner; refuse the file when it is infected or unchecked."""
    try:
        scanner = configured_scanner()
        result = scanner.scan(upload) if scanner is not None else None
    except ScanFailed as failure:
        logger.error("Virus scan of %r failed: %s", name, failure.reason)
        raise _unscanned_error(name, too_large=failure.too_large) from failure
    except ScannerError as error:
        logger.error("Virus scanner not reachable for %r: %s", name, error)
        raise _unscanned_error(name) from error
    except Exception as error:
        # A broken scanner must never let a file through unscanned.
        logger.exception("Virus scanner failed on %r", name)
        raise _unscanned_error(name) from error
    finally:
        upload.seek(0)
    if result is not None and not result.clean:
        logger.warning("Upload %r refused: virus scanner found %s", name, result.signature)
        raise ValidationError(
            _("“%(name)s” contains malware (%(signature)s) and was not accepted."),
            params={"name": name, "signature": result.signature or _("unnamed threat")},
            code="infected",
        )


def _unscanned_error(name: str, *, too_large: bool = False) -> ValidationError:
    if too_large:
        return ValidationError(
            _("“%(name)s” is larger than the virus scanner can check, so it was not accepted."),
            params={"name": name},
            code="scan_too_large",
        )
    return ValidationError(
        _("“%(name)s” was not accepted: the virus scanner is not reachable; try again later."),
        params={"name": name},
        code="scanner_unavailable",
    )


def clean_file_name(name: str, extension: str) -> str:
    """The uploader's file name for display and download: no folders, no control characters."""
    base = _without_folders_and_controls(name) or f"file.{extension}"
    if len(base) > FILE_NAME_MAX_LENGTH:
        stem, dot, suffix = base.rpartition(".")
        keeps_suffix = dot and len(suffix) <= 12
        base = f"{stem[: 250 - len(suffix)]}.{suffix}" if keeps_suffix else base[:255]
    return base


def display_name(name: str) -> str:
    """The uploader's file name as messages show it: cleaned and kept short."""
    cleaned = _without_folders_and_controls(name)
    if not cleaned:
        return str(_("the file"))
    if len(cleaned) > DISPLAY_NAME_MAX_LENGTH:
        return cleaned[: DISPLAY_NAME_MAX_LENGTH - 1] + "…"
    return cleaned


def _without_folders_and_controls(name: str) -> str:
    # Control and format characters include NUL, line breaks and the right-to-left override
    # that would make "gpj.exe" read as "exe.jpg".
    base = os.path.basename((name or "").replace("\\", "/"))
    return "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")


def download_name(original_name: str, extension: str) -> str:
    """The name a download is saved under: the uploader's, ending in the proven type's suffix."""
    name = clean_file_name(original_name, extension)
    suffix = name.rpartition(".")[2].lower() if "." in name else ""
    if suffix in DOWNLOAD_SUFFIXES.get(extension, (extension,)):
        return name
    return f"{name[: FILE_NAME_MAX_LENGTH - len(extension) - 1]}.{extension}"


def served_content_type(mime_type: str) -> str:
    """The Content-Type a stored file is sent with: only types the content was proven to be."""
    return mime_type if mime_type in KNOWN_TYPES else "application/octet-stream"


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


def max_image_pixels() -> int:
    return int(getattr(settings, "CQM_MAX_IMAGE_PIXELS", MAX_IMAGE_PIXELS))


@contextlib.contextmanager
def decompression_bombs_refused():
    """Inside: Pillow's DecompressionBombWarning is raised as an error (only here, not globally)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


class TooManyPixels(Exception):
    def __init__(self, size: tuple[int, int] | None, limit: int):
        super().__init__(f"image of {size or 'unknown size'} is over {limit} pixels")
        self.size = size
        self.limit = limit


def ensure_within_pixel_budget(stream) -> tuple[int, int] | None:
    """The image's (width, height) from its header; raises TooManyPixels above the budget.

    Reads only the header (``Image.open`` decodes nothing): the size is checked before any pixel
    is decoded. Returns None when the header cannot be read at all (the decoding check then
    refuses the file as damaged).
    """
    limit = max_image_pixels()
    stream.seek(0)
    try:
        with decompression_bombs_refused(), Image.open(stream) as image:
            size = image.size
    except Image.DecompressionBombWarning as bomb:
        raise TooManyPixels(_declared_size(stream), limit) from bomb
    except Image.DecompressionBombError as bomb:
        raise TooManyPixels(None, limit) from bomb  # Pillow refuses to even report the size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        stream.seek(0)
    if size[0] * size[1] > limit:
        raise TooManyPixels(size, limit)
    return size


def _declared_size(stream) -> tuple[int, int] | None:
    """The header's size of an image Pillow warned about, for the message only (no decoding)."""
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                return image.size
    except Exception:
        return None
    finally:
        stream.seek(0)


def check_image_pixels(upload, name: str) -> None:
    """Refuse an image with more pixels than the budget, before anything decodes it."""
    try:
        ensure_within_pixel_budget(upload)
    except TooManyPixels as refused:
        raise too_many_pixels_error(name, refused) from refused


def too_many_pixels_error(name: str, refused: TooManyPixels) -> ValidationError:
    megapixels = refused.limit / 1_000_000
    limit = number_format(int(megapixels) if megapixels.is_integer() else round(megapixels, 2))
    if refused.size is None:
        return ValidationError(
            _(
                "The image “%(name)s” has too many pixels; "
                "the largest allowed is %(limit)s megapixels."
            ),
            params={"name": name, "limit": limit},
            code="too_many_pixels",
        )
    width, height = refused.size
    return ValidationError(
        _(
            "The image “%(name)s” is %(width)s × %(height)s pixels; "
            "the largest allowed is %(limit)s megapixels."
        ),
        params={
            "name": name,
            "width": number_format(width, force_grouping=True),
            "height": number_format(height, force_grouping=True),
            "limit": limit,
        },
        code="too_many_pixels",
    )


def is_decodable_image(upload) -> bool:
    """Whether Pillow can parse and fully decode the image (a valid header is not enough).

    Call it only on an image within the pixel budget (``ensure_within_pixel_budget``): it decodes.
    """
    try:
        with decompression_bombs_refused():
            upload.seek(0)
            with Image.open(upload) as image:
                image.verify()  # structure and checksums; leaves the image unusable
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()  # the pixel data itself, which verify() does not read for every format
    except IMAGE_DECODING_ERRORS:
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
