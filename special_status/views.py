"""Special status pages: the register, the status with its exit checklist, the signed exit.

Every read goes through ``SpecialStatus.objects.visible_to``: another customer's status is a 404.
Pages and writes only our staff use check the capability after the record is looked up, so that
another customer's status stays a 404 for everybody. Writes go through ``services``; refusals
become messages or inline form errors and change nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from core.forms import AttachmentUploadForm
from core.history import timeline
from core.pages import (
    FormPage,
    ListPage,
    PageTransitions,
    after_save,
    fresh,
    run_form,
    save_form,
    transition_buttons,
    visible_record,
)
from core.routes import Routes
from core.tenancy import is_internal
from core.views import handle_attachment_upload

from . import forms, selectors, services
from .filters import SpecialStatusListFilter
from .models import ExitCriterion, SpecialStatus
from .workflow import STATUS_WORKFLOW, actions_for, decisions_for, may_work

STATUS_TRANSITIONS = PageTransitions(services.TRANSITION_SERVICES, "special_status")
STATUS_LIST = ListPage(
    "special_status/status_list.html",
    SpecialStatusListFilter,
    "statuses",
    records=selectors.statuses_for_list,
    extra=lambda user: {"show_customer": is_internal(user), "can_create": may_work(user)},
)
STATUS_FORM = FormPage(
    "special_status/status_form.html",
    "special_status",
    created=lambda status: _("%(number)s opened.") % {"number": status.number},
    saved=lambda status: _("%(number)s saved.") % {"number": status.number},
    conflict_page=True,
    refuse=(DomainError,),
)
DECISION_FORMS = {"sign_exit": forms.SignForm, "decline_exit": forms.DeclineForm}
# Criterion actions posted from the checklist: action -> (form, service, message when done).
CRITERION_ACTIONS = {
    "edit": (forms.CriterionForm, services.criterion_update, _("Exit criterion saved.")),
    "meet": (forms.MeetForm, services.criterion_meet, _("Exit criterion met.")),
    "reopen": (forms.ReasonForm, services.criterion_reopen, _("Exit criterion open again.")),
}
# Our own figures, left out of the history a customer reads.
INTERNAL_FIELDS = ("inspection_hours", "hourly_rate", "currency", "owner")
# Kept in the history as sets; the page lists them in full.
HIDDEN_IN_TIMELINE = ("parts", "plants")
routes = Routes()


def _require_work(user) -> None:
    if not may_work(user):
        raise HttpForbidden


def _visible(request, pk) -> SpecialStatus:
    return visible_record(
        request, SpecialStatus, pk, "created_by", "decided_by", "exit_confirmation"
    )


def _visible_criterion(request, pk, criterion_pk) -> ExitCriterion:
    special_status = _visible(request, pk)
    criterion = get_object_or_404(
        ExitCriterion.objects.visible_to(request.user),
        pk=criterion_pk,
        special_status=special_status,
    )
    criterion.special_status = special_status
    return criterion


# --- the register --------------------------------------------------------------------------------


status_list = STATUS_LIST.as_view()


# --- opening and editing -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def status_create(request):
    _require_work(request.user)
    form = forms.SpecialStatusForm(request.POST or None, user=request.user)
    return STATUS_FORM.create(request, form, services.special_status_open)


@login_required
@require_http_methods(["GET", "POST"])
def status_update(request, pk):
    special_status = _visible(request, pk)
    _require_work(request.user)
    form = forms.SpecialStatusForm(
        request.POST or None, instance=fresh(special_status), user=request.user, editing=True
    )
    return STATUS_FORM.edit(request, form, services.special_status_update, special_status)


# --- the status page -----------------------------------------------------------------------------


@login_required
@require_GET
def status_detail(request, pk):
    return _render_detail(request, _visible(request, pk))


def _render_detail(request, special_status: SpecialStatus, *, status=200, **given):
    user = request.user
    internal = is_internal(user)
    working = may_work(user)
    criteria = selectors.criteria_of(special_status)
    files = selectors.evidence_files(criteria, user)
    for criterion in criteria:
        criterion.files = files.get(criterion.pk, [])
    editable = special_status.status == SpecialStatus.Status.OPEN and working
    decisions = decisions_for(special_status, user)
    own_files = list(selectors.files_of(special_status, user))
    context = {
        "special_status": special_status,
        "internal": internal,
        "parts": special_status.parts.all(),
        "plants": special_status.plants.all(),
        "criteria": criteria,
        "met_count": sum(criterion.met for criterion in criteria),
        "all_met": bool(criteria) and all(criterion.met for criterion in criteria),
        "actions": transition_buttons(STATUS_WORKFLOW, actions_for(special_status, user)),
        "criteria_editable": editable,
        "criterion_form": given.get("criterion_form") or forms.CriterionForm(),
        "meet_form": forms.MeetForm(),
        "reopen_form": forms.ReasonForm(),
        "evidence_upload": AttachmentUploadForm(user=user)
        if working and not special_status.is_final
        else None,
        "sign_form": _sign_form(special_status, user, given.get("sign_exit_form"))
        if decisions
        else None,
        "decline_form": given.get("decline_exit_form") or forms.DeclineForm()
        if decisions
        else None,
        "on_behalf": internal and bool(decisions),
        "costs_form": given.get("costs_form") or _costs_form(special_status)
        if internal and working and special_status.is_cs2 and not special_status.is_final
        else None,
        "signatures": selectors.signatures_for(special_status),
        "attachments": own_files,
        "upload_form": AttachmentUploadForm(user=user)
        if working and not special_status.is_final
        else None,
        "events": selectors.events_for(special_status, user),
        "history": timeline(
            special_status, hide=HIDDEN_IN_TIMELINE + (() if internal else INTERNAL_FIELDS)
        ),
        "may_edit": editable,
    }
    return render(request, "special_status/status_detail.html", context, status=status)


def _sign_form(special_status, user, given=None) -> forms.SignForm:
    """The signature form; our managers choose the customer's confirmation among the files."""
    if given is not None:
        return given
    files = selectors.files_of(special_status, user)
    return forms.SignForm(files=files, on_behalf=is_internal(user))


