from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.attachments import type_choices
from core.forms import DateInput, StyledForm, StyledModelForm

from .imports import MAX_BYTES, MAX_ROWS
from .models import Contact, Customer, CustomerRequirements, Holiday, Part, Plant
from .services import (
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    PART_FIELDS,
    PLANT_FIELDS,
    REQUIREMENTS_FIELDS,
)


class CustomerSearchForm(StyledForm):
    STATUS_CHOICES = [("", _("All")), ("active", _("Active")), ("inactive", _("Inactive"))]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, code or supplier number")}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)


class CheckboxList(forms.CheckboxSelectMultiple):
    """Bootstrap check boxes in columns; the wrapper must not get the checkbox class."""

    template_name = "customers/widgets/checkbox_list.html"


class CustomerForm(StyledModelForm):
    class Meta:
        model = Customer
        fields = CUSTOMER_FIELDS
        widgets = {"responsible_engineers": CheckboxList}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Our active staff; a past choice who has since left is dropped when the form is saved.
        field = self.fields["responsible_engineers"]
        field.queryset = field.queryset.filter(is_active=True).order_by("full_name", "email")


class ContactForm(StyledModelForm):
    class Meta:
        model = Contact
        fields = CONTACT_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class RequirementsForm(StyledModelForm):
    STEP_LABELS = {"d6": "D5–D6"}

    allowed_attachment_types = forms.MultipleChoiceField(
        label=_("Allowed attachment types"),
        choices=type_choices,
        widget=CheckboxList,
        error_messages={"required": _("Choose at least one file type.")},
        help_text=_("Files are checked by their content, not by their name."),
    )

    class Meta:
        model = CustomerRequirements
        fields = REQUIREMENTS_FIELDS
        widgets = {"report_recipients": forms.Textarea(attrs={"rows": 3})}

    def deadline_rows(self):
        """(label, days field, basis field) per 8D step, for a compact table layout."""
        return [
            (self.STEP_LABELS.get(step, step.upper()), self[f"{step}_days"], self[f"{step}_basis"])
            for step in CustomerRequirements.STEPS
        ]


class HolidayForm(StyledModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "name"]
        widgets = {"date": DateInput}


class PlantForm(StyledModelForm):
    class Meta:
        model = Plant
        fields = PLANT_FIELDS


class PartForm(StyledModelForm):
    class Meta:
        model = Part
        fields = PART_FIELDS
        widgets = {"active_from": DateInput, "active_to": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only active customers and plants, plus the part's current ones so an edit can keep them.
        current = self.instance
        self.fields["customer"].queryset = Customer.objects.filter(
            Q(is_active=True) | Q(pk=current.customer_id)
        )
        self.fields["plant"].queryset = Plant.objects.filter(
            Q(is_active=True) | Q(pk=current.plant_id)
        )


class PartAttachmentForm(StyledForm):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(
        label=_("Description"),
        max_length=255,
        required=False,
        help_text=_("For example “Drawing rev. C” or “Material specification”."),
    )


class PartImportForm(StyledForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=format_lazy(
            _(
                "UTF-8, comma or semicolon separated, first line with the column names; "
                "at most {rows} rows and {mb} MB."
            ),
            rows=MAX_ROWS,
            mb=MAX_BYTES // (1024 * 1024),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
