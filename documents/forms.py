"""Forms of the document pages; every related-object choice is scoped to the viewer."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.roles import INTERNAL_ROLES
from core import limits
from core.forms import DateInput, StyledForm, StyledModelForm, password_field, text_field
from customers.models import Customer, Part, Plant

from .models import Document, Review
from .services import EDITABLE_FIELDS, MAX_REVIEWERS


def staff():
    return get_user_model().objects.filter(is_active=True, role__in=sorted(INTERNAL_ROLES))


class DocumentForm(StyledModelForm):
    """What a document is, whom it is for and what it covers; a new one may bring its number."""

    number = forms.CharField(
        label=_("Number"),
        max_length=40,
        required=False,
        help_text=_("Empty: the next DOC number is given."),
    )
    field_order = ["number", "kind", "title", "owner", "customer", "plant", "parts", "process"]

    class Meta:
        model = Document
        fields = ["parts", *EDITABLE_FIELDS]
        widgets = {"next_review_on": DateInput()}

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).only("pk", "name")
        self.fields["customer"].empty_label = _("Internal (no customer)")
        self.fields["customer"].help_text = _(
            "Released to this customer: their users read its approved and effective revisions."
        )
        self.fields["plant"].queryset = Plant.objects.visible_to(user).order_by("code")
        self.fields["parts"].queryset = (
            Part.objects.visible_to(user).select_related("customer").order_by("part_number")
        )
        self.fields["owner"].queryset = staff()
        self.fields["owner"].required = False
        self.fields["owner"].help_text = _("Empty: you.")
        self.fields["next_review_on"].required = False
        self.fields["next_review_on"].help_text = _("Empty: the default review interval.")
        if editing:
            del self.fields["number"]
            self.send_version()

    def clean(self):
        data = super().clean()
        customer = data.get("customer")
        parts = list(data.get("parts") or [])
        if customer is not None and any(part.customer_id != customer.pk for part in parts):
            self.add_error("parts", _("Choose the customer's own parts."))
        return data

    def service_fields(self) -> dict:
        data = super().service_fields()
        if data.get("owner") is None:
            data.pop("owner", None)
        if data.get("next_review_on") is None:
            data.pop("next_review_on", None)
        return data


class RevisionForm(StyledForm):
    """A draft revision: what changed, when it is to take effect, its reviewers and its file."""

    change_description = text_field(_("What changed"), rows=3, max_length=limits.NOTE)
    effective_on = forms.DateField(
        label=_("Effective from"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty or past: the day it is approved."),
    )
    reviewers = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Reviewers"),
        required=False,
        help_text=_("At most %(count)s of our staff, not the author.") % {"count": MAX_REVIEWERS},
    )
    upload = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = staff().order_by("full_name")


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Review.Decision.APPROVED, _("Approve")),
            (Review.Decision.COMMENTS, _("Comments: return to the author")),
        ],
        widget=forms.RadioSelect,
    )
    comment = text_field(_("Comment"), required=False, max_length=limits.COMMENT)


class ApproveForm(StyledForm):
    comment = text_field(_("Comment (optional)"), required=False, max_length=limits.COMMENT)
    password = password_field()


class ReasonForm(StyledForm):
    reason = text_field(_("Reason"), max_length=limits.COMMENT)


class LinkForm(StyledForm):
    """A revision named from another record (an 8D's D7, a change)."""

    revision = forms.ModelChoiceField(queryset=None, label=_("Document revision"))

    def __init__(self, *args, revisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].queryset = revisions
        self.fields["revision"].label_from_instance = _revision_label


def _revision_label(revision) -> str:
    return _("%(number)s rev. %(letter)s · %(title)s (%(status)s)") % {
        "number": revision.document.number,
        "letter": revision.letter,
        "title": revision.document.title[:60],
        "status": revision.get_status_display(),
    }
