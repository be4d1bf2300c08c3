"""Forms of the deviation pages. Every related-object choice is scoped to what the user may see."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.roles import INTERNAL_ROLES
from claims.selectors import visible_claims
from core import limits
from core.forms import DateInput, StyledForm, StyledModelForm, password_field, text_field
from customers.models import Part

from ..models import ChangeRequest, Deviation
from .services import EDITABLE_FIELDS


def visible(model, user):
    manager = model._default_manager
    return manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()


class DeviationForm(StyledModelForm):
    """What we state about a deviation; the customer follows from the affected parts."""

    field_order = ["kind", "title", "parts"]

    class Meta:
        model = Deviation
        fields = ["parts", *EDITABLE_FIELDS]
        widgets = {
            "expires_on": DateInput(),
            "lots": forms.Textarea(attrs={"rows": 2}),
            "specification": forms.Textarea(attrs={"rows": 3}),
            "actual": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "risk_assessment": forms.Textarea(attrs={"rows": 3}),
            "identification": forms.Textarea(attrs={"rows": 2}),
            "internal_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["parts"].queryset = (
            Part.objects.visible_to(user).select_related("customer").order_by("part_number")
        )
        self.fields["parts"].help_text = _("All parts must belong to one customer.")
        self.fields["originating_claim"].queryset = visible_claims(user)
        self.fields["change_request"].queryset = visible(ChangeRequest, user)
        self.fields["owner"].queryset = get_user_model().objects.filter(
            is_active=True, role__in=INTERNAL_ROLES
        )
        self.fields["owner"].required = False
        self.fields["owner"].help_text = _("Receives the warnings; empty = you.")
        if editing:
            self.send_version()

    def clean(self):
        data = super().clean()
        parts = list(data.get("parts") or [])
        if len({part.customer_id for part in parts}) > 1:
            self.add_error("parts", _("All parts must belong to one customer."))
        claim = data.get("originating_claim")
        if parts and claim is not None and claim.customer_id != parts[0].customer_id:
            self.add_error("originating_claim", _("Choose a claim of the same customer."))
        return data

    def customer(self):
        return self.cleaned_data["parts"][0].customer

    def service_fields(self) -> dict:
        """The deviation's fields for the services; a new one's customer too (see ``customer``)."""
        data = super().service_fields()
        if not self.editing:
            data["customer"] = self.customer()
        if data.get("owner") is None:
            data.pop("owner", None)  # empty: the author owns a new one, an edit keeps its owner
        return data


class ReasonForm(StyledForm):
    reason = text_field(_("Reason"))


class ApproveForm(StyledForm):
    """The customer's approval, signed with their password; the limits may only be narrowed."""

    authorisation = forms.CharField(
        label=_("Customer authorisation number"), required=False, max_length=100
    )
    quantity_cap = forms.IntegerField(
        label=_("Quantity cap"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to accept the requested cap; you may only lower it."),
    )
    expires_on = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to accept the requested date; you may only bring it forward."),
    )
    comment = text_field(_("Comment (optional)"), max_length=limits.COMMENT, required=False)
    password = password_field()


class RejectForm(ReasonForm):
    password = password_field()


class ShipmentForm(StyledForm):
    shipped_on = forms.DateField(label=_("Shipped on"), widget=DateInput())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    lot = forms.CharField(label=_("Lot / batch"), required=False, max_length=100)
    shipping_reference = forms.CharField(
        label=_("Delivery note / shipping reference"), max_length=100
    )
    note = text_field(_("Note"), rows=1, required=False)
