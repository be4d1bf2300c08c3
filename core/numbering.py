"""Human record numbers (``CL-2026-00042``), allocated without gaps or races.

The counter row is locked for the rest of the caller's transaction, so two claims filed at the same
moment get consecutive numbers and a rolled-back filing gives its number back.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Sequence


def next_number(prefix: str, *, year: int | None = None, width: int = 5) -> str:
    year = year or timezone.now().year
    with transaction.atomic():
        sequence = _locked_sequence(prefix, year)
        sequence.last_value += 1
        sequence.save(update_fields=["last_value"])
    return f"{prefix}-{year}-{sequence.last_value:0{width}d}"


def _locked_sequence(prefix: str, year: int) -> Sequence:
    sequence = Sequence.objects.select_for_update().filter(prefix=prefix, year=year).first()
    if sequence is not None:
        return sequence
    try:
        with transaction.atomic():
            Sequence.objects.create(prefix=prefix, year=year)
    except IntegrityError:
        pass  # created by a concurrent caller; lock theirs
    return Sequence.objects.select_for_update().get(prefix=prefix, year=year)
