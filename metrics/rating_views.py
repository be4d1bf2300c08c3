"""Pages of the rated scorecard (REFERENCE §6): the card of a customer and period, its settings,
the certificates it requires and the customer's own monthly scores.

Staff (``metrics.view``) see every customer's card; a customer user sees their own company's, in
the portal, and another company's is a 404 like a missing one. Settings, certificates and the
customer's scores are changed by managers (``scorecard.manage``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import data_version
from core.charts import line_chart_svg, page_svg
from core.history import timeline
from core.pages import FormPage, fresh
from core.routes import Routes
from customers.models import Customer
from customers.permissions import capability_required, has

from . import rating, rating_inputs, rating_services
from .dashboard import last_complete_month, number
from .models import CustomerRating, RequiredCertificate, ScorecardSettings
from .rating_forms import (
    CertificateForm,
    CustomerRatingForm,
    RatingPeriodForm,
    ScorecardSettingsForm,
)
from .rating_inputs import MONTH, band_label

METRICS_VIEW = "metrics.view"
PORTAL_USE = "portal.use"
MANAGE = rating_services.SCORECARD_MANAGE
DECIMALS = {"ppm": 2, "%": 1, "h": 1}
routes = Routes()

SETTINGS_FORM = FormPage("metrics/rating_settings.html", "customer", versioned=False)
CERTIFICATE_FORM = FormPage(
    "metrics/rating_certificate_form.html",
    "certificate",
    versioned=False,
    created=lambda certificate: _("Certificate “%s” added.") % certificate,
    saved=lambda certificate: _("Certificate “%s” saved.") % certificate,
)
CUSTOMER_RATING_FORM = FormPage(
    "metrics/rating_customer_score_form.html",
    "customer_rating",
    versioned=False,
    created=lambda record: _("The customer's score of %s is recorded.") % f"{record.month:%Y-%m}",
    saved=lambda record: _("The customer's score of %s is saved.") % f"{record.month:%Y-%m}",
)


def _customer(request, pk: int) -> Customer:
    """The customer ``pk`` if the user may see it: another company's is a 404."""
    customers = Customer.objects.visible_to(request.user).select_related(
        "requirements", "scorecard_settings"
    )
    return get_object_or_404(customers, pk=pk)


# --- presentation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineRow:
    """One metric of the card, formatted for the viewer."""

    line: rating.MetricLine

    @property
    def spec(self) -> rating.MetricSpec:
        return self.line.spec

    def _number(self, value, decimals: int | None = None) -> str:
        if value is None:
            return _("n/a")
        decimals = DECIMALS[self.spec.unit] if decimals is None else decimals
        return f"{number(value, decimals)} {self.spec.unit}"

    @property
    def value(self) -> str:
        return self._number(self.line.value)

    @property
    def target(self) -> str:
        relation = "≤" if self.spec.better == rating.LOWER else "≥"
        return f"{relation} {self._number(self.line.target)}"

    @property
    def limit(self) -> str:
        return self._number(self.line.limit)

    @property
    def score(self) -> str:
        return number(self.line.score, 2) if self.line.score is not None else _("n/a")

    @property
    def better(self) -> str:
        return _("lower is better") if self.spec.better == rating.LOWER else _("higher is better")


def trend_chart(card: rating_inputs.Scorecard) -> dict:
    title = _("Total per month")
    labels = [f"{point.month:%Y-%m}" for point in card.trend]
    series = {_("Our total"): [point.total for point in card.trend]}
    if any(point.customer_rating for point in card.trend):
        series[_("The customer's score")] = [
            point.customer_rating.score if point.customer_rating else None for point in card.trend
        ]
    svg = line_chart_svg(labels, series, title=title, target=card.settings.green_from)
    return {"key": "rating-trend", "title": title, "svg": page_svg(svg, title)}


def card_context(card: rating_inputs.Scorecard, *, staff: bool) -> dict:
    settings = card.settings
    rated = {line.key for line in card.rating.lines}
    return {
        "card": card,
        "rows": [LineRow(line) for line in card.rating.lines],
        "not_rated": [spec.label for key, spec in rating.METRICS.items() if key not in rated],
        "total": number(card.rating.total, 1),
        "band": card.rating.band,
        "band_label": band_label(card.rating.band),
        "score_band_label": band_label(card.rating.score_band),
        "green_from": number(settings.green_from, 1),
        "yellow_from": number(settings.yellow_from, 1),
        "green_from_raw": str(settings.green_from),
        "yellow_from_raw": str(settings.yellow_from),
        "trend_rows": [
            {
                "point": point,
                "total": number(point.total, 1),
                "band_label": band_label(point.band),
                "customer_band_label": band_label(point.customer_rating.band)
                if point.customer_rating
                else "",
            }
            for point in reversed(card.trend)
        ],
        "chart": trend_chart(card),
        "customer_rating": card.customer_rating,
        "customer_band_label": band_label(card.customer_rating.band)
        if card.customer_rating
        else "",
        "show_note": staff,
    }


# --- the card ------------------------------------------------------------------------------------


@routes("rating/")
@login_required
@require_GET
def rating_overview(request):
    """Customer users go to their own card; staff see every customer's month at a glance."""
    user = request.user
    if has(user, PORTAL_USE) and user.customer_id:
        return redirect("metrics:rating-card", pk=user.customer_id)
    if not has(user, METRICS_VIEW):
        raise HttpForbidden
    month = last_complete_month()
    customers = (
        Customer.objects.visible_to(user)
        .active()
        .select_related("requirements", "scorecard_settings")
    )
    rows = data_version.cached(
        "rating-overview",
        (month, *sorted(customer.pk for customer in customers)),
        lambda: [_overview_row(customer, month) for customer in customers],
    )
    return render(request, "metrics/rating_overview.html", {"rows": rows, "month": month})


