"""Forms of the special status pages; every related-object choice is scoped to the viewer."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import INTERNAL_ROLES
from core import limits
from core.forms import DateInput, StyledForm, StyledModelForm, password_field, text_field
from customers.models import Customer, Part, Plant

from .models import SpecialStatus
from .services import EDITABLE_FIELDS, MAX_CRITERIA


class SpecialStatusForm(StyledModelForm):
    """What the customer told us; a new status names its customer and its exit criteria too."""

    criteria = text_field(
        _("Exit criteria"),
        rows=4,
        max_length=limits.LIST_TEXT,
        required=False,
        help_text=_("One criterion a line, e.g. “0 rejects for 30 consecutive production days”."),
    )
    field_order = ["customer", "kind", "started_on", "customer_reference", "reason"]

    class Meta:
        model = SpecialStatus
        fields = ["customer", "parts", "plants", *EDITABLE_FIELDS]
        widgets = {
            "started_on": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["customer"].queryset = Customer.objects.visible_to(user).only("pk", "name")
        self.fields["parts"].queryset = (
            Part.objects.visible_to(user).select_related("customer").order_by("part_number")
        )
        self.fields["parts"].help_text = _("Only parts of the customer; none: all of them.")
        self.fields["plants"].queryset = Plant.objects.visible_to(user).order_by("code")
        self.fields["owner"].queryset = get_user_model().objects.filter(
            is_active=True, role__in=INTERNAL_ROLES
        )
        self.fields["owner"].required = False
        self.fields["owner"].help_text = _("Drives the exit criteria; empty = you.")
        if editing:
            del self.fields["customer"], self.fields["criteria"]
            self.send_version()
        else:
            self.fields["started_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        customer = data.get("customer") if not self.editing else self.instance.customer
        parts = list(data.get("parts") or [])
        if customer is not None and any(part.customer_id != customer.pk for part in parts):
            self.add_error("parts", _("Choose the customer's own parts."))
        return data

    def clean_criteria(self):
        texts = [line.strip() for line in self.cleaned_data["criteria"].splitlines()]
        texts = [text for text in texts if text]
        if len(texts) > MAX_CRITERIA:
            raise forms.ValidationError(
                _("A special status has at most %(count)s exit criteria."),
                params={"count": MAX_CRITERIA},
            )
        if any(len(text) > limits.NOTE for text in texts):
            raise forms.ValidationError(
                _("An exit criterion has at most %(count)s characters."),
                params={"count": limits.NOTE},
            )
        return texts

    def service_fields(self) -> dict:
        data = super().service_fields()
        if data.get("owner") is None:
            data.pop("owner", None)  # empty: the author is responsible, an edit keeps its owner
        return data


class CriterionForm(StyledForm):
    text = text_field(_("Exit criterion"), max_length=limits.NOTE)


class MeetForm(StyledForm):
    met_on = forms.DateField(label=_("Met on"), widget=DateInput())
    evidence = text_field(
        _("Evidence"), help_text=_("What shows it, e.g. the inspection records of the period.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["met_on"].initial = timezone.localdate()


class ReasonForm(StyledForm):
    reason = text_field(_("Reason"), max_length=limits.COMMENT)


class CostsForm(StyledForm):
    inspection_hours = forms.DecimalField(
        label=_("Inspection hours"), min_value=0, max_digits=10, decimal_places=2
    )
    hourly_rate = forms.DecimalField(
        label=_("Hourly rate"), min_value=0, max_digits=12, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)


class SignForm(StyledForm):
    """The customer's signed exit; our managers also name the customer's written confirmation."""

    closing_note = text_field(_("Closing note (optional)"), required=False)
    confirmation = forms.ModelChoiceField(
        queryset=None,
        label=_("The customer's written confirmation"),
        required=False,
        empty_label=_("Choose the attached letter or e-mail"),
        help_text=_("Attach it to the status under “Attachments” first."),
    )
    password = password_field()

    def __init__(self, *args, files=None, on_behalf=False, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:
            self.fields["confirmation"].queryset = files
            self.fields["confirmation"].required = True
        else:
            del self.fields["confirmation"]


class DeclineForm(StyledForm):
    reason = text_field(_("Why the exit is declined"), max_length=limits.COMMENT)
