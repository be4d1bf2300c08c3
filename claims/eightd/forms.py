"""Forms of the 8D editor: one per kind of row, plus the draft and the customer's decision.

The forms only shape the input; every rule of REFERENCE §1 is checked by the services in
``claims.eightd.services`` and ``claims.services``, whose errors the views put back on these forms.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core import limits
from core.forms import DateInput, StyledForm, StyledModelForm, text_field, version_field

from ..models import Cause, Containment, ReadAcross, TeamMember
from ..selectors import assignable_engineers
from .services import (
    CONTAINMENT_FIELDS,
    cause_stated,
    containment_stated,
    corrective_action_stated,
)


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes laid out as Bootstrap ``form-check`` rows."""

    template_name = "claims/eightd/widgets/checkbox_list.html"


def style(form: forms.BaseForm) -> forms.BaseForm:
    """Give a plain form (the discipline content forms) the look of our styled forms."""
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    if form.is_bound:
        for name in form.errors:
            if name in form.fields:
                widget = form.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs['class']} is-invalid"
                widget.attrs["aria-invalid"] = "true"
    return form


# --- every discipline ---------------------------------------------------------------------------


class StepDraftForm(StyledForm):
    summary = text_field(
        _("Statement to the customer"),
        rows=4,
        required=False,
        help_text=_("Optional: what the customer should read first about this discipline."),
    )
    internal_note = text_field(
        _("Internal note"), required=False, help_text=_("Never shown to the customer.")
    )
    version = version_field()


class DecisionForm(StyledForm):
    comment = text_field(
        _("Comment"),
        max_length=limits.COMMENT,
        required=False,
        help_text=_("Optional when you approve; required when you send the discipline back."),
    )
    version = version_field()


# --- D1 team ------------------------------------------------------------------------------------


class TeamMemberForm(StyledModelForm):
    class Meta:
        model = TeamMember
        fields = ["role", "name", "function", "email"]


# --- D3 containment -----------------------------------------------------------------------------


class ContainmentForm(StyledForm):
    """One location's answer: what was done there, or why containment does not apply."""

    not_applicable = forms.BooleanField(label=_("Not applicable at this location"), required=False)
    not_applicable_reason = text_field(
        _("Why not applicable"),
        max_length=limits.NOTE,
        required=False,
        help_text=_("Required when not applicable, e.g. “no stock in transit: shipped weekly”."),
    )
    method = forms.ChoiceField(
        label=_("Method"),
        required=False,
        choices=[("", _("Choose…")), *Containment.Method.choices],
    )
    qty_checked = forms.IntegerField(label=_("Quantity checked"), required=False, min_value=0)
    qty_nonconforming = forms.IntegerField(
        label=_("Quantity found nonconforming"), required=False, min_value=0
    )
    verification = text_field(
        _("Verification of effectiveness"),
        required=False,
        help_text=_("How you know the containment works (second check, audit of sorted parts)."),
    )
    certified_marking = forms.CharField(
        label=_("Marking of certified parts"),
        required=False,
        max_length=200,
        help_text=_("How the customer recognises parts shipped after containment (clean point)."),
    )
    responsible = forms.CharField(label=_("Responsible"), required=False, max_length=120)
    started_on = forms.DateField(label=_("Started on"), required=False, widget=DateInput())

    FIELDS = CONTAINMENT_FIELDS

    @classmethod
    def initial_for(cls, row: Containment | None) -> dict:
        return containment_stated(row) if row is not None else {}

    def service_fields(self) -> dict:
        data = self.cleaned_data
        if data["not_applicable"]:
            return {
                "not_applicable": True,
                "not_applicable_reason": data["not_applicable_reason"],
            }
        return {"not_applicable": False, **{name: data[name] for name in self.FIELDS}}


class ContainmentRemoveForm(StyledForm):
    note = text_field(
        _("Why it can be removed"),
        max_length=limits.NOTE,
        help_text=_("E.g. the permanent corrective action is implemented and validated."),
    )


# --- D4 causes ----------------------------------------------------------------------------------


class CauseForm(StyledForm):
    leg = forms.ChoiceField(label=_("Leg"), choices=Cause.Leg.choices)
    category = forms.ChoiceField(label=_("6M category"), choices=Cause.Category.choices)
    description = text_field(
        _("Cause"),
        help_text=_("Name the mechanism, not a person: “operator error” alone is refused."),
    )
    whys = text_field(
        _("5-Why chain"),
        rows=5,
        max_length=limits.MAX_WHYS * (limits.WHY_TEXT + 1),
        required=False,
        help_text=_("One answer per line, from the first “why?” to the last."),
    )
    is_root_cause = forms.BooleanField(label=_("This is a root cause"), required=False)

    @classmethod
    def initial_for(cls, cause: Cause | None) -> dict:
        if cause is None:
            return {}
        return {**cause_stated(cause), "whys": "\n".join(cause.whys or [])}

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["whys"] = [line.strip() for line in data["whys"].splitlines() if line.strip()]
        return data


class CauseVerifyForm(StyledForm):
    method = forms.CharField(
        label=_("Verification method"),
        max_length=200,
        help_text=_("E.g. switch the cause on and off, capability study, test on the rig."),
    )
    evidence = text_field(_("Evidence"))


class CauseRuleOutForm(StyledForm):
    evidence = text_field(_("Evidence that rules it out"))


# --- D5/D6 corrective and D7 preventive actions -------------------------------------------------


class CauseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, cause: Cause) -> str:
        return f"{cause.get_leg_display()} · {cause.description[:100]}"


class ActionForm(StyledForm):
    """A corrective (D5) or preventive (D7) action; its core Action carries owner and due date."""

    title = forms.CharField(label=_("Action"), max_length=200)
    description = text_field(_("Description"), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    causes = CauseChoiceField(
        label=_("Causes it removes"), queryset=None, widget=CheckboxList, required=False
    )
    verification = text_field(
        _("Verification before implementation"),
        required=False,
        help_text=_("How the chosen action was shown to remove the cause (trial, test, study)."),
    )
    internal_only = forms.BooleanField(
        label=_("Internal only (hidden from the customer)"), required=False
    )

    def __init__(self, *args, claim, preventive: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_engineers()
        causes = self.fields["causes"]
        causes.queryset = claim.causes.exclude(status=Cause.Status.RULED_OUT).order_by("leg", "pk")
        if preventive:
            causes.help_text = _("Optional for a preventive action.")
        else:
            causes.help_text = _("Every verified root cause needs an action that removes it.")

    @staticmethod
    def initial_for(link) -> dict:
        return corrective_action_stated(link) if link is not None else {}

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["causes"] = list(data["causes"])
        return data


class ImplementForm(StyledForm):
    implemented_on = forms.DateField(label=_("Implemented on"), widget=DateInput())
    validation = text_field(
        _("Validation after implementation"),
        help_text=_("E.g. three lots produced and checked without a defect."),
    )


# --- D7 read-across -----------------------------------------------------------------------------


class ReadAcrossForm(StyledModelForm):
    class Meta:
        model = ReadAcross
        fields = ["scope", "subject", "applicable", "measure", "completed_on"]
        widgets = {"measure": forms.Textarea(attrs={"rows": 2}), "completed_on": DateInput()}
        help_texts = {
            "subject": _("The similar part, line, plant or process that was checked."),
            "measure": _("Required when the same risk is present."),
        }
