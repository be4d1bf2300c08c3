"""The page helpers every module's views share: form pages, small posted forms, transitions."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core import pages
from core.errors import Conflict, DomainError
from core.forms import StyledForm, text_field
from core.locking import StaleVersion


class NoteForm(StyledForm):
    title = forms.CharField(label="Title", max_length=20)
    note = text_field("Note", required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class Record:
    """A stand-in for a model instance: redirects go to its page."""

    def __init__(self, pk: int):
        self.pk = pk

    def get_absolute_url(self) -> str:
        return f"/records/{self.pk}/"


@pytest.fixture
def shown(monkeypatch):
    """What the form pages render, instead of a template: (template, context, status)."""
    calls = []

    def fake_render(request, template, context, status=200):
        calls.append((template, context, status))
        return pages.HttpResponse(status=status)

    monkeypatch.setattr(pages, "render", fake_render)
    return calls


def _request(method="get", data=None):
    request = getattr(RequestFactory(), method)("/", data or {})
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _said(request) -> list[str]:
    return [str(message) for message in get_messages(request)]


def test_a_form_page_shows_the_form_on_get(shown):
    request = _request()
    response = pages.form_page(
        request, NoteForm(None), lambda **kw: None, template="t.html", context={"x": 1}
    )
    assert response.status_code == 200
    template, context, _status = shown[0]
    assert template == "t.html" and context["x"] == 1 and isinstance(context["form"], NoteForm)


def test_a_valid_form_is_saved_and_the_page_goes_to_the_new_record(shown):
    calls = []

    def create(**fields):
        calls.append(fields)
        return Record(7)

    request = _request("post", {"title": "Bracket", "note": "Bent", "version": "3"})
    response = pages.FormPage("t.html", "record", created=lambda r: f"#{r.pk} made").create(
        request, NoteForm(request.POST), create, colour="red"
    )
    assert response.status_code == 302 and response.url == "/records/7/"
    # The version goes apart: a create takes none.
    assert calls == [{"actor": request.user, "colour": "red", "title": "Bracket", "note": "Bent"}]
    assert _said(request) == ["#7 made"]
    assert not shown


def test_an_edit_sends_the_posted_version_and_goes_back_to_the_record(shown):
    calls = []
    record = Record(4)

    def update(**fields):
        calls.append(fields)
        return record

    request = _request("post", {"title": "Bracket", "version": "3"})
    response = pages.FormPage("t.html", "record").edit(
        request, NoteForm(request.POST), update, record
    )
    assert response.url == "/records/4/"
    assert calls[0]["record"] is record and calls[0]["expected_version"] == 3
    assert _said(request) == ["Saved."]


def test_a_refusal_goes_on_the_form_and_the_page_answers_400(shown):
    def update(**fields):
        raise ValidationError({"title": "Too plain."})

    request = _request("post", {"title": "Bracket"})
    response = pages.FormPage("t.html", "record").edit(
        request, NoteForm(request.POST), update, Record(4)
    )
    assert response.status_code == 400
    assert shown[0][1]["form"].errors["title"] == ["Too plain."]


def test_a_page_may_keep_200_for_a_form_with_errors(shown):
    request = _request("post", {"title": ""})
    page = pages.FormPage("t.html", "record", versioned=False, invalid_status=200)
    response = page.create(request, NoteForm(request.POST), lambda **kw: None)
    assert response.status_code == 200 and shown[0][1]["form"].errors


def test_someone_elses_save_shows_the_posted_form_with_the_conflict(shown):
    def update(**fields):
        raise StaleVersion(expected_version=3, current_version=4)

    request = _request("post", {"title": "Bracket", "version": "3"})
    page = pages.FormPage("t.html", "record", conflict_page=True)
    response = page.edit(request, NoteForm(request.POST), update, Record(4))
    assert response.status_code == 409
    context = shown[0][1]
    assert context["conflict"] and not context["form"].errors


def test_a_refusal_of_the_whole_edit_goes_back_with_a_message(shown):
    def update(**fields):
        raise Conflict("No longer a draft.")

    request = _request("post", {"title": "Bracket"})
    page = pages.FormPage("t.html", "record", refuse=(DomainError,))
    response = page.edit(request, NoteForm(request.POST), update, Record(4))
    assert response.status_code == 302 and response.url == "/records/4/"
    assert _said(request) == ["No longer a draft."]


def test_run_form_writes_nothing_for_a_form_with_errors():
    calls = []
    request = _request("post", {"title": ""})
    outcome = pages.run_form(request, NoteForm(request.POST), lambda **kw: calls.append(kw))
    assert not outcome and not calls
    assert _said(request) == ["Title: This field is required."]
    request = _request("post", {"title": ""})
    pages.run_form(request, NoteForm(request.POST), lambda **kw: None, invalid="Name it.")
    assert _said(request) == ["Name it."]


def test_run_form_hands_the_fields_and_the_user_to_the_service():
    calls = []
    request = _request("post", {"title": "Bracket"})
    outcome = pages.run_form(
        request, NoteForm(request.POST), lambda **kw: calls.append(kw) or "done", record=1
    )
    assert outcome.result == "done"
    assert calls == [{"actor": request.user, "record": 1, "title": "Bracket", "note": ""}]


def test_page_transitions_run_the_named_service_and_go_back():
    calls = []
    transitions = pages.PageTransitions({"close": lambda **kw: calls.append(kw)}, "record")
    record = Record(5)
    request = _request("post", {"version": "2"})
    response = transitions.run(request, record, "close", reason="Done")
    assert response.url == "/records/5/"
    assert calls == [
        {"actor": request.user, "record": record, "reason": "Done", "expected_version": 2}
    ]
    request = _request("post")
    response = transitions.run(request, record, "explode", to="/elsewhere/")
    assert response.url == "/elsewhere/" and _said(request) == ["Unknown action “explode”."]


def test_a_transition_answered_with_a_new_record_goes_on_to_it():
    revision = Record(9)
    transitions = pages.PageTransitions(
        {"resubmit": lambda **kw: revision}, "record", posted_version=False, to_result=Record
    )
    response = transitions.run(_request("post"), Record(5), "resubmit")
    assert response.url == "/records/9/"


def test_transition_buttons_name_label_and_whether_a_comment_is_asked():
    class Step:
        label, needs_comment = "Close", True

    assert pages.transition_buttons({"close": Step}, ["close"]) == [
        {"name": "close", "label": "Close", "needs_comment": True}
    ]
