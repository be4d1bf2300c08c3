"""Forms of the rated scorecard: the period of a card, the settings, certificates and the
customer's own monthly scores."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledModelForm
from customers.models import Plant

from . import rating
from .dashboard import MonthField, PeriodForm, number
from .models import CustomerRating, RequiredCertificate, ScorecardSettings
from .rating_inputs import MONTH, QUARTER, ROLLING_12
from .rating_services import CERTIFICATE_FIELDS, CUSTOMER_RATING_FIELDS, SETTINGS_FIELDS

PERIOD_CHOICES = (
    (MONTH, _("Month")),
    (QUARTER, _("Quarter to the month")),
    (ROLLING_12, _("12 months to the month")),
)


class RatingPeriodForm(PeriodForm):
    period = forms.ChoiceField(
        choices=PERIOD_CHOICES, required=False, initial=MONTH, label=_("Period")
    )
    field_order = ["period", "month"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].help_text = ""


@dataclass(frozen=True)
class MetricRow:
    """One metric of the settings form, laid out as a table row."""

    spec: rating.MetricSpec
    enabled: forms.BoundField
    weight: forms.BoundField
    target: forms.BoundField
    limit: forms.BoundField
    default_target: str
    default_limit: str

    @property
    def errors(self) -> list:
        return [*self.enabled.errors, *self.weight.errors, *self.target.errors, *self.limit.errors]


class ScorecardSettingsForm(StyledModelForm):
    """``agreed`` are the targets agreed outside the scorecard (the customer's ppm targets): an
    empty target of those metrics means the agreed one."""

    class Meta:
        model = ScorecardSettings
        fields = SETTINGS_FIELDS

    def __init__(self, *args, agreed: dict[str, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.agreed = agreed
        for key, spec in rating.METRICS.items():
            target, limit = self._defaults(spec)
            self.fields[f"{key}_target"].widget.attrs["placeholder"] = target
            self.fields[f"{key}_limit"].widget.attrs["placeholder"] = limit
            for part in ("target", "limit"):
                self.fields[f"{key}_{part}"].widget.attrs["inputmode"] = "decimal"

    def _defaults(self, spec: rating.MetricSpec) -> tuple[str, str]:
        target = spec.target if spec.target is not None else self.agreed.get(spec.key)
        if target is None:
            return "", ""
        return number(target, 2 if spec.unit == "ppm" else 1), number(
            spec.default_limit(target), 2 if spec.unit == "ppm" else 1
        )

    def metric_rows(self) -> list[MetricRow]:
        rows = []
        for key, spec in rating.METRICS.items():
            default_target, default_limit = self._defaults(spec)
            rows.append(
                MetricRow(
                    spec,
                    self[f"{key}_enabled"],
                    self[f"{key}_weight"],
                    self[f"{key}_target"],
                    self[f"{key}_limit"],
                    default_target,
                    default_limit,
                )
            )
        return rows


class CertificateForm(StyledModelForm):
    class Meta:
        model = RequiredCertificate
        fields = CERTIFICATE_FIELDS
        widgets = {"valid_until": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plant = self.fields["plant"]
        plant.queryset = Plant.objects.filter(is_active=True).only("pk", "code", "name")
        plant.empty_label = _("Company-wide")


class CustomerRatingForm(StyledModelForm):
    month = MonthField(label=_("Month"))

    class Meta:
        model = CustomerRating
        fields = CUSTOMER_RATING_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].widget.attrs["inputmode"] = "decimal"
        self.fields["note"].help_text = _("For our staff only: where the score comes from.")
