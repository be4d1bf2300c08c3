"""Forms of the 8D editor: one per kind of row, plus the draft and the customer's decision.

The forms only shape the input; every rule of REFERENCE §1 is checked by the services in
``claims.eightd.services`` and ``claims.services``, whose errors the views put back on these forms.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core import limits
from core.forms import DateInput, StyledForm, StyledModelForm

from ..models import Cause, Containment, ReadAcross, TeamMember
from ..selectors import assignable_engineers


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


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


def version_field() -> forms.IntegerField:
    """The step's version the page showed: saving over someone else's change is refused."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class StepDraftForm(StyledForm):
    summary = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Statement to the customer"),
        required=False,
        widget=_textarea(4),
        help_text=_("Optional: what the customer should read first about this discipline."),
    )
    internal_note = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Internal note"),
        required=False,
        widget=_textarea(2),
        help_text=_("Never shown to the customer."),
    )
    version = version_field()


class DecisionForm(StyledForm):
    comment = forms.CharField(
        max_length=limits.COMMENT,
        label=_("Comment"),
        required=False,
        widget=_textarea(2),
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
    not_applicable_reason = forms.CharField(
        max_length=limits.NOTE,
        label=_("Why not applicable"),
        required=False,
        widget=_textarea(2),
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
    verification = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Verification of effectiveness"),
        required=False,
        widget=_textarea(2),
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

    FIELDS = (
        "method",
        "qty_checked",
        "qty_nonconforming",
        "verification",
        "certified_marking",
        "responsible",
        "started_on",
    )

    @classmethod
    def initial_for(cls, row: Containment | None) -> dict:
        if row is None:
            return {}
        initial = {name: getattr(row, name) for name in cls.FIELDS}
        initial["not_applicable"] = row.status == Containment.Status.NOT_APPLICABLE
        initial["not_applicable_reason"] = row.not_applicable_reason
        return initial

    def service_fields(self) -> dict:
        data = self.cleaned_data
        if data["not_applicable"]:
            return {
                "not_applicable": True,
                "not_applicable_reason": data["not_applicable_reason"],
            }
        return {"not_applicable": False, **{name: data[name] for name in self.FIELDS}}


class ContainmentRemoveForm(StyledForm):
    note = forms.CharField(
        max_length=limits.NOTE,
        label=_("Why it can be removed"),
        widget=_textarea(2),
        help_text=_("E.g. the permanent corrective action is implemented and validated."),
    )


# --- D4 causes ----------------------------------------------------------------------------------


class CauseForm(StyledForm):
    leg = forms.ChoiceField(label=_("Leg"), choices=Cause.Leg.choices)
    category = forms.ChoiceField(label=_("6M category"), choices=Cause.Category.choices)
    description = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Cause"),
        widget=_textarea(2),
        help_text=_("Name the mechanism, not a person: “operator error” alone is refused."),
    )
    whys = forms.CharField(
        label=_("5-Why chain"),
        required=False,
        max_length=limits.MAX_WHYS * (limits.WHY_TEXT + 1),
        widget=_textarea(5),
        help_text=_("One answer per line, from the first “why?” to the last."),
    )
    is_root_cause = forms.BooleanField(label=_("This is a root cause"), required=False)

    @classmethod
    def initial_for(cls, cause: Cause | None) -> dict:
        if cause is None:
            return {}
        return {
            "leg": cause.leg,
            "category": cause.category,
            "description": cause.description,
            "whys": "\n".join(cause.whys or []),
            "is_root_cause": cause.is_root_cause,
        }

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
    evidence = forms.CharField(
        max_length=limits.LONG_TEXT, label=_("Evidence"), widget=_textarea(2)
    )


class CauseRuleOutForm(StyledForm):
    evidence = forms.CharField(
        max_length=limits.LONG_TEXT, label=_("Evidence that rules it out"), widget=_textarea(2)
    )


# --- D5/D6 corrective and D7 preventive actions -------------------------------------------------


class CauseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, cause: Cause) -> str:
        return f"{cause.get_leg_display()} · {cause.description[:100]}"


class ActionForm(StyledForm):
    """A corrective (D5) or preventive (D7) action; its core Action carries owner and due date."""

    title = forms.CharField(label=_("Action"), max_length=200)
    description = forms.CharField(
        max_length=limits.LONG_TEXT, label=_("Description"), required=False, widget=_textarea(2)
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    causes = CauseChoiceField(
        label=_("Causes it removes"), queryset=None, widget=CheckboxList, required=False
    )
    verification = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Verification before implementation"),
        required=False,
        widget=_textarea(2),
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
        if link is None:
            return {}
        action = link.action
        return {
            "title": action.title,
            "description": action.description,
            "owner": action.owner_id,
            "due_date": action.due_date,
            "causes": [cause.pk for cause in link.causes.all()],
            "verification": link.verification,
            "internal_only": action.internal_only,
        }

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["causes"] = list(data["causes"])
        return data


class ImplementForm(StyledForm):
    implemented_on = forms.DateField(label=_("Implemented on"), widget=DateInput())
    validation = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Validation after implementation"),
        widget=_textarea(2),
        help_text=_("E.g. three lots produced and checked without a defect."),
    )


# --- D7 read-across -----------------------------------------------------------------------------


class ReadAcrossForm(StyledModelForm):
    class Meta:
        model = ReadAcross
        fields = ["scope", "subject", "applicable", "measure", "completed_on"]
        widgets = {"measure": _textarea(2), "completed_on": DateInput()}
        help_texts = {
            "subject": _("The similar part, line, plant or process that was checked."),
            "measure": _("Required when the same risk is present."),
        }
