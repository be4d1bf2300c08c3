"""The forms of the claim import pages: choose the customer, upload a file, map the columns."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import StyledForm
from customers.models import Customer

from . import imports


def customers_to_import_for(user):
    """Our staff import for any active customer; the choice is theirs to make first."""
    return Customer.objects.visible_to(user).active().order_by("name")


class ImportCustomerForm(StyledForm):
    """Staff only: whose claims the page imports, maps and lists (a GET form)."""

    customer = forms.ModelChoiceField(
        label=gettext_lazy("Customer"),
        queryset=Customer.objects.none(),
        empty_label=gettext_lazy("Choose the customer"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers_to_import_for(user)


class ClaimImportForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.json,.txt,text/csv,application/json"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_lazy(
            gettext_lazy(
                "CSV (UTF-8, comma or semicolon separated, the first line naming the columns) "
                "or JSON (a list of claims); at most {rows} claims and {size}."
            ),
            rows=imports.max_rows(),
            size=filesizeformat(imports.max_bytes()),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        imports.check_size(upload.size)
        return upload


class ClaimImportMappingForm(StyledForm):
    """One input per field: the header of the customer's column; empty means the field's name."""

    def __init__(self, *args, columns: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        required = imports.required_fields()
        for name in imports.IMPORTABLE_FIELDS:
            default = _("Empty: the column “%(name)s”.") % {"name": name}
            needed = _("Every claim needs it.") if name in required else ""
            self.fields[name] = forms.CharField(
                label=imports.field_label(name).capitalize(),
                required=False,
                max_length=imports.MAX_HEADER_LENGTH,
                help_text=f"{default} {needed}".strip(),
                # Added after StyledForm styled the declared fields: styled here.
                widget=forms.TextInput(
                    attrs={"class": "form-control", "placeholder": name, "autocomplete": "off"}
                ),
            )
            if columns.get(name, name) != name:
                self.initial[name] = columns[name]

    def columns(self) -> dict[str, str]:
        """The headers typed in; the fields left empty keep their default."""
        return {name: value for name, value in self.cleaned_data.items() if value.strip()}
