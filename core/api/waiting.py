"""The read-only ``waiting_for`` field of every workflow record's representation (core.waiting)."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.tenancy import is_internal
from core.waiting import Party, waiting_for


class WaitingForSerializer(serializers.Serializer):
    """Who must act next: only documents the shape (``WaitingForField`` fills it)."""

    party = serializers.ChoiceField(
        choices=Party.choices, help_text="Whose turn it is: our team (us) or the customer."
    )
    who = serializers.CharField(help_text="The person's full name, or the role that acts.")
    since = serializers.DateTimeField(allow_null=True, help_text="Since when it is their turn.")
    due = serializers.CharField(
        allow_null=True, help_text="By when: an ISO 8601 date or date-time, or null."
    )
    action = serializers.CharField(help_text="What is to be done, e.g. “approve D3”.")


_DATE_TIME = serializers.DateTimeField()
_DATE = serializers.DateField()


@extend_schema_field(WaitingForSerializer(allow_null=True))
class WaitingForField(serializers.Field):
    """``{"party", "who", "since", "due", "action"}``, or null when nobody has to act."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault(
            "help_text",
            "Whose turn it is on the record: null when nobody has to act (closed, cancelled).",
        )
        super().__init__(**kwargs)

    def to_representation(self, record):
        request = self.context.get("request")
        # A customer learns which of our teams acts, not who of us (core.waiting).
        waiting = waiting_for(record, internal=is_internal(getattr(request, "user", None)))
        if waiting is None:
            return None
        return {
            "party": waiting.party,
            "who": waiting.who,
            "since": _moment(waiting.since),
            "due": _moment(waiting.due),
            "action": waiting.action,
        }


def _moment(value) -> str | None:
    """Dates and times as every other field of the API writes them (ISO 8601)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _DATE_TIME.to_representation(value)
    return _DATE.to_representation(value)
