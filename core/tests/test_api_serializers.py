"""The serializer building blocks every record's API shares (``core.api.serializers``)."""

from __future__ import annotations

import pytest
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.test import APIRequestFactory

from changes.models import DeviationEvent
from core.api import serializers as core_serializers
from core.api.schema import INTERNAL_ONLY


class _Body(core_serializers.VersionedWriteSerializer):
    comment = core_serializers.optional_text(20)
    note = core_serializers.optional_text(20, default=empty)
    password = core_serializers.signature_password()


def test_an_optional_text_left_out_reads_as_its_default_or_stays_out():
    body = _Body(data={"password": " secret "})
    assert body.is_valid(), body.errors
    assert body.validated_data == {"comment": "", "password": " secret "}


def test_an_optional_text_may_be_empty_but_not_too_long():
    assert _Body(data={"comment": "", "password": "x"}).is_valid()
    too_long = _Body(data={"comment": "x" * 21, "password": "x"})
    assert not too_long.is_valid()
    assert "comment" in too_long.errors


def test_the_version_is_optional_and_at_least_one():
    assert _Body(data={"password": "x", "version": 3}).is_valid()
    assert not _Body(data={"password": "x", "version": 0}).is_valid()


def test_the_signature_password_is_never_shown_back():
    assert _Body().fields["password"].write_only
    assert "password" not in _Body(instance={"comment": "", "password": "x"}).data


class _Row(core_serializers.HidesInternalFields, serializers.Serializer):
    internal_fields = ("internal_note",)
    title = serializers.CharField()
    internal_note = serializers.CharField()


def _read_by(user) -> dict:
    request = APIRequestFactory().get("/")
    request.user = user
    row = {"title": "Shown", "internal_note": "Ours only"}
    return _Row(row, context={"request": request}).data


@pytest.mark.django_db
def test_internal_fields_are_left_out_for_customer_users_only(engineer, user_a):
    assert _read_by(engineer) == {"title": "Shown", "internal_note": "Ours only"}
    assert _read_by(user_a) == {"title": "Shown"}


def test_without_a_request_internal_fields_are_left_out():
    row = {"title": "Shown", "internal_note": "Ours only"}
    assert _Row(row).data == {"title": "Shown"}


def test_internal_fields_are_marked_staff_only_in_the_schema():
    assert _Row._spectacular_annotation["extensions"] == {INTERNAL_ONLY: ["internal_note"]}


class _DeviationEvents(core_serializers.RecordEventSerializer):
    class Meta(core_serializers.RecordEventSerializer.Meta):
        model = DeviationEvent


def test_a_timeline_line_shows_the_same_fields_for_every_record():
    fields = list(_DeviationEvents().fields)
    assert fields == core_serializers.EVENT_FIELDS
    assert _DeviationEvents().fields["actor"].allow_null
