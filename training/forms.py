"""The training register's forms: what a page asks for before calling a service."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.roles import INTERNAL_ROLES, Role
from core import limits
from core.forms import DateInput, StyledForm, text_field
from documents.models import Document, Revision, RevisionStatus

from .models import Level, QualificationKind, Skill


def _staff():
    return get_user_model().objects.filter(is_active=True, role__in=INTERNAL_ROLES)


STAFF_ROLES = [(value, label) for value, label in Role.choices if value in INTERNAL_ROLES]


class RequirementForm(StyledForm):
    person = forms.ModelChoiceField(queryset=_staff(), label=_("Person"), required=False)
    role = forms.ChoiceField(
        choices=[("", "---------"), *STAFF_ROLES],
        label=_("or everyone of the role"),
        required=False,
    )
    document = forms.ModelChoiceField(
        queryset=Document.objects.all(), label=_("Document"), required=False
    )
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.all(), label=_("or skill"), required=False
    )
    level = forms.TypedChoiceField(choices=Level.choices, coerce=int, label=_("Required level"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _staff()


class SkillForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)


class TrainingRecordForm(StyledForm):
    person = forms.ModelChoiceField(queryset=_staff(), label=_("Person"))
    revision = forms.ModelChoiceField(
        queryset=Revision.objects.none(), label=_("Document revision"), required=False
    )
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.all(), label=_("or skill"), required=False
    )
    trained_on = forms.DateField(label=_("Trained on"), widget=DateInput())
    trainer = forms.ModelChoiceField(queryset=_staff(), label=_("Trainer"), required=False)
    level = forms.TypedChoiceField(
        choices=Level.choices, coerce=int, label=_("Level reached"), initial=Level.TRAINED
    )
    evidence = text_field(_("Evidence"), required=False, max_length=limits.NOTE)
    upload = forms.FileField(label=_("Evidence file"), required=False)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("person", "trainer"):
            self.fields[name].queryset = _staff()
        self.fields["revision"].queryset = Revision.objects.filter(
            status__in=(RevisionStatus.EFFECTIVE, RevisionStatus.APPROVED)
        ).select_related("document")


class QualificationForm(StyledForm):
    person = forms.ModelChoiceField(queryset=_staff(), label=_("Person"))
    kind = forms.ChoiceField(choices=QualificationKind.choices, label=_("Qualification"))
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    evidence = text_field(_("Evidence"), required=False, max_length=limits.NOTE)
    upload = forms.FileField(label=_("Evidence file"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _staff()
