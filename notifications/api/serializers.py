from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..kinds import Delivery
from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)
    url = serializers.CharField(
        read_only=True, help_text="Path of the record in the portal (e.g. `/claims/7/`), or empty."
    )

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "url",
            "urgent",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


class NotificationPreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(
        max_length=60, help_text="The kind's key, e.g. `claims.submitted`."
    )
    label = serializers.CharField(read_only=True)
    delivery = serializers.ChoiceField(choices=Delivery.choices)
    mandatory = serializers.BooleanField(
        read_only=True, help_text="Always at once by e-mail; only `immediate` is accepted."
    )


class PreferencesUpdateSerializer(serializers.ListSerializer):
    """The kinds to change; kinds left out keep their setting. At most one entry per kind."""

    def __init__(self, *args, max_kinds: int, **kwargs):
        kwargs.setdefault("child", NotificationPreferenceSerializer())
        kwargs.setdefault("max_length", max_kinds)
        kwargs.setdefault("allow_empty", True)
        super().__init__(*args, **kwargs)

    def validate(self, attrs):
        kinds = [entry["kind"] for entry in attrs]
        if len(set(kinds)) != len(kinds):
            raise serializers.ValidationError(_("Each kind may be given once."))
        return attrs
