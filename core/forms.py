"""Form rendering shared by every page: Bootstrap classes, inline errors, labelled fields."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from . import limits


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


_CLASS_BY_WIDGET = {
    forms.CheckboxInput: "form-check-input",
    forms.RadioSelect: "form-check-input",
    forms.CheckboxSelectMultiple: "form-check-input",
    forms.Select: "form-select",
    forms.SelectMultiple: "form-select",
}


class StyledFormMixin:
    """Adds Bootstrap classes to widgets and marks invalid fields for assistive technology."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for kind, c in _CLASS_BY_WIDGET.items() if isinstance(widget, kind)),
                "form-control",
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or several files from one ``<input type="file" multiple>``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        if isinstance(data, list | tuple) or not data:
            # Nothing usable arrived: a required field says so instead of attaching "0 files".
            single(None, initial)
            return []
        return [single(data, initial)]


class AttachmentUploadForm(StyledForm):
    """Files for a record; type and size are checked by the service against the record's policy."""

    files = MultipleFileField(label=_("Files"))
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    internal_only = forms.BooleanField(
        label=_("Internal only (hidden from the customer)"), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not (user is not None and getattr(user, "is_internal", False)):
            del self.fields["internal_only"]


class ActionTransitionForm(StyledForm):
    """The inputs one action transition may need: a note, evidence or a reason."""

    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        max_length=limits.LONG_TEXT, label=_("What was done"), widget=forms.Textarea, required=False
    )
    evidence = forms.CharField(
        max_length=limits.LONG_TEXT, label=_("Evidence"), widget=forms.Textarea, required=False
    )
    effective = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Effective")), ("no", _("Not effective"))],
        coerce=lambda value: value == "yes",
        required=False,
    )
    reason = forms.CharField(
        max_length=limits.NOTE, label=_("Reason"), widget=forms.Textarea, required=False
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class ActionFilterForm(StyledForm):
    TABS = (
        ("open", _("Open")),
        ("overdue", _("Overdue")),
        ("done", _("Awaiting effectiveness check")),
        ("all", _("All")),
    )
    tab = forms.ChoiceField(choices=TABS, required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def cleaned_tab(self) -> str:
        return (self.cleaned_data.get("tab") if self.is_valid() else "") or "open"

    def cleaned_query(self) -> str:
        return (self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""
