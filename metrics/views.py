"""Delivery pages, for staff only: the list with totals and the CSV import."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.pages import filter_records, paged
from customers.permissions import capability_required, has

from . import forms, imports, selectors, services
from .filters import DeliveryListFilter

METRICS_VIEW = "metrics.view"
DELIVERIES_PER_PAGE = 50
# A file of thousands of bad rows usually has one mistake; the first errors show which.
ERRORS_SHOWN = 500


@capability_required(METRICS_VIEW)
def delivery_list(request):
    deliveries = selectors.deliveries_for(request.user)
    filters, deliveries = filter_records(request, DeliveryListFilter, deliveries)
    context = {
        "filters": filters,
        **paged(request, deliveries, DELIVERIES_PER_PAGE, "deliveries"),
        "totals": selectors.delivery_totals(deliveries),
        "can_import": has(request.user, services.DELIVERIES_IMPORT),
    }
    return render(request, "metrics/delivery_list.html", context)


@capability_required(services.DELIVERIES_IMPORT)
@require_http_methods(["GET", "POST"])
def delivery_import(request):
    posted = request.method == "POST"
    form = forms.DeliveryImportForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    result = None
    if posted and form.is_valid():
        result = services.deliveries_import(file=form.cleaned_data["file"], actor=request.user)
    errors = result.row_errors if result else []
    context = {
        "form": form,
        "result": result,
        "columns": imports.COLUMNS,
        "row_errors": errors[:ERRORS_SHOWN],
        "more_errors": max(len(errors) - ERRORS_SHOWN, 0),
    }
    refused = posted and (result is None or not result.ok)
    status = 400 if refused else 200
    return render(request, "metrics/delivery_import.html", context, status=status)


@capability_required(services.DELIVERIES_IMPORT)
def delivery_import_template(request):
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="deliveries-import-template.csv"'
    return response
