"""Forms of the customer's side of the 8D actions (``claims.customer_actions``).

They only shape the input: the rules (who, when, a comment on a decline) are the services'.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core import limits
from core.forms import DateInput, StyledForm, text_field

from .customer_actions import TITLE_MAX_LENGTH, VERDICTS
from .models import CustomerVerdict


class CustomerActionForm(StyledForm):
    """An action the customer asks of us in D3, D5 or D6."""

    title = forms.CharField(label=_("Action"), max_length=TITLE_MAX_LENGTH)
    description = text_field(
        _("Description"),
        required=False,
        help_text=_("What should be done, where, and how you will recognise it is done."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class VerdictForm(StyledForm):
    """Accept or decline one of our actions: the button pressed gives the verdict."""

    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=[(value, CustomerVerdict(value).label) for value in VERDICTS],
        widget=forms.HiddenInput,
    )
    comment = text_field(
        _("Comment"),
        max_length=limits.COMMENT,
        required=False,
        help_text=_("Optional when you accept; when you decline, say what you would accept."),
    )

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class ReviseForm(StyledForm):
    """Our revision of an action the customer declined."""

    title = forms.CharField(label=_("Action"), max_length=TITLE_MAX_LENGTH)
    description = text_field(_("Description"), required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    note = text_field(
        _("What changed"),
        max_length=limits.NOTE,
        help_text=_("Your answer to the customer's comment; they decide on the action again."),
    )

    @staticmethod
    def initial_for(link) -> dict:
        action = link.action
        return {
            "title": action.title,
            "description": action.description,
            "due_date": action.due_date,
        }

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)
