"""Deviation pages: the register, the detail page with the customer's decision and shipments.

Every read goes through ``Deviation.objects.visible_to``: another customer's deviation is a 404.
Writes go through ``services``; refusals become messages or inline form errors and change nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from core.forms import AttachmentUploadForm
from core.history import timeline
from core.models import Attachment
from core.pages import (
    FormPage,
    ListPage,
    PageTransitions,
    after_save,
    document_download,
    fresh,
    save_form,
    visible_record,
)
from core.routes import Routes
from core.tenancy import is_internal
from core.views import handle_attachment_upload

from ..models import Deviation
from . import forms, selectors, services
from .documents import DEVIATION_PDF
from .exports import deviations_csv_response
from .filters import DeviationListFilter
from .workflow import DEVIATION_WORKFLOW, actions_for, decisions_for, may_work

DEVIATION_TRANSITIONS = PageTransitions(services.TRANSITION_SERVICES, "deviation")
DEVIATION_LIST = ListPage(
    "changes/deviations/deviation_list.html",
    DeviationListFilter,
    "deviations",
    records=selectors.deviations_for_list,
    extra=lambda user: {"show_customer": is_internal(user), "can_create": may_work(user)},
)
# Any refusal of an edit (the deviation is no longer a draft) ends it with a message.
DEVIATION_FORM = FormPage(
    "changes/deviations/deviation_form.html",
    "deviation",
    created=lambda deviation: _("%(number)s created.") % {"number": deviation.number},
    saved=lambda deviation: _("%(number)s saved.") % {"number": deviation.number},
    conflict_page=True,
    refuse=(DomainError,),
)
# Our own fields, left out of the history a customer reads.
INTERNAL_FIELDS = ("internal_note", "owner")
# The affected parts are kept in the history as a set; the page's timeline shows field changes.
HIDDEN_IN_TIMELINE = ("parts",)
routes = Routes()


def _require_work(user) -> None:
    if not may_work(user):
        raise HttpForbidden


def _visible(request, pk) -> Deviation:
    return visible_record(request, Deviation, pk)


# --- the register --------------------------------------------------------------------------------


deviation_list = DEVIATION_LIST.as_view()


@login_required
@require_GET
def deviation_export(request):
    return deviations_csv_response(DEVIATION_LIST.filtered(request))


# --- preparing -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def deviation_create(request):
    _require_work(request.user)
    initial = {"kind": request.GET.get("kind", Deviation.Kind.CONCESSION)}
    form = forms.DeviationForm(request.POST or None, user=request.user, initial=initial)
    return DEVIATION_FORM.create(request, form, services.deviation_create)


@login_required
@require_http_methods(["GET", "POST"])
def deviation_update(request, pk):
    deviation = _visible(request, pk)
    _require_work(request.user)
    form = forms.DeviationForm(
        request.POST or None, instance=fresh(deviation), user=request.user, editing=True
    )
    return DEVIATION_FORM.edit(request, form, services.deviation_update, deviation)


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


deviation_pdf = routes.add(
    "<int:pk>/deviation.pdf", document_download(DEVIATION_PDF, _visible), name="deviation-pdf"
)


# --- writes --------------------------------------------------------------------------------------


@login_required
@require_POST
def deviation_transition(request, pk, action):
    deviation = _visible(request, pk)
    reason = (
        {"reason": request.POST.get("reason", "")} if action in services.REASON_SERVICES else {}
    )
    return DEVIATION_TRANSITIONS.run(request, deviation, action, **reason)


@routes.post("<int:pk>/decide/<slug:decision>/")
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
        decided = save_form(
            request,
            form,
            service,
            deviation=deviation,
            actor=request.user,
            posted_version=True,
            **form.service_fields(),
        )
        signed = _("Your decision was signed and recorded.")
        answer = after_save(request, decided, message=signed, to=deviation)
        if answer is not None:
            return answer
    return _render_detail(request, deviation, status=400, **{f"{decision}_form": form})


@routes.post("<int:pk>/shipments/", name="deviation-shipment-add")
def shipment_add(request, pk):
    deviation = _visible(request, pk)
    _require_work(request.user)
    form = forms.ShipmentForm(request.POST)
    if form.is_valid():
        recorded = save_form(
            request,
            form,
            services.shipment_record,
            deviation=deviation,
            actor=request.user,
            posted_version=True,
            refuse_unplaced=True,
            **form.cleaned_data,
        )
        if recorded.refused:
            return redirect(deviation)
        if recorded:
            messages.success(request, _("Shipment recorded."))
            return redirect(f"{deviation.get_absolute_url()}#shipments")
    deviation = _visible(request, pk)
    return _render_detail(request, deviation, status=400, shipment_form=form)


@routes.post("<int:pk>/attachments/", name="deviation-attachment-add")
def attachment_add(request, pk):
    deviation = _visible(request, pk)
    _require_work(request.user)
    ended = _("Files cannot be added to a deviation that has ended.") if deviation.is_final else ""
    policy = deviation.customer.requirements.attachment_policy
    return handle_attachment_upload(request, owner=deviation, policy=policy, refused=ended)
