"""Management report pages: the archive, "generate now", the status page and the download.

The archive and "generate now" need their capability (403 otherwise); a single report is looked
up among the reports the user may see, so anyone else gets 404 — customer users included.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core import heartbeat
from core.errors import DomainError
from core.forms import StyledForm
from core.pages import paged
from core.routes import Routes
from customers.models import Customer
from customers.permissions import capability_required, has

from . import reports
from .documents import report_file_response
from .models import Report

REPORTS_PER_PAGE = 25
ACTIVE_STATUSES = (Report.Status.QUEUED, Report.Status.RUNNING)
routes = Routes()


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class ReportFilterForm(StyledForm):
    scope = forms.ChoiceField(label=gettext_lazy("Scope"), required=False)
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        customers = Customer.objects.visible_to(user).only("pk", "name")
        self.fields["scope"].choices = [
            ("", _("All scopes")),
            ("company", _("Whole company")),
            *[(str(customer.pk), customer.name) for customer in customers],
        ]
        years = reports.report_years(user)
        self.fields["year"].choices = [("", _("All years")), *[(y, str(y)) for y in years]]


class ReportGenerateForm(StyledForm):
    period = forms.DateField(
        label=gettext_lazy("Month"),
        input_formats=["%Y-%m"],
        widget=MonthInput,
        help_text=gettext_lazy("Last month or earlier (YYYY-MM)."),
    )
    customer = forms.ModelChoiceField(
        label=gettext_lazy("Scope"),
        queryset=Customer.objects.none(),
        required=False,
        empty_label=gettext_lazy("Whole company"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        last_month = reports.previous_month()
        self.fields["customer"].queryset = Customer.objects.visible_to(user).active()
        self.fields["period"].widget.attrs["max"] = f"{last_month:%Y-%m}"
        self.initial.setdefault("period", last_month)

    def clean_period(self):
        period: dt.date = self.cleaned_data["period"].replace(day=1)
        if period > reports.previous_month():
            raise forms.ValidationError(_("Choose a month that is over: last month or earlier."))
        return period


@capability_required(reports.REPORTS_VIEW)
@require_GET
def report_list(request):
    form = ReportFilterForm(request.GET or None, user=request.user)
    values = form.cleaned_data if form.is_valid() else {}
    filtered = reports.reports_for(
        request.user, scope=values.get("scope") or "", year=values.get("year")
    )
    context = {
        **paged(request, filtered, REPORTS_PER_PAGE, "reports"),
        "filters": form,
        "filtered": any(values.values()),
        "can_generate": has(request.user, reports.REPORTS_GENERATE),
    }
    return render(request, "metrics/report_list.html", context)


@routes("reports/generate/", name="report-generate")
@capability_required(reports.REPORTS_GENERATE)
@require_http_methods(["GET", "POST"])
def report_create(request):
    posted = request.method == "POST"
    form = ReportGenerateForm(request.POST if posted else None, user=request.user)
    if posted and form.is_valid():
        try:
            report = reports.report_request(
                period=form.cleaned_data["period"],
                customer=form.cleaned_data["customer"],
                actor=request.user,
                new_version=True,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if reports.report_waits_for_queue(report):
                messages.warning(request, reports.QUEUE_UNREACHABLE_MESSAGE)
            else:
                messages.success(request, _("The report is being generated."))
            return redirect("metrics:report-detail", pk=report.pk)
    status = 400 if posted else 200
    return render(request, "metrics/report_generate.html", {"form": form}, status=status)


def _visible_report(request, pk) -> Report:
    return get_object_or_404(
        Report.objects.visible_to(request.user).select_related("customer", "requested_by"), pk=pk
    )


def _status_context(request, report: Report) -> dict:
    queued = report.status == Report.Status.QUEUED
    return {
        "report": report,
        "polling": report.status in ACTIVE_STATUSES,
        "can_generate": has(request.user, reports.REPORTS_GENERATE),
        # A queued report with no worker would wait forever: the page says why instead.
        "no_worker": queued and not heartbeat.worker_is_running(),
    }


@login_required
@require_GET
def report_detail(request, pk):
    report = _visible_report(request, pk)
    return render(request, "metrics/report_detail.html", _status_context(request, report))


@routes.get("reports/<int:pk>/progress/")
def report_progress(request, pk):
    """The status fragment the detail page polls until the report is done or failed."""
    report = _visible_report(request, pk)
    return render(request, "metrics/report_progress.html", _status_context(request, report))


@routes.get("reports/<int:pk>/download/")
def report_download(request, pk):
    return report_file_response(_visible_report(request, pk))
