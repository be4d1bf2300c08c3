"""Deviation pages: the register, the detail page with the customer's decision and shipments.

Every read goes through ``Deviation.objects.visible_to``: another customer's deviation is a 404.
Writes go through ``services``; refusals become messages or inline form errors and change nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from core.forms import AttachmentUploadForm
from core.history import timeline
from core.locking import StaleVersion, parse_version
from core.models import Attachment
from core.pagination import Paginator
from core.tenancy import is_internal
from core.views import handle_attachment_upload
from customers.forms import add_service_errors

from ..models import Deviation
from . import forms, selectors, services
from .documents import deviation_filename, render_deviation
from .exports import deviations_csv_response
from .filters import DeviationListFilter
from .workflow import DEVIATION_WORKFLOW, actions_for, decisions_for, may_work

PER_PAGE = 25
# Our own fields, left out of the history a customer reads.
INTERNAL_FIELDS = ("internal_note", "owner")
# The affected parts are kept in the history as a set; the page's timeline shows field changes.
HIDDEN_IN_TIMELINE = ("parts",)


def _require_work(user) -> None:
    if not may_work(user):
        raise HttpForbidden


def _visible(request, pk) -> Deviation:
    deviations = Deviation.objects.visible_to(request.user).with_related()
    return get_object_or_404(deviations, pk=pk)


# --- the register --------------------------------------------------------------------------------


def _filtered(request):
    deviations = selectors.deviations_for_list(request.user)
    filters = DeviationListFilter(request.GET or None, queryset=deviations, request=request)
    return filters, (filters.qs if filters.is_bound else deviations)


@login_required
@require_GET
def deviation_list(request):
    filters, deviations = _filtered(request)
    page = Paginator(deviations, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "filtered": any(
            value for key, value in request.GET.items() if key not in ("page", "ordering")
        ),
        "page_obj": page,
        "deviations": page.object_list,
        "show_customer": is_internal(request.user),
        "can_create": may_work(request.user),
    }
    return render(request, "changes/deviations/deviation_list.html", context)


@login_required
@require_GET
def deviation_export(request):
    return deviations_csv_response(_filtered(request)[1])


# --- preparing -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def deviation_create(request):
    _require_work(request.user)
    initial = {"kind": request.GET.get("kind", Deviation.Kind.CONCESSION)}
    form = forms.DeviationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            deviation = services.deviation_create(
                actor=request.user,
                customer=form.customer(),
                parts=form.cleaned_data["parts"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("%(number)s created.") % {"number": deviation.number})
            return redirect(deviation)
    context = {"form": form}
    return render(request, "changes/deviations/deviation_form.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def deviation_update(request, pk):
    deviation = _visible(request, pk)
    _require_work(request.user)
    form = forms.DeviationForm(
        request.POST or None,
        instance=Deviation.objects.get(pk=deviation.pk),
        user=request.user,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.deviation_update(
                deviation=deviation,
                actor=request.user,
                parts=form.cleaned_data["parts"],
                expected_version=form.cleaned_data.get("version"),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleVersion as error:
            context = {"form": form, "deviation": deviation, "conflict": error.message}
            return render(request, "changes/deviations/deviation_form.html", context, status=409)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(deviation)
        else:
            messages.success(request, _("%(number)s saved.") % {"number": deviation.number})
            return redirect(deviation)
    context = {"form": form, "deviation": deviation}
    return render(request, "changes/deviations/deviation_form.html", context, status=_status(form))


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


# --- the deviation page --------------------------------------------------------------------------


@login_required
@require_GET
def deviation_detail(request, pk):
    return _render_detail(request, _visible(request, pk))


def _render_detail(request, deviation: Deviation, *, status=200, **forms_given):
    user = request.user
    internal = is_internal(user)
    decisions = decisions_for(deviation, user)
    context = {
        "deviation": deviation,
        "internal": internal,
        "parts": deviation.parts.all(),
        "actions": [
            {"name": name, "label": DEVIATION_WORKFLOW[name].label}
            for name in actions_for(deviation, user)
        ],
        "approve_form": forms_given.get("approve_form") or forms.ApproveForm()
        if decisions
        else None,
        "reject_form": forms_given.get("reject_form") or forms.RejectForm() if decisions else None,
        "shipment_form": forms_given.get("shipment_form") or forms.ShipmentForm()
        if deviation.is_active and may_work(user)
        else None,
        "shipments": selectors.shipments_for(deviation),
        "events": selectors.events_for(deviation),
        "signatures": selectors.signatures_for(deviation),
        "history": timeline(
            deviation, hide=HIDDEN_IN_TIMELINE + (() if internal else INTERNAL_FIELDS)
        ),
        "attachments": Attachment.objects.visible_to(user)
        .for_owner(deviation)
        .select_related("uploaded_by"),
        "upload_form": AttachmentUploadForm(user=user)
        if not deviation.is_final and may_work(user)
        else None,
        "may_edit": deviation.status == Deviation.Status.DRAFT and may_work(user),
    }
    return render(request, "changes/deviations/deviation_detail.html", context, status=status)


@login_required
@require_GET
def deviation_pdf(request, pk):
    deviation = _visible(request, pk)
    response = _pdf_response(render_deviation(deviation), deviation_filename(deviation))
    return response


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- writes --------------------------------------------------------------------------------------


@login_required
@require_POST
def deviation_transition(request, pk, action):
    deviation = _visible(request, pk)
    service = services.TRANSITION_SERVICES.get(action)
    if service is None:
        messages.error(request, _("Unknown action “%s”.") % action)
        return redirect(deviation)
    inputs = (
        {"reason": request.POST.get("reason", "")} if action in services.REASON_SERVICES else {}
    )
    _run(request, service, deviation=deviation, actor=request.user, **inputs)
    return redirect(deviation)


@login_required
@require_POST
def deviation_decide(request, pk, decision):
    """The customer's approval or rejection, signed with their password."""
    deviation = _visible(request, pk)
    form_class = {"approve": forms.ApproveForm, "reject": forms.RejectForm}.get(decision)
    if form_class is None:
        messages.error(request, _("Unknown action “%s”.") % decision)
        return redirect(deviation)
    form = form_class(request.POST)
    if form.is_valid():
        service = services.deviation_approve if decision == "approve" else services.deviation_reject
        try:
            service(
                deviation=deviation,
                actor=request.user,
                expected_version=parse_version(request.POST.get("version")),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your decision was signed and recorded."))
            return redirect(deviation)
    return _render_detail(request, deviation, status=400, **{f"{decision}_form": form})


@login_required
@require_POST
def shipment_add(request, pk):
    deviation = _visible(request, pk)
    _require_work(request.user)
    form = forms.ShipmentForm(request.POST)
    if form.is_valid():
        try:
            services.shipment_record(
                deviation=deviation,
                actor=request.user,
                expected_version=parse_version(request.POST.get("version")),
                **form.cleaned_data,
            )
        except DomainError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                messages.error(request, error.message)
                return redirect(deviation)
        else:
            messages.success(request, _("Shipment recorded."))
            return redirect(f"{deviation.get_absolute_url()}#shipments")
    deviation = _visible(request, pk)
    return _render_detail(request, deviation, status=400, shipment_form=form)


@login_required
@require_POST
def attachment_add(request, pk):
    deviation = _visible(request, pk)
    _require_work(request.user)
    if deviation.is_final:
        messages.error(request, _("Files cannot be added to a deviation that has ended."))
        return redirect(deviation)
    return handle_attachment_upload(
        request,
        owner=deviation,
        policy=deviation.customer.requirements.attachment_policy,
        redirect_to=deviation.get_absolute_url(),
    )


def _run(request, service, **kwargs) -> bool:
    try:
        service(expected_version=parse_version(request.POST.get("version")), **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
        return True
    return False
