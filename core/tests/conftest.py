import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from core.attachments import AttachmentPolicy
from core.models import Action
from customers.tests.factories import PartFactory

PNG_POLICY = AttachmentPolicy(
    allowed_types=("image/png", "image/jpeg", "application/pdf"), max_bytes=1024 * 1024
)


def png_bytes(size=(8, 8), colour="red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root) -> list:
    """Stored originals: every file under ``root`` except the renditions made from them."""
    return [path for path in all_files(root) if path.relative_to(root).parts[0] != "thumbnails"]


def rendition_files(root) -> list:
    return [path for path in all_files(root) if path.relative_to(root).parts[0] == "thumbnails"]


def all_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def part_a(customer_a):
    return PartFactory(customer=customer_a)


@pytest.fixture
def part_b(customer_b):
    return PartFactory(customer=customer_b)


@pytest.fixture
def make_action(engineer):
    """``make_action(record, owner=…, due_in=days, status=…)``: an action row for list tests."""

    def make(record, *, owner=None, due_in=5, status=Action.Status.OPEN, title="Sort stock"):
        return Action.objects.create(
            record=record,
            title=title,
            kind=Action.Kind.CONTAINMENT,
            owner=owner or engineer,
            due_date=timezone.localdate() + dt.timedelta(days=due_in),
            status=status,
            created_by=engineer,
        )

    return make


# seed_volume at a tiny scale: 100 claims, 1,000 deliveries and the other modules' minimums.
VOLUME_SCALE = "0.0005"
VOLUME_TODAY = dt.date(2026, 6, 15)


def seed_tiny_volume(*extra) -> str:
    """Run seed_volume at the tiny scale (later ``--scale`` arguments win); its output."""
    out = io.StringIO()
    call_command(
        "seed_volume", "--scale", VOLUME_SCALE, "--today", VOLUME_TODAY.isoformat(), *extra,
        stdout=out,
    )  # fmt: skip
    return out.getvalue()


@pytest.fixture
def volume(db):
    seed_tiny_volume()
