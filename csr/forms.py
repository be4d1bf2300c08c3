"""Forms of the CSR register pages; every related-object choice is scoped to the viewer."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.roles import INTERNAL_ROLES
from core import limits
from core.forms import DateInput, StyledForm, text_field, version_field
from customers.models import Customer
from documents.models import Document

from .models import ClauseStatus


def staff():
    users = get_user_model().objects.filter(is_active=True, role__in=sorted(INTERNAL_ROLES))
    return users.order_by("full_name", "pk")


class CsrDocumentForm(StyledForm):
    customer = forms.ModelChoiceField(Customer.objects.none(), label=_("Customer"))
    title = forms.CharField(label=_("Title"), max_length=200)
    reference = forms.CharField(
        label=_("Reference"), max_length=80, help_text=_("The customer's document number.")
    )
    revision = forms.CharField(label=_("Revision"), max_length=20)
    issued_on = forms.DateField(label=_("Issue date"), widget=DateInput())
    owner = forms.ModelChoiceField(staff(), label=_("Owner"))
    upload = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).only("pk", "name")
        self.fields["owner"].queryset = staff()


CLAUSE_LINES_HELP = _(
    "Empty: the clauses of the current revision are copied. Else one clause a line: "
    "number | title | text."
)


class CsrReviseForm(StyledForm):
    revision = forms.CharField(label=_("Revision"), max_length=20)
    issued_on = forms.DateField(label=_("Issue date"), widget=DateInput())
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Empty: unchanged.")
    )
    clauses = text_field(_("Clauses"), rows=8, required=False, help_text=CLAUSE_LINES_HELP)
    upload = forms.FileField(label=_("File"), required=False)

    def clean_clauses(self):
        text = self.cleaned_data.get("clauses", "").strip()
        if not text:
            return None
        rows = []
        for line in text.splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|", 2)]
            if len(parts) != 3:
                raise forms.ValidationError(
                    _("Write each clause as number | title | text: %(line)s") % {"line": line}
                )
            rows.append({"number": parts[0], "title": parts[1], "text": parts[2]})
        return rows


class ClauseForm(StyledForm):
    number = forms.CharField(label=_("Clause"), max_length=30)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = text_field(_("Requirement"), rows=3)


class ClauseMappingForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=ClauseStatus.choices)
    fulfilled_by = forms.ModelChoiceField(
        Document.objects.none(), label=_("Fulfilled by document"), required=False
    )
    process = forms.CharField(label=_("Process"), max_length=200, required=False)
    owner = forms.ModelChoiceField(staff(), label=_("Owner"), required=False)
    not_applicable_reason = text_field(
        _("Reason not applicable"), max_length=limits.NOTE, required=False
    )
    version = version_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fulfilled_by"].queryset = Document.objects.visible_to(user).only(
            "pk", "number", "title"
        )
        self.fields["owner"].queryset = staff()
