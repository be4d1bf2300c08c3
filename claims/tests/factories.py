import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from claims import services
from customers.tests.factories import PartFactory


def claim_fields(**overrides) -> dict:
    fields = {
        "kind": "0km",
        "detection_location": "line",
        "detection_date": dt.date(2026, 3, 2),
        "symptom": "Burr on the mounting hole, part does not seat",
        "severity": "major",
        "suspect_qty": 500,
        "nonconforming_qty": 12,
        "ppm_qty": 12,
        "customer_reference": "QN-4711",
    }
    fields.update(overrides)
    return fields


def file_claim(*, actor, part=None, customer=None, uploads=(), submit=True, **overrides):
    part = part or PartFactory(customer=customer or actor.customer)
    return services.claim_file(
        actor=actor,
        customer=part.customer,
        part=part,
        uploads=uploads,
        submit=submit,
        **claim_fields(**overrides),
    )


def png_upload(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def exe_upload(name="photo.png"):
    content = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    return SimpleUploadedFile(name, content, content_type="image/png")
