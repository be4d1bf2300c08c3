"""Serializer building blocks every record's API shares.

The version a write expects (optimistic locking), a free text the client may leave out, the
password of an electronic signature, a line of a record's timeline (``RecordEvent``), and the
fields only our staff see.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from core.api.schema import INTERNAL_ONLY
from core.tenancy import is_internal

VERSION_HELP = (
    "The version of the record you read. The write is refused with 409 when the record changed "
    "since; the If-Match header (the ETag) says the same. Leave both out to write without the "
    "check."
)
# A timeline line as every record's API shows it.
EVENT_FIELDS = ["action", "label", "from_status", "to_status", "comment", "actor", "created_at"]


def version_field(help_text: str = VERSION_HELP, **options) -> serializers.IntegerField:
    """The optional ``version`` of a write: the version of the record the client read."""
    return serializers.IntegerField(required=False, min_value=1, help_text=help_text, **options)


def optional_text(max_length: int, default="", **options) -> serializers.CharField:
    """A text the client may leave out or send empty; left out, it reads as ``default``.

    ``default=empty`` (``rest_framework.fields.empty``): left out, it is not in the input at all,
    so a partial write keeps what is stored.
    """
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default=default, **options
    )


def signature_password(**options) -> serializers.CharField:
    """The signer's password: their electronic signature, taken as typed and never shown back."""
    return serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}, **options
    )


class VersionedWriteSerializer(serializers.Serializer):
    """A write's optional precondition: the version of the record the client read."""

    version = version_field()


class RecordEventSerializer(serializers.ModelSerializer):
    """One line of a record's timeline; a subclass names the event model in its ``Meta``."""

    actor = serializers.StringRelatedField(
        allow_null=True, help_text="Who did it; null when the portal did it on its own."
    )

    class Meta:
        fields = EVENT_FIELDS


def viewer_is_internal(serializer) -> bool:
    """Whether the request ``serializer`` answers comes from our staff; without one, not."""
    request = serializer.context.get("request")
    return is_internal(request.user if request else None)


class HidesInternalFields:
    """Leaves ``internal_fields`` out for anyone but our staff (DESIGN §5).

    Mixed in before the serializer class. The fields stay in the schema, marked staff only
    (``INTERNAL_ONLY``), so that it never calls them required.
    """

    internal_fields: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.internal_fields:
            extend_schema_serializer(extensions={INTERNAL_ONLY: list(cls.internal_fields)})(cls)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not viewer_is_internal(self):
            for name in self.internal_fields:
                data.pop(name, None)
        return data
