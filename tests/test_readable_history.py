"""Timelines and histories speak in labels: never a stored state name or a Python literal.

Every event and every history entry of the demo world is read the way the pages show it — the
event's label and its from/to states, the history partial rendered for each record — and none may
show a choice's stored value (``review_board``), an action's name (``to_customer``) or a list,
dictionary, ``None``, ``True`` or ``False`` written the Python way.
"""

import html
import re

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from audits.models import Audit, Finding
from audits.services import audit_update
from audits.tests.factories import plan
from changes.models import ChangeEvent, ChangeRequest, Deviation
from claims.models import Claim, ClaimEvent, EightDStep
from core.history import display_value, field_changes, timeline
from core.records.events import RecordEvent
from ppap.models import PpapSubmission
from tests.test_demo import demo_world, everything  # noqa: F401 (fixtures: the demo world)

# A list or dictionary printed by Python: brackets, braces, or a quote beside one of them or
# beside the comma or colon between items (an apostrophe inside a word is fine).
PYTHON_LITERAL = re.compile(
    r"[\[\]{}]|\b(None|True|False)\b|[\[{(,:]\s*'|'\s*[,:\]})]|^'|'$", re.MULTILINE
)
SNAKE_CASE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def _stored_names() -> set[str]:
    """Every choice value whose label reads differently, and every event action's name."""
    names = set()
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            for value, label in getattr(model_field, "flatchoices", None) or ():
                if isinstance(value, str) and re.search("[a-z]", value) and value != str(label):
                    names.add(value)
        if issubclass(model, RecordEvent):
            names.update(action for action in model.labels if action != str(model.labels[action]))
    # The history's own words for a yes/no field, which some choices store as well.
    return names - {"yes", "no"}


STORED_NAMES = _stored_names()


def unreadable(text: str, value: bool = True) -> list[str]:
    """What in ``text`` is an internal name or a Python literal rather than words for people.

    A ``value`` (a state, a field's content) is also refused when it is a stored name as a whole
    (``draft`` for "Draft"); a field's name may be a plain word that is a stored name elsewhere.
    """
    text = text.strip()
    found = [name for name in SNAKE_CASE.findall(text) if name in STORED_NAMES]
    if value and text in STORED_NAMES:
        found.append(text)
    found += [match.group(0) for match in PYTHON_LITERAL.finditer(text)]
    return found


def _visible_text(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "\n", rendered))


# The timeline ("Events") and "History" cards of a record's page.
RECORD_SECTIONS = re.compile(
    r'<section[^>]*aria-labelledby="(?:events|history)-heading".*?</section>', re.DOTALL
)


def _detail_pages() -> list[str]:
    """The page of each kind's record with the longest history, of the customer AUTOWERK where
    the record belongs to a customer."""
    kinds = [
        ("claims:claim-detail", Claim),
        ("changes:change-detail", ChangeRequest),
        ("changes:deviation-detail", Deviation),
        ("ppap:submission-detail", PpapSubmission),
        ("audits:audit-detail", Audit),
        ("audits:finding-detail", Finding),
    ]
    pages = []
    for name, model in kinds:
        records = model.objects.order_by("-version", "-pk")
        record = records.filter(customer__code="AUTOWERK").first() or records.first()
        if record is not None:
            pages.append(reverse(name, args=[record.pk]))
    return pages


def _pieces(text: str) -> list[str]:
    """The values of a timeline line: "Approved · requested → approved · 7 Dec 2026" has four."""
    return [piece.strip() for piece in re.split(r"[\n·→]", text) if piece.strip()]


def _history_models():
    return [
        model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    ]


