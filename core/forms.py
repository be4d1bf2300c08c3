"""Form rendering shared by every page: Bootstrap classes, inline errors, labelled fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import limits
from .attachments import KNOWN_TYPES
from .errors import DomainError


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

    def service_fields(self) -> dict:
        """The cleaned input as a write service takes it; the version the page showed goes apart."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


def text_field(label, *, rows: int = 2, max_length: int = limits.LONG_TEXT, **kwargs):
    """A text of several lines: a textarea ``rows`` high, at most ``max_length`` characters."""
    widget = forms.Textarea(attrs={"rows": rows})
    return forms.CharField(label=label, max_length=max_length, widget=widget, **kwargs)


def version_field(**kwargs) -> forms.IntegerField:
    """The record's version the page showed: saving over someone else's change is refused."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, **kwargs)


def password_field(**kwargs) -> forms.CharField:
    """The user's password, typed again as their electronic signature."""
    kwargs.setdefault("label", _("Your password (electronic signature)"))
    kwargs.setdefault("widget", forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    kwargs.setdefault("strip", False)
    return forms.CharField(**kwargs)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its fields where it names them."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal on the form: on the field it names, else above the fields."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    def send_version(self) -> None:
        """Post the edited record's version with the form (``version``, hidden).

        Saving over someone else's change since this page was shown is then refused.
        """
        self.fields["version"] = version_field(initial=self.instance.version)


class DateInput(forms.DateInput):
    """The browser's date picker, given its value in the one format it reads."""

    input_type = "date"
    value_format = "%Y-%m-%d"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=self.value_format)


def date_inputs(*names: str) -> dict:
    """Date pickers for the fields ``names``: part of a ModelForm's ``Meta.widgets``."""
    return dict.fromkeys(names, DateInput())


def text_areas(*names: str, rows: int = 2) -> dict:
    """Textareas ``rows`` high for the fields ``names``: part of a ModelForm's ``Meta.widgets``.

    One widget serves them all: every form field works on its own copy.
    """
    return dict.fromkeys(names, forms.Textarea(attrs={"rows": rows}))


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


def policy_hint(policy) -> str:
    """What an upload accepts under ``policy``, in words: the file types and the size limit."""
    return _("Allowed: %(types)s; at most %(size)s per file.") % {
        "types": ", ".join(type_labels(policy.allowed_types)),
        "size": filesizeformat(policy.max_bytes),
    }


def type_labels(types) -> list[str]:
    """The names people know file types by (a type without one as it is)."""
    return [str(KNOWN_TYPES[kind][0]) if kind in KNOWN_TYPES else kind for kind in types]


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
    note = text_field(_("What was done"), rows=10, required=False)
    evidence = text_field(_("Evidence"), rows=10, required=False)
    effective = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Effective")), ("no", _("Not effective"))],
        coerce=lambda value: value == "yes",
        required=False,
    )
    reason = text_field(_("Reason"), rows=10, max_length=limits.NOTE, required=False)
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
