"""Forms of the change pages; related choices are scoped: another customer's part never shows."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core import limits
from core.forms import DateInput, StyledForm, StyledModelForm, password_field, text_field
from customers.models import Customer, Part

from .models import AffectedDocument, ChangeRequest, StockDisposition
from .models.change import IMPACT_AREAS, Function
from .selectors import staff_members
from .services import EDIT_FIELDS

TEXTAREA = {"rows": 3}


class ChangeForm(StyledModelForm):
    """What the change is; the customer is chosen once, when the change is raised."""

    class Meta:
        model = ChangeRequest
        fields = ["customer", *EDIT_FIELDS]
        widgets = {
            "reason": forms.Textarea(attrs=TEXTAREA),
            "description_before": forms.Textarea(attrs=TEXTAREA),
            "description_after": forms.Textarea(attrs=TEXTAREA),
            "validation_plan": forms.Textarea(attrs=TEXTAREA),
            "internal_notes": forms.Textarea(attrs=TEXTAREA),
            "effectivity_date": DateInput(),
            **{f"impact_{key}_note": forms.TextInput() for key in IMPACT_AREAS},
        }
        help_texts = {
            "customer": _(
                "One change concerns one customer. A change for several customers is raised "
                "as one change request per customer."
            ),
            "ppap_level": _("Empty: the customer's default PPAP level."),
            "psw_reason": _("Empty: suggested from the type of change and the tooling."),
            "internal_notes": _("Never shown to the customer."),
            "cost_amount": _("Internal only."),
        }

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["customer"]
            self.send_version()
        else:
            self.fields["customer"].queryset = Customer.objects.filter(is_active=True)

    def impact_rows(self):
        """(label, affected field, note field) per impact area, for a compact table."""
        return [
            (label, self[f"impact_{key}"], self[f"impact_{key}_note"])
            for key, label in IMPACT_AREAS.items()
        ]

    def main_fields(self):
        impact = {name for key in IMPACT_AREAS for name in (f"impact_{key}", f"impact_{key}_note")}
        return [self[name] for name in self.fields if name not in impact and name != "version"]


class PartRowForm(StyledForm):
    part = forms.ModelChoiceField(label=_("Part"), queryset=Part.objects.none())
    current_revision = forms.CharField(
        label=_("Current revision"),
        max_length=20,
        required=False,
        help_text=_("Empty: the part's revision."),
    )
    new_revision = forms.CharField(label=_("New revision"), max_length=20)

    def __init__(self, *args, change=None, **kwargs):
        super().__init__(*args, **kwargs)
        if change is not None:
            self.fields["part"].queryset = Part.objects.filter(customer_id=change.customer_id)


class DocumentRowForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=AffectedDocument.Kind.choices)
    identifier = forms.CharField(label=_("Identifier"), max_length=100)
    current_revision = forms.CharField(label=_("Current revision"), max_length=20, required=False)
    new_revision = forms.CharField(label=_("New revision"), max_length=20, required=False)


class DispositionRowForm(StyledForm):
    location = forms.CharField(label=_("Location"), max_length=100)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0)
    disposition = forms.ChoiceField(
        label=_("Disposition"), choices=StockDisposition.Disposition.choices
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class PersonRowForm(StyledForm):
    """An assessor or a review-board approver: a function and one of our staff."""

    function = forms.ChoiceField(label=_("Function"), choices=Function.choices)
    user = forms.ModelChoiceField(label=_("Person"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_members()


class AssessmentForm(StyledForm):
    assessment = text_field(_("Assessment"), rows=3)
    internal_note = text_field(_("Internal note (hidden from the customer)"), required=False)


class PasswordForm(StyledForm):
    password = password_field()


class SignForm(StyledForm):
    password = password_field()
    comment = text_field(_("Comment (optional)"), max_length=limits.COMMENT, required=False)


class ReasonForm(StyledForm):
    reason = text_field(_("Reason"))


class CustomerRejectForm(ReasonForm):
    password = password_field()


class DeferForm(ReasonForm):
    until = forms.DateField(label=_("Deferred until"), widget=DateInput())


class WaiverForm(StyledForm):
    waived_by = forms.CharField(
        max_length=200, label=_("Waived by (name and function at the customer)")
    )
    basis = text_field(_("Basis"))
    waiver_date = forms.DateField(label=_("Date of the waiver"), widget=DateInput())
    reference = forms.CharField(
        label=_("Reference (e-mail, letter, minutes)"), required=False, max_length=200
    )
    password = password_field()


class ValidateForm(StyledForm):
    results = text_field(_("Validation results"), rows=3)


class ImplementForm(StyledForm):
    implemented_on = forms.DateField(label=_("Break point reached on"), widget=DateInput())
    break_point = forms.CharField(label=_("Serial / lot of the break point"), max_length=100)


# The form each transition posts (None: a button without inputs).
TRANSITION_FORMS = {
    "board_reject": ReasonForm,
    "board_defer": DeferForm,
    "customer_approve": SignForm,
    "customer_reject": CustomerRejectForm,
    "waive": WaiverForm,
    "release": PasswordForm,
    "validate": ValidateForm,
    "implement": ImplementForm,
    "cancel": ReasonForm,
}