@pytest.mark.usefixtures("everything")
class TestDemoWorldReads:
    def test_every_event_shows_labels(self):
        walked = 0
        for model in apps.get_models():
            if not issubclass(model, RecordEvent) or model._meta.abstract:
                continue
            for event in model.objects.all():
                assert event.action in event.labels, (
                    f"{model.__name__}: no label for {event.action}"
                )
                for shown in (event.label, event.from_status_label, event.to_status_label):
                    assert not unreadable(shown), (model.__name__, event.action, shown)
                walked += 1
        assert walked > 500

    def test_every_history_entry_reads_as_words(self):
        walked = 0
        for model in _history_models():
            for record in model._default_manager.all():
                history = timeline(record)
                for entry in history:
                    for change in entry.changes:
                        assert not unreadable(change.field, value=False), change
                        for shown in (change.old, change.new):
                            assert not unreadable(shown), (model.__name__, record.pk, change)
                    assert not unreadable(entry.reason), (model.__name__, record.pk, entry.reason)
                    walked += len(entry.changes)
                page = render_to_string("partials/history.html", {"history": history})
                for line in _visible_text(page).splitlines():
                    assert not unreadable(line, value=False), (model.__name__, record.pk, line)
        assert walked > 1000

    @pytest.mark.parametrize("email", ["engineer@demo.example", "quality@autowerk.example"])
    def test_timeline_and_history_sections_of_the_pages_read_as_words(self, client, email):
        client.force_login(User.objects.get(email=email))
        checked = 0
        for url in _detail_pages():
            response = client.get(url)
            if response.status_code == 404:  # another customer's record
                continue
            assert response.status_code == 200, url
            for section in RECORD_SECTIONS.findall(response.content.decode()):
                for piece in _pieces(_visible_text(section)):
                    assert not unreadable(piece, value=not piece.endswith(":")), (url, piece)
                checked += 1
        assert checked >= 4

    def test_change_events_name_their_states_in_german_too(self):
        event = ChangeEvent.objects.filter(action="to_review_board").first()
        with translation.override("de"):
            assert event.to_status_label == "Änderungsausschuss"
            assert event.label == "An den Änderungsausschuss übergeben"


def test_the_check_finds_stored_names_and_literals():
    assert unreadable("review_board → customer_approval") == ["review_board", "customer_approval"]
    assert unreadable("draft") == ["draft"]
    assert not unreadable("correction", value=False)
    assert unreadable("['*-question P5.1 not fulfilled']")
    assert unreadable("{'symptom': 'Burr'}")
    assert unreadable("None")
    assert not unreadable("The damage matches the customer's own handling")
    assert not unreadable("Customer approval pending")


@pytest.mark.django_db
def test_events_show_the_states_of_the_part_they_moved():
    cost_release = ClaimEvent(action="costs_release", from_status="draft", to_status="released")
    assert cost_release.from_status_label == "Draft"
    assert cost_release.to_status_label == "Released to the customer"
    submitted = ClaimEvent(
        action="start_review", from_status="acknowledged", to_status="under_review"
    )
    assert (submitted.from_status_label, submitted.to_status_label) == (
        "Acknowledged",
        "Under review",
    )


@pytest.mark.django_db
def test_a_list_reads_as_a_sentence():
    audit = Audit(title="Process audit")
    reasons = ["*-question P5.1 scored 4", "P6 below 80 %"]
    assert display_value(audit, "downgrade_reasons", []) == ""
    assert display_value(audit, "downgrade_reasons", reasons) == (
        "*-question P5.1 scored 4; P6 below 80 %"
    )


@pytest.mark.django_db
def test_planned_lists_and_the_team_read_as_names(engineer, manager):
    audit = plan(actor=manager)
    audit_update(
        audit=audit,
        actor=manager,
        team=[engineer],
        process_steps=["Pressing", "Welding"],
        shifts_audited=[1, 2],
    )

    shown = {change.field: change.new for entry in timeline(audit) for change in entry.changes}

    assert shown["process steps"] == "Pressing; Welding"
    assert shown["shifts audited"] == "1; 2"
    assert shown["audit team"] == str(engineer)


def test_structured_content_changes_one_labelled_line_each():
    step = EightDStep(code="D7")
    changes = field_changes(
        step,
        "content",
        {"pfmea": "updated"},
        {"pfmea": "updated", "control_plan": "no_update", "no_update_reason": "Interlock"},
    )

    assert [(change.field, change.old, change.new) for change in changes] == [
        ("structured content – Control plan", "", "No update needed"),
        ("structured content – Why no update is needed", "", "Interlock"),
    ]


def test_a_dictionary_without_labels_shows_its_keys_as_words():
    audit = Audit(title="Process audit")
    (change,) = field_changes(audit, "downgrade_reasons", {}, {"line_three": True})
    assert (change.field, change.old, change.new) == ("downgrade reasons – Line three", "", "yes")