def _costs_form(special_status: SpecialStatus) -> forms.CostsForm:
    return forms.CostsForm(
        initial={
            "inspection_hours": special_status.inspection_hours,
            "hourly_rate": special_status.hourly_rate,
            "currency": special_status.currency,
        }
    )


# --- writes --------------------------------------------------------------------------------------


@login_required
@require_POST
def status_transition(request, pk, action):
    special_status = _visible(request, pk)
    return STATUS_TRANSITIONS.run(request, special_status, action)


@routes.post("<int:pk>/decide/<slug:decision>/")
def status_decide(request, pk, decision):
    """The customer's signed exit or their refusal (or a manager recording it)."""
    special_status = _visible(request, pk)
    form_class = DECISION_FORMS.get(decision)
    if form_class is None:
        messages.error(request, _("Unknown action “%s”.") % decision)
        return redirect(special_status)
    if decision == "sign_exit":
        files = selectors.files_of(special_status, request.user)
        form = forms.SignForm(request.POST, files=files, on_behalf=is_internal(request.user))
    else:
        form = form_class(request.POST)
    if form.is_valid():
        decided = save_form(
            request,
            form,
            services.DECISION_SERVICES[decision],
            special_status=special_status,
            actor=request.user,
            posted_version=True,
            refuse_unplaced=True,
            **form.service_fields(),
        )
        done = (
            _("The exit was signed and recorded.")
            if decision == "sign_exit"
            else _("Your decision was recorded.")
        )
        answer = after_save(request, decided, message=done, to=special_status)
        if answer is not None:
            return answer
    special_status = _visible(request, pk)
    return _render_detail(request, special_status, status=400, **{f"{decision}_form": form})


@routes.post("<int:pk>/costs/", name="status-costs")
def costs_save(request, pk):
    special_status = _visible(request, pk)
    _require_work(request.user)
    form = forms.CostsForm(request.POST)
    if form.is_valid():
        saved = save_form(
            request,
            form,
            services.special_status_costs_save,
            special_status=special_status,
            actor=request.user,
            posted_version=True,
            refuse_unplaced=True,
            **form.service_fields(),
        )
        answer = after_save(request, saved, message=_("Inspection costs saved."), to=special_status)
        if answer is not None:
            return answer
    special_status = _visible(request, pk)
    return _render_detail(request, special_status, status=400, costs_form=form)


@routes.post("<int:pk>/attachments/", name="status-attachment-add")
def attachment_add(request, pk):
    special_status = _visible(request, pk)
    _require_work(request.user)
    closed = _("A closed special status is read-only.") if special_status.is_final else ""
    policy = special_status.customer.requirements.attachment_policy
    return handle_attachment_upload(request, owner=special_status, policy=policy, refused=closed)


# --- exit criteria -------------------------------------------------------------------------------


@routes.post("<int:pk>/criteria/", name="criterion-add")
def criterion_add(request, pk):
    special_status = _visible(request, pk)
    _require_work(request.user)
    form = forms.CriterionForm(request.POST)
    run_form(
        request,
        form,
        services.criterion_add,
        special_status=special_status,
        success_message=_("Exit criterion added."),
    )
    return redirect(f"{special_status.get_absolute_url()}#criteria")


# Before the criterion's actions: their route would take "attachments" for an action.
@routes.post("<int:pk>/criteria/<int:criterion_pk>/attachments/", name="criterion-attachment-add")
def criterion_attachment_add(request, pk, criterion_pk):
    criterion = _visible_criterion(request, pk, criterion_pk)
    _require_work(request.user)
    special_status = criterion.special_status
    closed = _("A closed special status is read-only.") if special_status.is_final else ""
    policy = special_status.customer.requirements.attachment_policy
    return handle_attachment_upload(request, owner=criterion, policy=policy, refused=closed)


@routes.post("<int:pk>/criteria/<int:criterion_pk>/<slug:action>/", name="criterion-action")
def criterion_action(request, pk, criterion_pk, action):
    criterion = _visible_criterion(request, pk, criterion_pk)
    _require_work(request.user)
    known = CRITERION_ACTIONS.get(action)
    if known is None:
        messages.error(request, _("Unknown action “%s”.") % action)
        return redirect(criterion)
    form_class, service, done = known
    run_form(
        request,
        form_class(request.POST),
        service,
        criterion=criterion,
        posted_version=True,
        success_message=done,
    )
    return redirect(criterion)
