from __future__ import annotations

from functools import partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import limits
from core.forms import DateInput, MultipleFileField, StyledForm, StyledModelForm, text_field
from core.tenancy import is_internal
from customers.models import Part
from customers.selectors import parts_active_on

from .models import Claim
from .services import FILED_FIELDS


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ClaimForm(StyledModelForm):
    """What the customer knows about a problem.

    Our staff may also give the notification time and the quantity charged to ppm.
    """

    files = MultipleFileField(
        label=_("Photos and files"),
        required=False,
        help_text=_("Select several files at once; all are stored or none."),
    )

    class Meta:
        model = Claim
        fields = ["part", *FILED_FIELDS]
        widgets = {
            "detection_date": DateInput(),
            "production_date": DateInput(),
            "notified_at": DateTimeInput(),
            "symptom": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"customer_contact": _("Name and e-mail of the person we should talk to.")}

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        internal = is_internal(user)
        self._offer_parts(user, internal)
        if internal and not editing:
            self.fields["notified_at"].required = False
            self.fields["notified_at"].help_text = _("When the customer told us; empty = now.")
        else:
            del self.fields["notified_at"]
        self._ask_charged_quantity_of_staff_only(internal, editing)
        if editing:
            del self.fields["files"]
            self.send_version()
        elif not internal and not self.is_bound:
            # The filer is usually the person we should talk to; they may name someone else.
            self.initial["customer_contact"] = contact_of(user)

    def _offer_parts(self, user, internal: bool) -> None:
        """The parts the user may claim, by the customer's own number; ours follows."""
        parts = (
            Part.objects.visible_to(user)
            .select_related("customer")
            .filter(customer__is_active=True)
        )
        order = ("customer_part_number", "revision", "part_number")
        if internal:
            order = ("customer__name", *order)
        field = self.fields["part"]
        field.queryset = parts_active_on(parts, timezone.localdate()).order_by(*order)
        field.label_from_instance = partial(part_choice_label, with_customer=internal)
        if not internal:
            field.help_text = _("Type the first characters of your part number to jump to it.")

    def _ask_charged_quantity_of_staff_only(self, internal: bool, editing: bool) -> None:
        # How many parts count in ppm is our decision: the service takes the nonconforming
        # quantity unless our staff say otherwise.
        if not internal:
            del self.fields["ppm_qty"]
            return
        field = self.fields["ppm_qty"]
        field.required = False
        field.help_text = _("Empty: the nonconforming quantity.")
        if not editing:
            self.initial.pop("ppm_qty", None)

    def service_fields(self) -> dict:
        """The claim's fields for the services; a new claim's files and customer too.

        The version is passed on its own.
        """
        data = super().service_fields()
        if "files" in data:  # a new claim: its customer is the part's
            data["uploads"] = data.pop("files")
            data["customer"] = data["part"].customer
        for optional in ("notified_at", "ppm_qty"):
            if data.get(optional) is None:
                data.pop(optional, None)
        return data


def part_choice_label(part: Part, *, with_customer: bool = False) -> str:
    """A part as the customer knows it (their number first), then our number."""
    label = _("%(customer_number)s rev. %(revision)s – %(description)s (our no. %(number)s)") % {
        "customer_number": part.customer_part_number,
        "revision": part.revision,
        "description": part.description,
        "number": part.part_number,
    }
    return f"{part.customer.name}: {label}" if with_customer else label


def contact_of(user) -> str:
    """How to reach ``user``: name, e-mail and phone as one line."""
    contact = f"{user.full_name} <{user.email}>" if user.full_name else user.email
    if user.phone:
        contact = f"{contact}, {user.phone}"
    return contact[: Claim._meta.get_field("customer_contact").max_length]


class ReasonForm(StyledForm):
    reason = text_field(_("Reason"))


class RejectResponsibilityForm(StyledForm):
    reason_code = forms.ChoiceField(label=_("Reason code"), choices=Claim.RejectionCode.choices)
    reason = text_field(_("Reason and evidence"), rows=3)


class AssignForm(StyledForm):
    engineer = forms.ModelChoiceField(
        label=_("Engineer"), queryset=None, required=False, empty_label=_("Unassigned")
    )

    def __init__(self, *args, engineers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engineer"].queryset = engineers


class ClassifyForm(StyledForm):
    defect_source = forms.ChoiceField(
        label=_("Defect source"),
        choices=[("", _("Not classified")), *Claim.DefectSource.choices],
        required=False,
    )


class CommentForm(StyledForm):
    body = text_field(_("Comment"), rows=3, max_length=limits.COMMENT)
    internal = forms.BooleanField(label=_("Internal (hidden from the customer)"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_internal(user):
            del self.fields["internal"]
