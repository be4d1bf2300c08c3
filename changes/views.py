"""Change request pages: the list, raising and editing, the change page and its transitions.

Every read goes through ``ChangeRequest.objects.visible_to``: another customer's change (and a
customer's own change before they were notified) is a 404. Writes go through
``changes.services``; domain errors become messages or inline form errors and change nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from core.forms import AttachmentUploadForm
from core.history import timeline
from core.locking import StaleVersion, parse_version
from core.pagination import Paginator
from core.tenancy import is_internal
from core.views import handle_attachment_upload
from customers.forms import add_service_errors

from . import forms, permissions, selectors, services
from .documents import change_notice_filename, pdf_response, render_change_notice
from .exports import changes_csv_response
from .filters import ChangeListFilter
from .models import ChangeApprover, ChangeAssessor, ChangeRequest
from .workflow import CHANGE_WORKFLOW, change_actions_for

CHANGES_PER_PAGE = 25
# Our own fields that a customer's view of the change's history leaves out.
INTERNAL_FIELDS = ("cost_amount", "cost_currency", "internal_notes")


def _require_work(user) -> None:
    if not permissions.may_work(user):
        raise HttpForbidden


def _visible_change(request, pk) -> ChangeRequest:
    changes = ChangeRequest.objects.visible_to(request.user).with_related()
    return get_object_or_404(changes.select_related("customer__requirements"), pk=pk)


# --- the list and its export ---------------------------------------------------------------------


def _filtered(request):
    changes = selectors.changes_for_list(request.user)
    filters = ChangeListFilter(request.GET or None, queryset=changes, request=request)
    return filters, (filters.qs if filters.is_bound else changes)


@login_required
@require_GET
def change_list(request):
    filters, changes = _filtered(request)
    page = Paginator(changes, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "filtered": any(
            value for key, value in request.GET.items() if key not in ("page", "ordering")
        ),
        "page_obj": page,
        "changes": page.object_list,
        "show_customer": is_internal(request.user),
        "can_raise": permissions.may_work(request.user),
    }
    return render(request, "changes/change_list.html", context)


@login_required
@require_GET
def change_export(request):
    _filters, changes = _filtered(request)
    return changes_csv_response(changes, internal=is_internal(request.user))


# --- raising and editing -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def change_create(request):
    _require_work(request.user)
    form = forms.ChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.change_create(
                actor=request.user,
                customer=form.cleaned_data["customer"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Change request %s raised.") % change.number)
            return redirect("changes:change-detail", change.pk)
    return render(request, "changes/change_form.html", {"form": form}, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def change_update(request, pk):
    change = _visible_change(request, pk)
    _require_work(request.user)
    form = forms.ChangeForm(
        request.POST or None, instance=ChangeRequest.objects.get(pk=change.pk), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_update(
                change=change,
                actor=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StaleVersion as error:
            # Someone saved first: show what this user typed, save nothing, offer a reload.
            context = {"form": form, "change": change, "conflict": error.message}
            return render(request, "changes/change_form.html", context, status=409)
        except DomainError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                messages.error(request, error.message)
                return redirect("changes:change-detail", change.pk)
        else:
            messages.success(request, _("Change request %s saved.") % change.number)
            return redirect("changes:change-detail", change.pk)
    context = {"form": form, "change": change}
    return render(request, "changes/change_form.html", context, status=_status(form))


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


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


@login_required
@require_GET
def change_notice_pdf(request, pk):
    change = _visible_change(request, pk)
    return pdf_response(render_change_notice(change), change_notice_filename(change))


# --- writes --------------------------------------------------------------------------------------


@login_required
@require_POST
def change_transition(request, pk, action):
    change = _visible_change(request, pk)
    service = services.CHANGE_SERVICES.get(action)
    if service is None:
        messages.error(request, _("Unknown action “%s”.") % action)
        return redirect("changes:change-detail", change.pk)
    inputs = {}
    form_class = forms.TRANSITION_FORMS.get(action)
    if form_class is not None:
        form = form_class(request.POST, prefix=action)
        if not form.is_valid():
            _form_messages(request, form)
            return redirect("changes:change-detail", change.pk)
        inputs = dict(form.cleaned_data)
    run_service(
        request,
        service,
        change=change,
        actor=request.user,
        expected_version=parse_version(request.POST.get("version")),
        **inputs,
    )
    return redirect("changes:change-detail", change.pk)


@login_required
@require_POST
def board_approve(request, pk, row):
    change = _visible_change(request, pk)
    approver = get_object_or_404(ChangeApprover.objects.filter(change=change), pk=row)
    form = forms.SignForm(request.POST)
    if not form.is_valid():
        _form_messages(request, form)
    else:
        run_service(
            request,
            services.board_approve,
            approver=approver,
            actor=request.user,
            **form.cleaned_data,
        )
    return redirect(f"{change.get_absolute_url()}#board")


@login_required
@require_POST
def assessment_record(request, pk, row):
    change = _visible_change(request, pk)
    assessor = get_object_or_404(ChangeAssessor.objects.filter(change=change), pk=row)
    form = forms.AssessmentForm(request.POST)
    if not form.is_valid():
        _form_messages(request, form)
    else:
        run_service(
            request,
            services.assessment_record,
            assessor=assessor,
            actor=request.user,
            **form.cleaned_data,
        )
    return redirect(f"{change.get_absolute_url()}#assessment")


ROW_FORMS = {
    "parts": (forms.PartRowForm, services.affected_part_add),
    "documents": (forms.DocumentRowForm, services.affected_document_add),
    "dispositions": (forms.DispositionRowForm, services.disposition_add),
    "assessors": (forms.PersonRowForm, services.assessor_add),
    "approvers": (forms.PersonRowForm, services.approver_add),
}


@login_required
@require_POST
def row_add(request, pk, kind):
    change = _visible_change(request, pk)
    _require_work(request.user)
    form_class, service = ROW_FORMS.get(kind, (None, None))
    if form_class is None:
        messages.error(request, _("Unknown kind of row."))
        return redirect("changes:change-detail", change.pk)
    extra = {"change": change} if kind == "parts" else {}
    form = form_class(request.POST, prefix=kind, **extra)
    if not form.is_valid():
        _form_messages(request, form)
    else:
        run_service(request, service, change=change, actor=request.user, **form.cleaned_data)
    return redirect(f"{change.get_absolute_url()}#{kind}")


@login_required
@require_POST
def row_remove(request, pk, kind, row):
    change = _visible_change(request, pk)
    _require_work(request.user)
    run_service(
        request, services.row_remove, change=change, actor=request.user, kind=kind, row_id=row
    )
    return redirect(f"{change.get_absolute_url()}#{kind}")


@login_required
@require_POST
def attachment_add(request, pk):
    change = _visible_change(request, pk)
    _require_work(request.user)
    if change.is_final:
        messages.error(request, _("Files cannot be added to a closed change."))
        return redirect("changes:change-detail", change.pk)
    return handle_attachment_upload(
        request,
        owner=change,
        policy=change.customer.requirements.attachment_policy,
        redirect_to=change.get_absolute_url(),
    )


def _form_messages(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def run_service(request, service, **kwargs) -> bool:
    """Call a service and turn its outcome into a message; True when it succeeded."""
    try:
        service(**kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
        return True
    return False
