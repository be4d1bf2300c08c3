"""Training register rows built through the real services."""

from __future__ import annotations

import datetime as dt

from .. import services
from ..models import Qualification


def qualification(*, actor, person, kind=Qualification.Kind.VDA63_PROCESS_AUDITOR, **fields):
    fields.setdefault("valid_from", dt.date(2024, 1, 1))
    fields.setdefault("evidence", "Certificate no. 4711")
    return services.qualification_create(actor=actor, person=person, kind=kind, **fields)
