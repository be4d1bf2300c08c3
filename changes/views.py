"""Change request pages: the list, raising and editing, the change page and its transitions.

Every read goes through ``ChangeRequest.objects.visible_to``: another customer's change (and a
customer's own change before they were notified) is a 404. Writes go through
``changes.services``; domain errors become messages or inline form errors and change nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import AttachmentUploadForm
from core.history import timeline
from core.pages import (
    FormPage,
    ListPage,
    PageTransitions,
    document_download,
    form_messages,
    fresh,
    run_form,
    run_service,
    visible_record,
)
from core.routes import Routes
from core.tenancy import is_internal
from core.views import handle_attachment_upload

from . import forms, permissions, selectors, services
from .documents import CHANGE_NOTICE
from .exports import changes_csv_response
from .filters import ChangeListFilter
from .models import ChangeApprover, ChangeAssessor, ChangeRequest
from .workflow import CHANGE_WORKFLOW, change_actions_for

CHANGE_TRANSITIONS = PageTransitions(services.CHANGE_SERVICES, "change")
CHANGE_LIST = ListPage(
    "changes/change_list.html",
    ChangeListFilter,
    "changes",
    records=selectors.changes_for_list,
    extra=lambda user: {
        "show_customer": is_internal(user),
        "can_raise": permissions.may_work(user),
    },
)
# A refusal that names no field of the form (the change is no longer a draft) ends the edit.
CHANGE_FORM = FormPage(
    "changes/change_form.html",
    "change",
    created=lambda change: _("Change request %s raised.") % change.number,
    saved=lambda change: _("Change request %s saved.") % change.number,
    conflict_page=True,
    refuse_unplaced=True,
)
# Our own fields that a customer's view of the change's history leaves out.
INTERNAL_FIELDS = ("cost_amount", "cost_currency", "internal_notes")
routes = Routes()


def _require_work(user) -> None:
    if not permissions.may_work(user):
        raise HttpForbidden


def _visible_change(request, pk) -> ChangeRequest:
    return visible_record(request, ChangeRequest, pk, "customer__requirements")


# --- the list and its export ---------------------------------------------------------------------


change_list = CHANGE_LIST.as_view()


@login_required
@require_GET
def change_export(request):
    internal = is_internal(request.user)
    return changes_csv_response(CHANGE_LIST.filtered(request), internal=internal)


# --- raising and editing -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def change_create(request):
    _require_work(request.user)
    form = forms.ChangeForm(request.POST or None)
    return CHANGE_FORM.create(request, form, services.change_create)


@login_required
@require_http_methods(["GET", "POST"])
def change_update(request, pk):
    change = _visible_change(request, pk)
    _require_work(request.user)
    form = forms.ChangeForm(request.POST or None, instance=fresh(change), editing=True)
    return CHANGE_FORM.edit(request, form, services.change_update, change)


# --- the change page -----------------------------------------------------------------------------


@login_required
@require_GET
def change_detail(request, pk):
    change = _visible_change(request, pk)
    user = request.user
    internal = is_internal(user)
    rows = selectors.change_page(change, user)
    may_edit = change.is_editable and permissions.may_work(user)
    context = {
        "change": change,
        "internal": internal,
        **rows,
        "actions": _action_buttons(change, user),
        "history": timeline(change, hide=() if internal else INTERNAL_FIELDS),
        "may_edit": may_edit,
        "row_forms": _row_forms(change) if may_edit else {},
        "my_assessment": _mine(
            rows["assessors"], user, change, ChangeRequest.Status.IMPACT_ASSESSMENT
        ),
        "my_approval": _my_approval(rows["approvers"], user, change),
        "assessment_form": forms.AssessmentForm(),
        "sign_form": forms.SignForm(),
        "upload_form": AttachmentUploadForm(user=user) if may_edit else None,
        "ppap_submissions": _ppap_submissions(change) if change.ppap_required else [],
    }
    return render(request, "changes/change_detail.html", context)


def _action_buttons(change: ChangeRequest, user) -> list[dict]:
    buttons = []
    for name in change_actions_for(change, user):
        if name in ("board_reject", "board_defer") and not any(
            approver.user_id == user.pk for approver in change.approvers.all()
        ):
            continue
        if name in ("customer_approve", "customer_reject") and not permissions.may_review(
            user, change
        ):
            continue
        form_class = forms.TRANSITION_FORMS.get(name)
        buttons.append(
            {
                "name": name,
                "label": CHANGE_WORKFLOW[name].label,
                "form": form_class(prefix=name) if form_class else None,
                "danger": name in ("board_reject", "customer_reject", "cancel"),
            }
        )
    return buttons


def _row_forms(change: ChangeRequest) -> dict:
    row_forms = {
        "parts": forms.PartRowForm(change=change, prefix="parts"),
        "documents": forms.DocumentRowForm(prefix="documents"),
        "dispositions": forms.DispositionRowForm(prefix="dispositions"),
        "approvers": forms.PersonRowForm(prefix="approvers"),
    }
    if change.status in (
        ChangeRequest.Status.DRAFT,
        ChangeRequest.Status.SUBMITTED,
        ChangeRequest.Status.IMPACT_ASSESSMENT,
    ):
        row_forms["assessors"] = forms.PersonRowForm(prefix="assessors")
    return row_forms


def _mine(assessors, user, change, status):
    if change.status != status:
        return None
    return next((row for row in assessors if row.user_id == user.pk and not row.is_done), None)


def _my_approval(approvers, user, change):
    if change.status != ChangeRequest.Status.REVIEW_BOARD:
        return None
    return next((row for row in approvers if row.user_id == user.pk and not row.approved_at), None)


def _ppap_submissions(change: ChangeRequest) -> list:
    from . import ppap_link

    try:
        return list(ppap_link.submissions_for(change))
    except ImportError:  # the PPAP module is not installed: the requirement alone is shown
        return []


change_notice_pdf = routes.add(
    "<int:pk>/notice.pdf", document_download(CHANGE_NOTICE, _visible_change), name="change-notice"
)


# --- writes --------------------------------------------------------------------------------------


@login_required
@require_POST
def change_transition(request, pk, action):
    change = _visible_change(request, pk)
    form_class = forms.TRANSITION_FORMS.get(action)
    form = form_class(request.POST, prefix=action) if form_class else None
    if form is not None and not form.is_valid():
        form_messages(request, form)
        return redirect(change)
    inputs = form.service_fields() if form is not None else {}
    return CHANGE_TRANSITIONS.run(request, change, action, **inputs)


@routes.post("<int:pk>/board/<int:row>/approve/")
def board_approve(request, pk, row):
    change = _visible_change(request, pk)
    approver = get_object_or_404(ChangeApprover.objects.filter(change=change), pk=row)
    run_form(request, forms.SignForm(request.POST), services.board_approve, approver=approver)
    return redirect(f"{change.get_absolute_url()}#board")


@routes.post("<int:pk>/assessors/<int:row>/assess/", name="assessment")
def assessment_record(request, pk, row):
    change = _visible_change(request, pk)
    assessor = get_object_or_404(ChangeAssessor.objects.filter(change=change), pk=row)
    form = forms.AssessmentForm(request.POST)
    run_form(request, form, services.assessment_record, assessor=assessor)
    return redirect(f"{change.get_absolute_url()}#assessment")


ROW_FORMS = {
    "parts": (forms.PartRowForm, services.affected_part_add),
    "documents": (forms.DocumentRowForm, services.affected_document_add),
    "dispositions": (forms.DispositionRowForm, services.disposition_add),
    "assessors": (forms.PersonRowForm, services.assessor_add),
    "approvers": (forms.PersonRowForm, services.approver_add),
}


@routes.post("<int:pk>/rows/<slug:kind>/")
def row_add(request, pk, kind):
    change = _visible_change(request, pk)
    _require_work(request.user)
    form_class, service = ROW_FORMS.get(kind, (None, None))
    if form_class is None:
        messages.error(request, _("Unknown kind of row."))
        return redirect("changes:change-detail", change.pk)
    extra = {"change": change} if kind == "parts" else {}
    run_form(request, form_class(request.POST, prefix=kind, **extra), service, change=change)
    return redirect(f"{change.get_absolute_url()}#{kind}")


@routes.post("<int:pk>/rows/<slug:kind>/<int:row>/remove/")
def row_remove(request, pk, kind, row):
    change = _visible_change(request, pk)
    _require_work(request.user)
    run_service(
        request, services.row_remove, change=change, actor=request.user, kind=kind, row_id=row
    )
    return redirect(f"{change.get_absolute_url()}#{kind}")


@routes.post("<int:pk>/attachments/")
def attachment_add(request, pk):
    change = _visible_change(request, pk)
    _require_work(request.user)
    closed = _("Files cannot be added to a closed change.") if change.is_final else ""
    return handle_attachment_upload(
        request, owner=change, policy=change.customer.requirements.attachment_policy, refused=closed
    )
