"""The bodies of a provisional acceptance over the API (claims.provisional).

``POST /claims/{id}/customer-accept-provisionally/`` (customer: the date the effectiveness
evidence is due), ``…/effectiveness-evidence/`` (our staff: the evidence; files go to the claim's
attachments), ``…/customer-confirm-effectiveness/`` and ``…/customer-reject-effectiveness/``.
"""

from __future__ import annotations

from rest_framework import serializers

from core import limits
from core.api import serializers as core_serializers

from ..provisional import MAX_DAYS_AHEAD
from .serializers import ExpectedVersionSerializer


class AcceptProvisionallySerializer(ExpectedVersionSerializer):
    due_on = serializers.DateField(
        help_text=(
            "The day by which we prove the corrective actions effective (ISO 8601): after "
            f"today in the customer's time zone, at most {MAX_DAYS_AHEAD} days ahead."
        )
    )
    comment = core_serializers.optional_text(limits.COMMENT)


class EffectivenessEvidenceSerializer(ExpectedVersionSerializer):
    evidence = serializers.CharField(
        max_length=limits.LONG_TEXT,
        help_text=(
            "What shows that the corrective actions work. Upload reports and photos to the "
            "claim's attachments. Sent again, it replaces the earlier text (the events keep it)."
        ),
    )
