"""PPAP pages: the list, the submission page with its checklist, the warrant, the decisions.

Every read goes through ``visible_to``: another customer's submission (or a draft, for customer
users) is a 404. Writes go through ``ppap.services``; domain errors become messages.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from core.forms import AttachmentUploadForm
from core.history import timeline
from core.locking import StaleVersion, parse_version
from core.pagination import Paginator
from core.signatures import signatures_of
from core.tenancy import is_internal
from core.views import handle_attachment_upload
from customers.forms import add_service_errors

from . import documents, forms, selectors, services
from .filters import SubmissionListFilter
from .models import PpapElement, PpapSubmission
from .rules import send_problems
from .workflow import (
    DISPOSITIONS,
    ELEMENT_WORKFLOW,
    REVIEW,
    SIGN,
    SUBMISSION_WORKFLOW,
    WORK,
    element_actions_for,
    submission_actions_for,
)

PER_PAGE = 25
INTERNAL_FIELDS = ("internal_note", "owner")


def _require(user, capability: str) -> None:
    if not user.has_capability(capability):
        raise HttpForbidden


def _visible(request, pk) -> PpapSubmission:
    submissions = PpapSubmission.objects.visible_to(request.user).with_related()
    return get_object_or_404(submissions.select_related("customer__requirements"), pk=pk)


def _element(request, submission, element_pk) -> PpapElement:
    elements = PpapElement.objects.visible_to(request.user)
    element = get_object_or_404(elements, submission=submission, pk=element_pk)
    element.submission = submission
    return element


# --- list ------------------------------------------------------------------------------------


@login_required
@require_GET
def submission_list(request):
    submissions = selectors.submissions_for_list(request.user)
    filters = SubmissionListFilter(request.GET or None, queryset=submissions, request=request)
    filtered = filters.qs if filters.is_bound else submissions
    page = Paginator(filtered, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "filtered": any(v for k, v in request.GET.items() if k not in ("page", "ordering")),
        "page_obj": page,
        # Read when the template shows the rows: not at all when the list is cached.
        "submissions": SimpleLazyObject(lambda: _with_part_status(page.object_list)),
        "show_customer": is_internal(request.user),
        "can_create": request.user.has_capability(WORK),
    }
    return render(request, "ppap/submission_list.html", context)


def _with_part_status(submissions) -> list:
    rows = list(submissions)
    statuses = selectors.part_ppap_statuses([row.part_id for row in rows])
    for row in rows:
        row.part_status = statuses.get(row.part_id, selectors.NO_PPAP)
    return rows


# --- create and edit -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def submission_create(request):
    _require(request.user, WORK)
    initial = {"part": request.GET.get("part")} if request.GET.get("part") else None
    form = forms.SubmissionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            submission = services.submission_create(actor=request.user, **fields)
        except (DomainError, ValidationError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("PPAP %s opened.") % submission.label)
            return redirect(submission)
    return render(request, "ppap/submission_form.html", {"form": form}, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def submission_update(request, pk):
    _require(request.user, WORK)
    submission = _visible(request, pk)
    form = forms.SubmissionForm(
        request.POST or None,
        instance=PpapSubmission.objects.get(pk=submission.pk),
        user=request.user,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_update(
                submission=submission,
                actor=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.service_fields(),
            )
        except (DomainError, ValidationError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(submission)
    context = {"form": form, "submission": submission}
    return render(request, "ppap/submission_form.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def warrant_edit(request, pk):
    _require(request.user, WORK)
    submission = _visible(request, pk)
    warrant = submission.warrant
    form = forms.WarrantForm(
        request.POST or None, instance=type(warrant).objects.get(pk=warrant.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.warrant_update(
                warrant=warrant,
                actor=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.service_fields(),
            )
        except (DomainError, ValidationError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Warrant saved."))
            return redirect(f"{submission.get_absolute_url()}#warrant")
    context = {"form": form, "submission": submission, "warrant": warrant}
    return render(request, "ppap/warrant_form.html", context, status=_status(form))


def _form_error(form, error) -> None:
    if isinstance(error, ValidationError):
        add_service_errors(form, error)
        return
    if isinstance(error, StaleVersion):
        form.add_error(None, error.message)
        return
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


# --- the submission page ---------------------------------------------------------------------


@login_required
@require_GET
def submission_detail(request, pk):
    submission = _visible(request, pk)
    user = request.user
    internal = is_internal(user)
    elements = selectors.elements_for(submission, user)
    warrant = submission.warrant
    studies = list(selectors.studies_for(submission))
    rows = [_element_row(element, submission, user) for element in elements]
    context = {
        "submission": submission,
        "internal": internal,
        "elements": rows,
        "warrant": warrant,
        "studies": studies,
        "actions": _action_buttons(submission, user),
        "dispositions": _dispositions(submission, user),
        "problems": _problems(submission, elements, warrant, studies) if internal else [],
        "events": selectors.events_for(submission),
        "history": timeline(submission, hide=() if internal else INTERNAL_FIELDS),
        "revisions": selectors.revisions_of(submission, user),
        "part_status": selectors.part_ppap_status(submission.part),
        "warrant_signatures": signatures_of(warrant),
        "signatures": signatures_of(submission),
        "may_edit": submission.is_editable and user.has_capability(WORK),
        "may_sign": submission.is_editable and user.has_capability(SIGN),
        "sign_form": forms.SignForm(),
        "study_form": forms.StudyForm(),
        "upload_form": AttachmentUploadForm(user=user),
        "reason_form": forms.ReasonForm(),
    }
    return render(request, "ppap/submission_detail.html", context)


def _element_row(element, submission, user) -> dict:
    actions = element_actions_for(element, submission, user)
    editable = submission.is_editable and user.has_capability(WORK)
    return {
        "element": element,
        "actions": [(name, ELEMENT_WORKFLOW[name].label) for name in actions],
        "form": forms.ElementForm(instance=element, prefix=f"e{element.pk}") if editable else None,
    }


def _action_buttons(submission, user) -> list[dict]:
    return [
        {
            "name": name,
            "label": SUBMISSION_WORKFLOW[name].label,
            "needs_comment": SUBMISSION_WORKFLOW[name].needs_comment,
        }
        for name in submission_actions_for(submission, user)
        if name not in DISPOSITIONS
    ]


def _dispositions(submission, user):
    choices = [
        (name, SUBMISSION_WORKFLOW[name].label)
        for name in submission_actions_for(submission, user)
        if name in DISPOSITIONS
    ]
    return forms.DispositionForm(choices=choices) if choices else None


def _problems(submission, elements, warrant, studies) -> list[str]:
    if not submission.is_editable:
        return []
    return send_problems(submission, elements, warrant, studies, submission.customer.requirements)


# --- writes ----------------------------------------------------------------------------------


@login_required
@require_POST
def submission_transition(request, pk, action):
    submission = _visible(request, pk)
    service = services.SUBMISSION_SERVICES.get(action)
    if service is None:
        messages.error(request, _("Unknown action “%s”.") % action)
        return redirect(submission)
    inputs = {}
    if action == "cancel":
        inputs["reason"] = request.POST.get("reason", "")
    elif action == "resubmit":
        inputs["comment"] = request.POST.get("reason", "")
    result = run_service(request, service, submission=submission, actor=request.user, **inputs)
    if isinstance(result, PpapSubmission):
        return redirect(result)
    return redirect(submission)


@login_required
@require_POST
def submission_dispose(request, pk):
    submission = _visible(request, pk)
    _require(request.user, REVIEW)
    choices = [(name, SUBMISSION_WORKFLOW[name].label) for name in DISPOSITIONS]
    form = forms.DispositionForm(request.POST, choices=choices)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(submission)
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    data.setdefault("risk_assessment", "")
    run_service(
        request, services.submission_dispose, submission=submission, actor=request.user, **data
    )
    return redirect(submission)


@login_required
@require_POST
def warrant_sign(request, pk):
    _require(request.user, SIGN)
    submission = _visible(request, pk)
    run_service(
        request,
        services.warrant_sign,
        warrant=submission.warrant,
        actor=request.user,
        password=request.POST.get("password", ""),
    )
    return redirect(f"{submission.get_absolute_url()}#warrant")


@login_required
@require_POST
def element_update(request, pk, element_pk):
    _require(request.user, WORK)
    submission = _visible(request, pk)
    element = _element(request, submission, element_pk)
    form = forms.ElementForm(request.POST, instance=element, prefix=f"e{element.pk}")
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        run_service(
            request,
            services.element_update,
            element=element,
            actor=request.user,
            expected_version=form.cleaned_data.get("version"),
            **data,
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{submission.get_absolute_url()}#element-{element.number}")


@login_required
@require_POST
def element_action(request, pk, element_pk, action):
    submission = _visible(request, pk)
    element = _element(request, submission, element_pk)
    run_service(
        request,
        services.element_transition,
        element=element,
        actor=request.user,
        action=action,
        comment=request.POST.get("comment", ""),
        expected_version=parse_version(request.POST.get("version")),
    )
    return redirect(f"{submission.get_absolute_url()}#element-{element.number}")


@login_required
@require_POST
def element_attachment_add(request, pk, element_pk):
    _require(request.user, WORK)
    submission = _visible(request, pk)
    element = _element(request, submission, element_pk)
    target = f"{submission.get_absolute_url()}#element-{element.number}"
    if not submission.is_editable:
        messages.error(request, _("Files are added while the submission is a draft."))
        return redirect(target)
    policy = submission.customer.requirements.attachment_policy
    return handle_attachment_upload(request, owner=element, policy=policy, redirect_to=target)


@login_required
@require_POST
def study_add(request, pk):
    _require(request.user, WORK)
    submission = _visible(request, pk)
    form = forms.StudyForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            services.study_add,
            submission=submission,
            actor=request.user,
            **form.cleaned_data,
        )
    else:
        messages.error(request, _("Enter the characteristic, the index and its value."))
    return redirect(f"{submission.get_absolute_url()}#studies")


# --- documents -------------------------------------------------------------------------------


@login_required
@require_GET
def psw_pdf(request, pk):
    submission = _visible(request, pk)
    response = HttpResponse(documents.render_psw(submission), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{documents.psw_filename(submission)}"'
    return response


@login_required
@require_GET
def package(request, pk):
    return documents.package_response(_visible(request, pk))


def run_service(request, service, **kwargs):
    """Call a service and turn its outcome into a message; its result, or None when refused."""
    try:
        result = service(**kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
        return result
    return None
