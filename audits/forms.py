"""Forms of the audit pages. Related-object choices are scoped to what the viewer may see."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core import limits
from core.forms import DateInput, StyledForm, text_field, version_field
from customers.models import Customer, Part

from . import selectors
from .catalogues import CSV_COLUMNS
from .models import Audit, AuditProgramme, Catalogue, Finding, Process

SHIFT_CHOICES = [(1, _("Shift 1")), (2, _("Shift 2")), (3, _("Shift 3"))]


class AuditForm(StyledForm):
    type = forms.ChoiceField(label=_("Type"), choices=Audit.Type.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=AuditProgramme.objects.all(), required=False
    )
    customer = forms.ModelChoiceField(
        label=_("Auditing customer"),
        queryset=Customer.objects.none(),
        required=False,
        help_text=_("Customer audits only."),
    )
    process = forms.ModelChoiceField(
        label=_("Process audited"), queryset=Process.objects.filter(is_active=True), required=False
    )
    part = forms.ModelChoiceField(
        label=_("Product audited"), queryset=Part.objects.none(), required=False
    )
    catalogue = forms.ModelChoiceField(
        label=_("Question catalogue"),
        queryset=Catalogue.objects.filter(is_active=True),
        required=False,
    )
    planned_date = forms.DateField(label=_("Planned date"), widget=DateInput)
    shifts_audited = forms.TypedMultipleChoiceField(
        label=_("Shifts audited"),
        choices=SHIFT_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    process_steps = text_field(
        _("Process steps"),
        rows=3,
        max_length=limits.LIST_TEXT,
        required=False,
        help_text=_("One per line; VDA 6.3 P6 questions are scored for each."),
    )
    lead_auditor = forms.ModelChoiceField(
        label=_("Lead auditor"), queryset=selectors.auditors(), required=False
    )
    team = forms.ModelMultipleChoiceField(
        label=_("Audit team"), queryset=selectors.auditors(), required=False
    )
    external_auditors = forms.CharField(
        label=_("External auditors"), max_length=300, required=False
    )
    scope = text_field(_("Scope"), rows=3, required=False)
    version = version_field()

    def __init__(self, *args, user=None, audit: Audit | None = None, **kwargs):
        """``audit``: the audit being re-planned; its type and customer stay as they are."""
        if audit is not None:
            kwargs.setdefault("initial", self.initial_of(audit))
        super().__init__(*args, **kwargs)
        self.editing = audit is not None
        self.fields["customer"].queryset = Customer.objects.visible_to(user)
        self.fields["part"].queryset = Part.objects.visible_to(user).select_related("customer")
        self.fields["lead_auditor"].queryset = selectors.auditors()
        self.fields["team"].queryset = selectors.auditors()
        self.fields["type"].disabled = self.fields["customer"].disabled = self.editing

    @classmethod
    def initial_of(cls, audit: Audit) -> dict:
        return {
            "type": audit.type,
            "title": audit.title,
            "programme": audit.programme_id,
            "customer": audit.customer_id,
            "process": audit.process_id,
            "part": audit.part_id,
            "catalogue": audit.catalogue_id,
            "planned_date": audit.planned_date,
            "shifts_audited": audit.shifts_audited,
            "process_steps": "\n".join(audit.process_steps),
            "lead_auditor": audit.lead_auditor_id,
            "team": [user.pk for user in audit.team.all()],
            "external_auditors": audit.external_auditors,
            "scope": audit.scope,
            "version": audit.version,
        }

    def service_fields(self) -> dict:
        """The audit's fields for the services; a re-planned audit keeps its type and customer."""
        data = super().service_fields()
        if self.editing:
            data.pop("type")
            data.pop("customer")
        return data


class ProgrammeForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    notes = text_field(_("Notes"), required=False)


class FindingForm(StyledForm):
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Finding.Classification.choices
    )
    description = text_field(_("Finding"), rows=3)
    requirement = forms.CharField(label=_("Requirement"), max_length=300, required=False)
    question = forms.IntegerField(widget=forms.HiddenInput, required=False)
    step = forms.CharField(widget=forms.HiddenInput, required=False)
    score = forms.TypedChoiceField(
        label=_("Score of the question"),
        choices=[("", "–"), *((s, s) for s in (0, 4, 6, 8, 10))],
        coerce=int,
        empty_value=None,
        required=False,
    )


class ResponseForm(StyledForm):
    containment = text_field(_("Containment"), required=False)
    correction = text_field(_("Correction"), required=False)
    root_cause = text_field(_("Root cause"), required=False)
    effectiveness = text_field(_("Effectiveness check"), required=False)


class FindingActionForm(StyledForm):
    title = forms.CharField(label=_("Corrective action"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=selectors.auditors())
    due_date = forms.DateField(label=_("Due date"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.auditors()


class CatalogueImportForm(StyledForm):
    FORMATS = [("json", _("JSON")), ("csv", _("CSV"))]

    file = forms.FileField(label=_("Catalogue file"))
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS)
    name = forms.CharField(label=_("Name (CSV only)"), max_length=200, required=False)
    version = forms.CharField(label=_("Version (CSV only)"), max_length=20, required=False)
    kind = forms.ChoiceField(
        label=_("Kind (CSV only)"), choices=[("", "–"), *Catalogue.Kind.choices], required=False
    )

    MAX_BYTES = 2 * 1024 * 1024
    CSV_HELP = ", ".join(CSV_COLUMNS)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("A catalogue file has at most 2 MB."))
        return upload


class CatalogueVersionForm(StyledForm):
    """A new version of a catalogue from its page, with its questions copied."""

    version = forms.CharField(label=_("New version"), max_length=20)
    notes = text_field(
        _("Notes"), max_length=limits.LONG_TEXT, required=False, help_text=_("What changed.")
    )

    def service_fields(self) -> dict:
        # "version" names the catalogue's new version here, not the record version that pages
        # post against lost updates (which the mixin leaves out).
        return dict(self.cleaned_data)
