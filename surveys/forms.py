"""Forms of the survey pages. Related-object choices are scoped to what the viewer may see."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledForm, text_field
from customers.models import Customer

from .models import SCALE_MAX, SCALE_MIN, TEXT_ANSWER_MAX, SurveyTemplate


class CampaignForm(StyledForm):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    template = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=SurveyTemplate.objects.filter(is_active=True)
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Left empty: “Customer satisfaction” with the quarter it opens in."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput)
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=DateInput,
        help_text=_("The last day on which answers can be given or changed."),
    )
    reminder_after_days = forms.IntegerField(
        label=_("Remind after (days)"), min_value=1, max_value=90, initial=7
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).active()
        self.fields["template"].queryset = SurveyTemplate.objects.filter(is_active=True)


class ScheduleForm(StyledForm):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    template = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=SurveyTemplate.objects.filter(is_active=True)
    )
    next_on = forms.DateField(label=_("Next campaign opens on"), widget=DateInput)
    every_months = forms.IntegerField(
        label=_("Every (months)"), min_value=1, max_value=24, initial=3
    )
    open_days = forms.IntegerField(
        label=_("Open for (days)"), min_value=1, max_value=90, initial=28
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).active()
        self.fields["template"].queryset = SurveyTemplate.objects.filter(is_active=True)


RATING_CHOICES = [(value, str(value)) for value in range(SCALE_MIN, SCALE_MAX + 1)]


class RatingForm(StyledForm):
    speed = forms.TypedChoiceField(
        label=_("Speed of the 8D"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    analysis = forms.TypedChoiceField(
        label=_("Quality of the analysis"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    communication = forms.TypedChoiceField(
        label=_("Communication"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = text_field(_("Comment"), rows=3, max_length=TEXT_ANSWER_MAX, required=False)
