from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import limits
from core.forms import DateInput, MultipleFileField, StyledForm, StyledModelForm, text_field
from core.tenancy import is_internal
from customers.models import Part
from customers.selectors import parts_active_on

from .models import Claim
from .services import FILED_FIELDS


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ClaimForm(StyledModelForm):
    """What the customer knows about a problem; our staff may also give the notification time."""

    files = MultipleFileField(
        label=_("Photos and files"),
        required=False,
        help_text=_("Select several files at once; all are stored or none."),
    )

    class Meta:
        model = Claim
        fields = ["part", *FILED_FIELDS]
        widgets = {
            "detection_date": DateInput(),
            "production_date": DateInput(),
            "notified_at": DateTimeInput(),
            "symptom": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"customer_contact": _("Name and e-mail of the person we should talk to.")}

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        parts = (
            Part.objects.visible_to(user)
            .select_related("customer")
            .filter(customer__is_active=True)
        )
        self.fields["part"].queryset = parts_active_on(parts, timezone.localdate())
        if is_internal(user) and not editing:
            self.fields["notified_at"].required = False
            self.fields["notified_at"].help_text = _("When the customer told us; empty = now.")
        else:
            del self.fields["notified_at"]
        if editing:
            del self.fields["files"]
            self.send_version()

    def service_fields(self) -> dict:
        """The claim's fields for the services; a new claim's files and customer too.

        The version is passed on its own.
        """
        data = super().service_fields()
        if "files" in data:  # a new claim: its customer is the part's
            data["uploads"] = data.pop("files")
            data["customer"] = data["part"].customer
        if data.get("notified_at") is None:
            data.pop("notified_at", None)
        return data


class ReasonForm(StyledForm):
    reason = text_field(_("Reason"))


class RejectResponsibilityForm(StyledForm):
    reason_code = forms.ChoiceField(label=_("Reason code"), choices=Claim.RejectionCode.choices)
    reason = text_field(_("Reason and evidence"), rows=3)


class AssignForm(StyledForm):
    engineer = forms.ModelChoiceField(
        label=_("Engineer"), queryset=None, required=False, empty_label=_("Unassigned")
    )

    def __init__(self, *args, engineers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engineer"].queryset = engineers


class ClassifyForm(StyledForm):
    defect_source = forms.ChoiceField(
        label=_("Defect source"),
        choices=[("", _("Not classified")), *Claim.DefectSource.choices],
        required=False,
    )


class CommentForm(StyledForm):
    body = text_field(_("Comment"), rows=3, max_length=limits.COMMENT)
    internal = forms.BooleanField(label=_("Internal (hidden from the customer)"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_internal(user):
            del self.fields["internal"]