def _overview_row(customer, month) -> dict:
    card = rating_inputs.month_rating(customer, month)
    return {
        "customer": customer,
        "total": number(card.rating.total, 1),
        "band": card.rating.band,
        "band_label": band_label(card.rating.band),
        "overrides": len(card.rating.overrides),
        "customer_rating": card.customer_rating,
        "customer_band_label": band_label(card.customer_rating.band)
        if card.customer_rating
        else "",
    }


@routes("rating/<int:pk>/")
@login_required
@require_GET
def rating_card(request, pk):
    user = request.user
    staff = has(user, METRICS_VIEW)
    if not (staff or has(user, PORTAL_USE)):
        raise HttpForbidden
    customer = _customer(request, pk)
    form = RatingPeriodForm(request.GET or None)
    form.is_valid()
    period = form.value("period", MONTH) or MONTH
    card = rating_inputs.scorecard(customer, period, form.value("month", last_complete_month()))
    context = {
        "customer": customer,
        "form": form,
        "staff": staff,
        "can_manage": has(user, MANAGE),
        **card_context(card, staff=staff),
    }
    return render(request, "metrics/rating_card.html", context)


# --- settings ------------------------------------------------------------------------------------


@routes("rating/<int:pk>/settings/")
@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def rating_settings(request, pk):
    customer = _customer(request, pk)
    settings = rating_inputs.settings_for(customer)
    instance = fresh(settings) if settings.pk else ScorecardSettings(customer=customer)
    form = ScorecardSettingsForm(
        request.POST or None, instance=instance, agreed=rating_inputs.agreed_targets(customer)
    )
    context = {"history": timeline(settings) if settings.pk else []}
    return SETTINGS_FORM.edit(
        request,
        form,
        rating_services.scorecard_settings_update,
        customer,
        to=reverse("metrics:rating-card", args=[customer.pk]),
        message=_("The scorecard settings of “%s” are saved.") % customer.name,
        context=context,
    )


# --- certificates --------------------------------------------------------------------------------


@routes("rating/<int:pk>/certificates/")
@capability_required(METRICS_VIEW)
@require_GET
def certificate_list(request, pk):
    customer = _customer(request, pk)
    certificates = RequiredCertificate.objects.visible_to(request.user).filter(customer=customer)
    today = timezone.localdate()
    rows = [
        {"certificate": certificate, "problem": certificate.state().problem(today)}
        for certificate in certificates.select_related("plant")
    ]
    context = {"customer": customer, "rows": rows, "can_manage": has(request.user, MANAGE)}
    return render(request, "metrics/rating_certificate_list.html", context)


def _certificates_url(customer) -> str:
    return reverse("metrics:certificate-list", args=[customer.pk])


@routes("rating/<int:pk>/certificates/new/")
@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def certificate_create(request, pk):
    customer = _customer(request, pk)
    form = CertificateForm(request.POST or None)
    return CERTIFICATE_FORM.create(
        request,
        form,
        rating_services.certificate_create,
        customer=customer,
        to=_certificates_url(customer),
        context={"customer": customer},
    )


@routes("rating/<int:pk>/certificates/<int:certificate_pk>/edit/")
@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def certificate_update(request, pk, certificate_pk):
    customer = _customer(request, pk)
    certificates = RequiredCertificate.objects.visible_to(request.user).filter(customer=customer)
    certificate = get_object_or_404(certificates, pk=certificate_pk)
    form = CertificateForm(request.POST or None, instance=fresh(certificate))
    return CERTIFICATE_FORM.edit(
        request,
        form,
        rating_services.certificate_update,
        certificate,
        to=_certificates_url(customer),
        context={"customer": customer, "history": timeline(certificate)},
    )


# --- the customer's own scores -------------------------------------------------------------------


@routes("rating/<int:pk>/customer-scores/")
@capability_required(METRICS_VIEW)
@require_GET
def customer_rating_list(request, pk):
    customer = _customer(request, pk)
    records = CustomerRating.objects.visible_to(request.user).filter(customer=customer)
    context = {
        "customer": customer,
        "records": [
            {"record": record, "band_label": band_label(record.band)}
            for record in records.select_related("recorded_by")
        ],
        "can_manage": has(request.user, MANAGE),
    }
    return render(request, "metrics/rating_customer_score_list.html", context)


def _scores_url(customer) -> str:
    return reverse("metrics:customer-rating-list", args=[customer.pk])


@routes("rating/<int:pk>/customer-scores/new/")
@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def customer_rating_create(request, pk):
    customer = _customer(request, pk)
    form = CustomerRatingForm(request.POST or None, initial={"month": last_complete_month()})
    return CUSTOMER_RATING_FORM.create(
        request,
        form,
        rating_services.customer_rating_create,
        customer=customer,
        to=_scores_url(customer),
        context={"customer": customer},
    )


@routes("rating/<int:pk>/customer-scores/<int:rating_pk>/edit/")
@capability_required(MANAGE)
@require_http_methods(["GET", "POST"])
def customer_rating_update(request, pk, rating_pk):
    customer = _customer(request, pk)
    records = CustomerRating.objects.visible_to(request.user).filter(customer=customer)
    record = get_object_or_404(records, pk=rating_pk)
    form = CustomerRatingForm(request.POST or None, instance=fresh(record))
    return CUSTOMER_RATING_FORM.edit(
        request,
        form,
        rating_services.customer_rating_update,
        record,
        to=_scores_url(customer),
        context={"customer": customer, "history": timeline(record)},
    )
