"""Forms of the user administration pages: search, invite, edit.

An administrator chooses the role and the company; a customer administrator does not see those
fields at all: the service gives their company's customer role (``services._scoped_membership``
refuses anything else).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from core.time_zones import TimeZoneChoiceField

from .models import User
from .roles import Role
from .selectors import COMPANY_ADMIN_FILTER

SEARCH_MAX_LENGTH = 100
STATUS_CHOICES = [("", _("All")), ("active", _("Active")), ("inactive", _("Deactivated"))]


def _customers():
    """Every company a user can belong to (the accounts app sees customers only through the FK)."""
    return User._meta.get_field("customer").related_model.objects.order_by("name")


def manages_all(actor) -> bool:
    return actor.has_capability("accounts.manage")


class UserSearchForm(StyledForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.SearchInput(attrs={"placeholder": _("Name or e-mail address")}),
    )
    role = forms.ChoiceField(label=_("Role"), required=False)
    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=None, required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        admin_choice = (COMPANY_ADMIN_FILTER, _("Customer administrator"))
        if manages_all(actor):
            self.fields["role"].choices = [("", _("All")), *Role.choices, admin_choice]
            self.fields["customer"].queryset = _customers()
        else:
            self.fields["role"].choices = [("", _("All")), admin_choice]
            del self.fields["customer"]

    def selection(self) -> dict:
        """The selector's arguments; an invalid field (a tampered query) filters nothing."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        status = data.get("status", "")
        return {
            "search": data.get("q", "").strip(),
            "role": data.get("role", ""),
            "customer": data.get("customer"),
            "active": {"active": True, "inactive": False}.get(status),
        }


class AccountForm(StyledForm):
    """What both forms share: the person, their preferences and their place."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    customer = forms.ModelChoiceField(
        label=_("Customer"),
        queryset=None,
        required=False,
        help_text=_("Required for customer users, empty for internal users."),
    )
    is_company_admin = forms.BooleanField(
        label=_("Customer administrator"),
        required=False,
        help_text=_("May invite, change and deactivate the users of their own company."),
    )

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        if manages_all(actor):
            self.fields["customer"].queryset = _customers()
        else:
            del self.fields["role"]
            del self.fields["customer"]


class UserInviteForm(AccountForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    field_order = ["email", "full_name", "job_title", "language", "role", "customer"]

    def __init__(self, *args, actor: User, **kwargs):
        kwargs.setdefault("initial", {"role": Role.CUSTOMER, "customer": actor.customer_id})
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class UserEditForm(AccountForm):
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    time_zone = TimeZoneChoiceField(label=_("Time zone"))
    field_order = ["full_name", "job_title", "phone", "language", "time_zone", "role"]

    def __init__(self, *args, actor: User, user: User, **kwargs):
        names = ("full_name", "job_title", "phone", "language", "time_zone", "role")
        initial = {name: getattr(user, name) for name in names}
        initial |= {"customer": user.customer_id, "is_company_admin": user.is_company_admin}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, actor=actor, **kwargs)
