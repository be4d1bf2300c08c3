"""The heaviest 8D report the limits allow: every text at its maximum length, six 40 MP photos.

Used by the PDF bound tests and the load test; built through the services where a rule guards the
data, and by direct updates for the texts (the services' own length checks are tested elsewhere).
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from claims import services
from claims.models import Cause, Claim, ClaimEvent, Containment, CorrectiveAction, EightDStep
from claims.tests.factories import file_claim, fill_step
from core import limits
from core.models import Action

PHOTOS = 6
# 8,000 × 5,000 px: the pixel budget's 40 megapixels.
PHOTO_SIZE = (8000, 5000)
EVENTS = 40


def text(length: int, word: str = "Burr") -> str:
    """Realistic words (they wrap like prose), exactly ``length`` characters."""
    sentence = f"{word} found on hole B after the punch passed its tool life; sorted and checked. "
    return (sentence * (length // len(sentence) + 1))[:length]


def maximal_photo(number: int) -> SimpleUploadedFile:
    gradient = Image.linear_gradient("L").resize(PHOTO_SIZE)
    tint = Image.new("L", PHOTO_SIZE, 40 * number)  # six different photos, not one six times
    image = Image.merge("RGB", (gradient, gradient.transpose(Image.FLIP_LEFT_RIGHT), tint))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(f"photo-{number}.jpg", buffer.getvalue(), content_type="image/jpeg")


def maximal_claim(customer_user, engineer) -> Claim:
    photos = [maximal_photo(number) for number in range(PHOTOS)]
    claim = file_claim(actor=customer_user, uploads=photos, symptom=text(limits.LONG_TEXT))
    services.claim_acknowledge(claim=claim, actor=engineer)
    services.claim_start_review(claim=claim, actor=engineer)
    services.claim_accept_responsibility(claim=claim, actor=engineer)
    for code in ("D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"):
        fill_step(claim, code, engineer)
    _maximise_texts(claim, engineer)
    return Claim.objects.get(pk=claim.pk)


def _maximise_texts(claim: Claim, engineer) -> None:
    for step in claim.steps.all():
        content = {key: text(limits.EIGHTD_CONTENT_TEXT) for key in (step.content or {})}
        EightDStep.objects.filter(pk=step.pk).update(
            content=content or step.content,
            summary=text(limits.LONG_TEXT),
            decision_comment=text(limits.COMMENT),
            status=EightDStep.Status.APPROVED,
        )
    whys = [text(limits.WHY_TEXT, "Why") for _ in range(limits.MAX_WHYS)]
    Cause.objects.filter(claim=claim).update(description=text(limits.LONG_TEXT, "Cause"), whys=whys)
    Containment.objects.filter(claim=claim).update(verification=text(limits.LONG_TEXT))
    actions = CorrectiveAction.objects.filter(claim=claim).values_list("action", flat=True)
    Action.objects.filter(pk__in=actions).update(description=text(limits.LONG_TEXT, "Action"))
    ClaimEvent.objects.bulk_create(
        ClaimEvent(
            claim=claim,
            customer=claim.customer,
            actor=engineer,
            action="comment",
            comment=text(limits.COMMENT, "Event"),
        )
        for _ in range(EVENTS)
    )
