"""What the modules' pages share: list filters, form fields, home cards, CSV exports, turns."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import models
from django.test import RequestFactory

from core import csvexport, home, waiting
from core import filters as core_filters
from core.attachments import AttachmentPolicy
from core.forms import StyledForm, StyledModelForm, password_field, policy_hint, text_field
from customers.models import Part
from customers.tests.factories import PartFactory


class PartList(core_filters.PageFilterSet):
    safe = core_filters.TickFilter(lambda parts: parts.filter(safety_relevant=True), label="Safe")
    commodity = core_filters.StatusFilter([("Stamping", "Stamping"), ("Casting", "Casting")])
    ordering = core_filters.NullsLastOrderingFilter({"number": models.F("part_number")})

    PAGE_ORDER = ("commodity", "safe")
    INTERNAL_ONLY = ("commodity",)

    class Meta:
        model = Part
        fields = []


def _list(user, query: dict) -> PartList:
    request = RequestFactory().get("/", query)
    request.user = user
    return PartList(query or None, queryset=Part.objects.order_by("pk"), request=request)


@pytest.mark.django_db
def test_a_list_page_has_its_search_box_first_and_its_sorting_last(engineer, user_a):
    assert list(_list(engineer, {}).filters) == ["q", "commodity", "safe", "ordering"]
    assert list(_list(user_a, {}).filters) == ["q", "safe", "ordering"]  # staff only: commodity
    assert "form-control" in str(_list(engineer, {}).form["q"])  # the look of every form


@pytest.mark.django_db
def test_search_and_tick_boxes_narrow_only_when_used(engineer):
    wanted = PartFactory(description="Gear wheel", safety_relevant=True)
    other = PartFactory(description="Bracket", safety_relevant=False)
    assert list(_list(engineer, {"q": "gear"}).qs) == [wanted]
    assert list(_list(engineer, {"safe": "on"}).qs) == [wanted]
    # Unticked means every part, not the ones that are not safety-relevant.
    assert list(_list(engineer, {"safe": ""}).qs) == [wanted, other]


@pytest.mark.django_db
def test_choice_rank_sorts_by_the_declared_order_unknown_values_last():
    class Commodity(models.TextChoices):
        CASTING = "Casting"
        STAMPING = "Stamping"

    for name in ("Welding", "Stamping", "Casting"):
        PartFactory(commodity=name)
    parts = Part.objects.annotate(rank=core_filters.choice_rank("commodity", Commodity))
    assert [part.commodity for part in parts.order_by("rank")] == ["Casting", "Stamping", "Welding"]


def test_statuses_filter_takes_several_status_filter_one():
    choices = [("open", "Open"), ("closed", "Closed")]
    assert core_filters.StatusesFilter(choices).field.clean(["open", "closed"]) == [
        "open",
        "closed",
    ]
    assert core_filters.StatusFilter(choices).field.clean("open") == "open"


def test_text_and_password_fields():
    class Signed(StyledForm):
        reason = text_field("Reason", rows=3, max_length=10)
        password = password_field()

    form = Signed({"reason": "x" * 11, "password": " secret "})
    assert not form.is_valid() and "reason" in form.errors
    assert form.fields["reason"].widget.attrs["rows"] == 3
    form = Signed({"reason": "Broken", "password": " secret "})
    assert form.is_valid() and form.cleaned_data["password"] == " secret "  # never stripped
    assert 'autocomplete="current-password"' in str(form["password"])


@pytest.mark.django_db
def test_service_fields_leave_the_version_apart_and_an_edit_sends_it():
    class PartForm(StyledModelForm):
        class Meta:
            model = Part
            fields = ["description"]

    part = PartFactory(description="Bracket")
    part.version = 3  # the version the edit page shows
    form = PartForm({"description": "Gear", "version": "4"}, instance=part)
    form.send_version()
    assert form.fields["version"].initial == 3
    assert form.is_valid(), form.errors
    assert form.service_fields() == {"description": "Gear"}
    assert form.cleaned_data["version"] == 4
    assert PartForm(instance=part).fields.get("version") is None


def test_policy_hint_names_the_types_and_the_size():
    policy = AttachmentPolicy(allowed_types=("application/pdf", "x/unknown"), max_bytes=1024**2)
    hint = policy_hint(policy)
    assert "PDF" in hint and "x/unknown" in hint and "1.0" in hint


def test_a_count_card_shows_once_there_is_something_to_count():
    card = home.CountCard("late", "Late ones", "bi-clock", "core:my-actions", "tab=overdue")
    assert not card.of(0).shown and not card.of(0).alert
    shown = card.of(3)
    assert shown.value == 3 and shown.alert and shown.url.endswith("?tab=overdue")
    assert (
        not home.CountCard("open", "Open", "bi-x", "core:my-actions", "", alert=False).of(2).alert
    )


def test_waiting_for_us_links_to_the_list_filtered_to_our_turn():
    line = home.ours("actions", "Actions", 4, "core:my-actions")
    assert line.count == 4 and line.url.endswith("?waiting=us")


def test_turns_say_whose_turn_it_is():
    ours = waiting.our_turn("draft", waiting.role("Engineers"), "submit it", since="created_at")
    theirs = waiting.customer_turn("sent", "decide")
    assert (ours.party, ours.since) == (waiting.Party.US, "created_at")
    assert theirs.party == waiting.Party.CUSTOMER
    assert theirs.who(type("Record", (), {"customer": None})()) == str(waiting.Party.CUSTOMER.label)


@pytest.mark.django_db
def test_a_streamed_export_has_the_mark_the_header_and_a_row_per_record():
    PartFactory(part_number="P-1", description="=1+1")
    PartFactory(part_number="P-2", description="Gear")
    response = csvexport.streamed_response(
        "parts",
        ["Number", "Description"],
        Part.objects.order_by("part_number"),
        lambda part: [part.part_number, part.description],
    )
    assert response["Content-Disposition"].startswith('attachment; filename="parts-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(csvexport.BOM)
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [["Number", "Description"], ["P-1", "'=1+1"], ["P-2", "Gear"]]


def test_local_iso_writes_a_moment_in_the_zone_to_the_minute():
    moment = dt.datetime(2026, 3, 1, 12, 30, 15, tzinfo=dt.UTC)
    assert csvexport.local_iso(moment, ZoneInfo("Europe/Berlin")) == "2026-03-01T13:30+01:00"
    assert csvexport.local_iso(None, ZoneInfo("Europe/Berlin")) == ""
