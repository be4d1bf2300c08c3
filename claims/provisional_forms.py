"""The forms of a provisional acceptance on the claim page (claims.provisional).

They post to the claim's transition route; the service checks what they send (the date, the
required texts) and a refusal comes back as a message, like the page's other transitions.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import limits
from core.forms import DateInput, StyledForm, text_field

from .provisional import MAX_DAYS_AHEAD


def posted_date(value) -> dt.date | None:
    """The date a page posted (``YYYY-MM-DD``, or as the locale writes it); None if none is."""
    try:
        return forms.DateField(required=False).clean(value)
    except forms.ValidationError:
        return None


class ProvisionalForm(StyledForm):
    """Its inputs' ids are the claim page's own: ``provisional-<field>``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "provisional-%s")
        super().__init__(*args, **kwargs)


class AcceptProvisionallyForm(ProvisionalForm):
    due_on = forms.DateField(
        label=_("Effectiveness evidence due"),
        widget=DateInput(),
        help_text=_("The day by which we prove the corrective actions effective."),
    )
    comment = text_field(_("Comment (optional)"), required=False, max_length=limits.COMMENT)

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate(timezone=ZoneInfo(claim.customer.time_zone))
        self.fields["due_on"].widget.attrs.update(
            min=(today + dt.timedelta(days=1)).isoformat(),
            max=(today + dt.timedelta(days=MAX_DAYS_AHEAD)).isoformat(),
        )


class EffectivenessEvidenceForm(ProvisionalForm):
    evidence = text_field(
        _("Effectiveness evidence"),
        rows=4,
        help_text=_(
            "What shows that the corrective actions work: lots and quantities checked, "
            "measurements, audit results. Add reports and photos under “Attachments” below: "
            "they go with the claim."
        ),
    )


class ConfirmEffectivenessForm(ProvisionalForm):
    comment = text_field(_("Comment (optional)"), required=False, max_length=limits.COMMENT)


class NotProvenForm(ProvisionalForm):
    reason = text_field(
        _("Why the effectiveness is not proven"),
        max_length=limits.COMMENT,
        help_text=_("Corrective action (D5) and everything after it go back to us."),
    )
