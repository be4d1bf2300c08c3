from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm


class CodeForm(StyledForm):
    """One code: from the authenticator app, or (where allowed) a backup code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your backup codes."
        ),
    )

    def __init__(self, *args, backup_codes_allowed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        widget = self.fields["code"].widget
        widget.attrs.update(autocomplete="one-time-code", autocapitalize="none", spellcheck="false")
        if not backup_codes_allowed:
            self.fields["code"].help_text = _("The 6-digit code your authenticator app shows now.")
            widget.attrs["inputmode"] = "numeric"

    def set_error(self, message: str) -> None:
        self.add_error("code", message)
