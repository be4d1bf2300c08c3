"""The claim import pages: upload a customer's file, map their columns, download the template.

Customer users work on their own company's import; our staff choose the customer first
(``?customer=``). Another customer's id is a 404, as everywhere. The import itself is
``claims.imports``: a refused file files nothing and the page lists every bad row.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError
from core.forms import add_service_errors
from core.pages import form_status, require_capability
from core.routes import Routes
from core.tenancy import is_internal
from customers.models import Customer

from . import imports
from .import_forms import (
    ClaimImportForm,
    ClaimImportMappingForm,
    ImportCustomerForm,
    customers_to_import_for,
)
from .models import ClaimImport

routes = Routes()
# A file with thousands of bad rows lists this many on the page (the API lists them all).
ERRORS_SHOWN = 200
RECENT_IMPORTS = 10


def _customer(request) -> Customer | None:
    """Whose claims the page works on: a customer user's own company; for our staff the customer
    they chose (``customer`` in the query or the form), None until they have. Naming a customer
    the user may not see is a 404."""
    user = request.user
    internal = is_internal(user)
    customers = customers_to_import_for(user) if internal else Customer.objects.visible_to(user)
    chosen = request.POST.get("customer") or request.GET.get("customer") or ""
    if not chosen:
        return None if internal else get_object_or_404(customers)
    if not chosen.isdigit():
        raise Http404
    return get_object_or_404(customers, pk=chosen)


def _page_url(name: str, customer: Customer | None, user) -> str:
    url = reverse(name)
    if customer is not None and is_internal(user):
        url = f"{url}?{urlencode({'customer': customer.pk})}"
    return url


def _common_context(request, customer: Customer | None) -> dict:
    user = request.user
    internal = is_internal(user)
    return {
        "customer": customer,
        "internal": internal,
        "customer_form": ImportCustomerForm(
            initial={"customer": customer.pk if customer else None}, user=user
        )
        if internal
        else None,
        "import_url": _page_url("claims:claim-import", customer, user),
        "mapping_url": _page_url("claims:claim-import-mapping", customer, user),
        "template_url": _page_url("claims:claim-import-template", customer, user),
    }


@login_required
@require_http_methods(["GET", "POST"])
def claim_import(request):
    require_capability(request.user, imports.FILE)
    customer = _customer(request)
    posted = request.method == "POST"
    form = ClaimImportForm(request.POST if posted else None, request.FILES if posted else None)
    errors: list[str] = []
    if posted and customer is None:
        messages.error(request, _("Choose the customer first."))
        return redirect("claims:claim-import")
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = imports.claims_import(
                actor=request.user, customer=customer, content=upload.read(), file_name=upload.name
            )
        except ValidationError as error:
            errors = error.messages
        except DomainError as error:
            errors = [error.message]
        else:
            messages.success(request, result_message(done.log))
            return redirect(_page_url("claims:claim-import", customer, request.user))
    recent = ClaimImport.objects.visible_to(request.user).select_related("customer", "created_by")
    if customer is not None:
        recent = recent.filter(customer=customer)
    context = {
        **_common_context(request, customer),
        "form": form,
        "errors": errors[:ERRORS_SHOWN],
        "more_errors": max(len(errors) - ERRORS_SHOWN, 0),
        "columns": _columns(customer),
        "recent": recent[:RECENT_IMPORTS],
    }
    status = 400 if posted else 200
    return render(request, "claims/import.html", context, status=status)


def result_message(log: ClaimImport) -> str:
    """ "12 claims created, 3 already imported." """
    message = ngettext("%(count)d claim created", "%(count)d claims created", log.created) % {
        "count": log.created
    }
    if log.skipped:
        skipped = ngettext(
            "%(count)d already imported", "%(count)d already imported", log.skipped
        ) % {"count": log.skipped}
        message = _("%(created)s, %(skipped)s") % {"created": message, "skipped": skipped}
    return f"{message}."


def _columns(customer: Customer | None) -> list[dict]:
    """What the file holds, field by field, as the customer's mapping reads it."""
    headers = imports.mapping_for(customer)
    required = imports.required_fields()
    return [
        {
            "name": name,
            "label": imports.field_label(name),
            "header": headers[name],
            "required": name in required,
        }
        for name in imports.IMPORTABLE_FIELDS
    ]


@routes("import/mapping/")
@login_required
@require_http_methods(["GET", "POST"])
def claim_import_mapping(request):
    require_capability(request.user, imports.FILE)
    customer = _customer(request)
    form = None
    if customer is not None:
        columns = imports.mapping_for(customer)
        form = ClaimImportMappingForm(
            request.POST if request.method == "POST" else None, columns=columns
        )
        if form.is_bound and form.is_valid():
            try:
                imports.mapping_save(actor=request.user, customer=customer, columns=form.columns())
            except ValidationError as error:
                add_service_errors(form, error)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Column mapping saved."))
                return redirect(_page_url("claims:claim-import", customer, request.user))
    context = {**_common_context(request, customer), "form": form}
    status = form_status(form) if form is not None else 200
    return render(request, "claims/import_mapping.html", context, status=status)


@login_required
@require_GET
def claim_import_template(request):
    require_capability(request.user, imports.FILE)
    customer = _customer(request)
    name = f"claims-import-{customer.code.lower()}.csv" if customer else "claims-import.csv"
    response = HttpResponse(imports.template_csv(customer), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
