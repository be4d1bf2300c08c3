"""Forms of the PPAP pages: what the user types, validated for shape; rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import limits
from core.forms import (
    DateInput,
    StyledForm,
    StyledModelForm,
    date_inputs,
    password_field,
    text_areas,
    text_field,
    version_field,
)
from customers.models import Part

from . import editions
from .models import PpapElement, PpapSubmission, StudyType, Warrant
from .services import HEADER_FIELDS, WARRANT_FIELDS


def staff_users():
    return User.objects.filter(is_active=True, customer__isnull=True).order_by("full_name")


class SubmissionForm(StyledModelForm):
    version = version_field()
    customer_elements = forms.TypedMultipleChoiceField(
        label=_("Elements the customer asks for (level 4)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PpapSubmission
        fields = ["part", *HEADER_FIELDS]
        widgets = {
            **date_inputs("due_date", "run_date"),
            **text_areas("reason_detail", "vda_scope", "vda_self_assessment", "internal_note"),
        }
        help_texts = {
            "level": _("Leave empty to use the customer's default level."),
            "reason_detail": _("Required for “Other”."),
        }

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = Part.objects.visible_to(user).select_related("customer")
        self.fields["owner"].queryset = staff_users()
        self.fields["customer_elements"].choices = list(
            editions.elements(editions.DEFAULT_EDITION).items()
        )
        self.fields["level"].required = False
        self.fields["form_set"].required = False
        if editing:
            del self.fields["part"]
            self.fields["level"].required = True
        else:
            for name in ("run_date", "run_hours", "run_quantity"):
                del self.fields[name]

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if data.get("level") in ("", None):
            data["level"] = None  # the customer's default level
        if not data.get("form_set"):
            data.pop("form_set", None)  # the model's default
        if data.get("customer_elements") is not None:
            data["customer_elements"] = list(data["customer_elements"])
        return data


# The warrant's fields in the order of the model (the order of the printed form).
_WARRANT_ORDER = [f.name for f in Warrant._meta.get_fields()]


class WarrantForm(StyledModelForm):
    version = version_field()

    class Meta:
        model = Warrant
        fields = sorted(WARRANT_FIELDS, key=lambda name: _WARRANT_ORDER.index(name))
        widgets = {
            **date_inputs("drawing_date", "checking_aid_date"),
            **text_areas("additional_changes", "org_address", "results_explanation"),
        }


class ElementForm(StyledModelForm):
    version = version_field()

    class Meta:
        model = PpapElement
        fields = ["owner", "due_date", "not_applicable", "na_reason"]
        widgets = {"due_date": DateInput(), "na_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()

    def service_fields(self) -> dict:
        """The element's fields and the version this form showed (one form of many on a page)."""
        return {**super().service_fields(), "expected_version": self.cleaned_data.get("version")}


class StudyForm(StyledForm):
    characteristic = forms.CharField(label=_("Characteristic"), max_length=200)
    study_type = forms.ChoiceField(label=_("Index"), choices=StudyType.choices)
    value = forms.DecimalField(label=_("Value"), max_digits=6, decimal_places=3, min_value=0)


class SignForm(StyledForm):
    password = password_field()
    version = version_field()


class DispositionForm(StyledForm):
    disposition = forms.ChoiceField(label=_("Disposition"), choices=())
    comment = text_field(_("Comment"), max_length=limits.COMMENT, required=False)
    expires_on = forms.DateField(
        label=_("Interim approval until"), required=False, widget=DateInput()
    )
    quantity = forms.IntegerField(
        label=_("Interim approval: quantity"), required=False, min_value=1
    )
    nonconformities = text_field(_("Open nonconformities"), required=False)
    action_plan = text_field(_("Agreed action plan"), required=False)
    risk_assessment = text_field(_("Joint risk assessment (VDA 2)"), required=False)
    password = password_field()
    version = version_field()

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disposition"].choices = choices
        if not any(value == "approve_deviations" for value, _label in choices):
            del self.fields["risk_assessment"]


class ReasonForm(StyledForm):
    reason = text_field(_("Reason"), required=False)
