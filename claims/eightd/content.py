"""The free-form parts of a discipline, kept in ``EightDStep.content`` (REFERENCE §1).

One Django form per discipline describes its fields: the editor renders it, the API validates the
same dictionary with it, and the 8D report reads the labels from it. Every field may stay empty in
a draft; ``rules.submit_problems`` says what a submitted discipline must contain.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import limits

MAX_TEXT = limits.EIGHTD_CONTENT_TEXT


def _text(label, help_text="", rows=2):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class D0Content(forms.Form):
    symptom = _text(_("Symptom as we understand it"), _("In our words, after first analysis."))
    emergency_response = _text(
        _("Emergency response actions"),
        _("What protects the customer right now (stop shipment, notify plants, sort at the line)."),
    )


class D2Content(forms.Form):
    """5W2H and Is / Is-Not: the problem described precisely enough to find its cause."""

    what = _text(_("What is the problem?"), rows=1)
    where = _text(_("Where was it found?"), rows=1)
    when = _text(_("When did it start / was it found?"), rows=1)
    who = _text(_("Who found it?"), rows=1)
    why = _text(_("Why is it a problem?"), rows=1)
    how = _text(_("How was it found?"), rows=1)
    how_many = _text(_("How many are affected?"), rows=1)
    is_what = _text(_("What: is"), rows=1)
    is_not_what = _text(_("What: is not"), rows=1)
    is_where = _text(_("Where: is"), rows=1)
    is_not_where = _text(_("Where: is not"), rows=1)
    is_when = _text(_("When: is"), rows=1)
    is_not_when = _text(_("When: is not"), rows=1)
    is_how_big = _text(_("How big: is"), rows=1)
    is_not_how_big = _text(_("How big: is not"), rows=1)


FIVE_W_TWO_H = ("what", "where", "when", "who", "why", "how", "how_many")
IS_IS_NOT = ("what", "where", "when", "how_big")


class RevisionAnswer:
    UPDATED = "updated"
    NO_UPDATE = "no_update"
    CHOICES = [
        ("", _("Not answered yet")),
        (UPDATED, _("Updated")),
        (NO_UPDATE, _("No update needed")),
    ]


class D7Content(forms.Form):
    """PFMEA and control plan: updated (with reference) or a reasoned "no update" (IATF 10.2.3f)."""

    pfmea = forms.ChoiceField(label=_("PFMEA"), choices=RevisionAnswer.CHOICES, required=False)
    pfmea_reference = forms.CharField(
        label=_("PFMEA document and revision"), max_length=200, required=False
    )
    control_plan = forms.ChoiceField(
        label=_("Control plan"), choices=RevisionAnswer.CHOICES, required=False
    )
    control_plan_reference = forms.CharField(
        label=_("Control plan document and revision"), max_length=200, required=False
    )
    no_update_reason = _text(
        _("Why no update is needed"), _("Required when the PFMEA or control plan is not updated.")
    )
    read_across_none_reason = _text(
        _("Why there is nothing to read across"),
        _("Required when no similar part, line, plant or process is listed."),
    )
    lessons_learned = _text(_("Lessons learned"), rows=3)


class D8Content(forms.Form):
    closure_summary = _text(_("Closure statement"), rows=3)
    team_recognition = _text(_("Team recognition"))


CONTENT_FORMS: dict[str, type[forms.Form]] = {
    "D0": D0Content,
    "D2": D2Content,
    "D7": D7Content,
    "D8": D8Content,
}


def has_content(code: str) -> bool:
    return code in CONTENT_FORMS


def content_form(code: str, content: dict | None = None, **kwargs) -> forms.Form | None:
    form_class = CONTENT_FORMS.get(code)
    if form_class is None:
        return None
    return form_class(initial=content or {}, **kwargs)


def clean_content(code: str, data) -> dict:
    """Validate ``data`` for discipline ``code``; ValidationError by field, unknown keys too."""
    form_class = CONTENT_FORMS.get(code)
    if form_class is None:
        if data:
            raise ValidationError(
                {"content": gettext("%s has no free-form content; use its rows.") % code}
            )
        return {}
    if not isinstance(data, dict):
        raise ValidationError({"content": gettext("Send the content as an object of fields.")})
    unknown = sorted(set(data) - set(form_class.base_fields))
    if unknown:
        raise ValidationError({"content": gettext("Unknown fields: %s.") % ", ".join(unknown)})
    form = form_class(data={key: _as_text(value) for key, value in data.items()})
    if not form.is_valid():
        raise ValidationError(_flat_errors(form))
    return {key: value.strip() for key, value in form.cleaned_data.items() if value}


def rows(code: str, content: dict) -> list[tuple[str, str]]:
    """(label, value) for the filled fields, in form order: the read-only view and the PDF."""
    form_class = CONTENT_FORMS.get(code)
    if form_class is None:
        return []
    result = []
    for name, field in form_class.base_fields.items():
        value = (content or {}).get(name)
        if value:
            if isinstance(field, forms.ChoiceField):
                value = str(dict(field.choices).get(value, value))
            result.append((str(field.label), value))
    return result


def _as_text(value) -> str:
    return "" if value is None else str(value)


def _flat_errors(form) -> dict:
    return {name: [str(message) for message in errors] for name, errors in form.errors.items()}
