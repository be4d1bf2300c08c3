from __future__ import annotations

from collections import defaultdict
from functools import cache

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm, StyledFormMixin

from .models import ApiToken, User
from .services import available_time_zones

_TIME_ZONE_AREAS = {
    "Europe": _("Europe"),
    "America": _("America"),
    "Asia": _("Asia"),
    "Africa": _("Africa"),
    "Australia": _("Australia"),
    "Pacific": _("Pacific"),
    "Atlantic": _("Atlantic"),
    "Indian": _("Indian Ocean"),
}


@cache
def _grouped_time_zones() -> tuple:
    by_area = defaultdict(list)
    for zone in sorted(available_time_zones()):
        area, _sep, place = zone.partition("/")
        if area in _TIME_ZONE_AREAS and place:
            by_area[area].append((zone, place.replace("_", " ").replace("/", " – ")))
    return tuple((area, tuple(by_area[area])) for area in _TIME_ZONE_AREAS if by_area[area])


def time_zone_choices(current: str | None = None) -> list:
    """UTC and the zones of every inhabited region, grouped by region (plus ``current`` if rare)."""
    choices = [("UTC", "UTC")]
    choices += [(_TIME_ZONE_AREAS[area], list(zones)) for area, zones in _grouped_time_zones()]
    offered = {"UTC"} | {zone for _area, zones in _grouped_time_zones() for zone, _ in zones}
    if current and current not in offered:
        choices.insert(0, (current, current))
    return choices


class LoginForm(StyledFormMixin, auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or password is not correct. Please check both and try again."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"].widget
        username.input_type = "email"
        username.attrs["autocomplete"] = "email"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(StyledFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordResetForm(StyledFormMixin, auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # The link goes to the account's owner: write to them in their own language.
        with translation.override(context["user"].language or settings.LANGUAGE_CODE):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class ProfileForm(StyledForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Dates and times are shown in this zone."),
    )

    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault("initial", {name: getattr(user, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(user.time_zone)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["phone"].widget.input_type = "tel"


class TokenCreateForm(StyledForm):
    name = forms.CharField(
        label=_("Token name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What the token is for, e.g. “ERP interface” or “Claims export script”."),
    )
