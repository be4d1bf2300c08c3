"""PPAP pages: the list, the submission page with its checklist, the warrant, the decisions.

Every read goes through ``visible_to``: another customer's submission (or a draft, for customer
users) is a 404. Writes go through ``ppap.services``; domain errors become messages.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import AttachmentUploadForm
from core.history import timeline
from core.pages import (
    FormPage,
    ListPage,
    PageTransitions,
    document_download,
    form_page,
    fresh,
    require_capability,
    run_form,
    run_service,
    transition_buttons,
    visible_record,
)
from core.routes import Routes
from core.signatures import signatures_of
from core.tenancy import is_internal
from core.views import handle_attachment_upload

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

# A resubmission answers with the new revision: the page goes on to it.
SUBMISSION_TRANSITIONS = PageTransitions(
    services.SUBMISSION_SERVICES, "submission", posted_version=False, to_result=PpapSubmission
)
SUBMISSION_LIST = ListPage("ppap/submission_list.html", SubmissionListFilter, "submissions")
SUBMISSION_FORM = FormPage(
    "ppap/submission_form.html",
    "submission",
    created=lambda submission: _("PPAP %s opened.") % submission.label,
)
INTERNAL_FIELDS = ("internal_note", "owner")
routes = Routes()


def _visible(request, pk) -> PpapSubmission:
    return visible_record(request, PpapSubmission, pk, "customer__requirements")


def _element(request, pk, element_pk) -> PpapElement:
    """One element of the submission ``pk`` the user may see, with its submission (404 else)."""
    submission = _visible(request, pk)
    elements = PpapElement.objects.visible_to(request.user)
    element = get_object_or_404(elements, submission=submission, pk=element_pk)
    element.submission = submission
    return element


def _on_page(element: PpapElement) -> str:
    """Where the element stands on its submission's page."""
    return f"{element.submission.get_absolute_url()}#element-{element.number}"


# --- list ------------------------------------------------------------------------------------


@login_required
@require_GET
def submission_list(request):
    submissions = selectors.submissions_for_list(request.user)
    listing = SUBMISSION_LIST.context(request, submissions)
    rows = listing["submissions"]
    context = {
        **listing,
        # Read when the template shows the rows: not at all when the list is cached.
        "submissions": SimpleLazyObject(lambda: _with_part_status(rows)),
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
    require_capability(request.user, WORK)
    initial = {"part": request.GET.get("part")} if request.GET.get("part") else None
    form = forms.SubmissionForm(request.POST or None, user=request.user, initial=initial)
    return SUBMISSION_FORM.create(request, form, services.submission_create)


@login_required
@require_http_methods(["GET", "POST"])
def submission_update(request, pk):
    require_capability(request.user, WORK)
    submission = _visible(request, pk)
    form = forms.SubmissionForm(
        request.POST or None, instance=fresh(submission), user=request.user, editing=True
    )
    return SUBMISSION_FORM.edit(request, form, services.submission_update, submission)


@routes.form("<int:pk>/warrant/")
def warrant_edit(request, pk):
    require_capability(request.user, WORK)
    submission = _visible(request, pk)
    warrant = submission.warrant
    return form_page(
        request,
        forms.WarrantForm(request.POST or None, instance=fresh(warrant)),
        services.warrant_update,
        template="ppap/warrant_form.html",
        context={"submission": submission, "warrant": warrant},
        message=_("Warrant saved."),
        to=f"{submission.get_absolute_url()}#warrant",
        warrant=warrant,
        posted_version=True,
    )


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
    actions = submission_actions_for(submission, user)
    return transition_buttons(SUBMISSION_WORKFLOW, [a for a in actions if a not in DISPOSITIONS])


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
    inputs = {}
    if action == "cancel":
        inputs["reason"] = request.POST.get("reason", "")
    elif action == "resubmit":
        inputs["comment"] = request.POST.get("reason", "")
    return SUBMISSION_TRANSITIONS.run(request, submission, action, **inputs)


@routes.post("<int:pk>/dispose/")
def submission_dispose(request, pk):
    submission = _visible(request, pk)
    require_capability(request.user, REVIEW)
    choices = [(name, SUBMISSION_WORKFLOW[name].label) for name in DISPOSITIONS]
    form = forms.DispositionForm(request.POST, choices=choices)
    run_form(request, form, services.submission_dispose, submission=submission, labelled=False)
    return redirect(submission)


@routes.post("<int:pk>/warrant/sign/")
def warrant_sign(request, pk):
    require_capability(request.user, SIGN)
    submission = _visible(request, pk)
    run_service(
        request,
        services.warrant_sign,
        warrant=submission.warrant,
        actor=request.user,
        password=request.POST.get("password", ""),
    )
    return redirect(f"{submission.get_absolute_url()}#warrant")


@routes.post("<int:pk>/elements/<int:element_pk>/")
def element_update(request, pk, element_pk):
    require_capability(request.user, WORK)
    element = _element(request, pk, element_pk)
    form = forms.ElementForm(request.POST, instance=element, prefix=f"e{element.pk}")
    run_form(request, form, services.element_update, element=element, labelled=False)
    return redirect(_on_page(element))


@routes.post("<int:pk>/elements/<int:element_pk>/files/")
def element_attachment_add(request, pk, element_pk):
    require_capability(request.user, WORK)
    element = _element(request, pk, element_pk)
    submission = element.submission
    draft_only = _("Files are added while the submission is a draft.")
    return handle_attachment_upload(
        request,
        owner=element,
        policy=submission.customer.requirements.attachment_policy,
        redirect_to=_on_page(element),
        refused="" if submission.is_editable else draft_only,
    )


# After element_attachment_add: an action is any slug, "files" included.
@routes.post("<int:pk>/elements/<int:element_pk>/<slug:action>/")
def element_action(request, pk, element_pk, action):
    element = _element(request, pk, element_pk)
    run_service(
        request,
        services.element_transition,
        element=element,
        actor=request.user,
        action=action,
        comment=request.POST.get("comment", ""),
        posted_version=True,
    )
    return redirect(_on_page(element))


@routes.post("<int:pk>/studies/")
def study_add(request, pk):
    require_capability(request.user, WORK)
    submission = _visible(request, pk)
    invalid = _("Enter the characteristic, the index and its value.")
    form = forms.StudyForm(request.POST)
    run_form(request, form, services.study_add, submission=submission, invalid=invalid)
    return redirect(f"{submission.get_absolute_url()}#studies")


# --- documents -------------------------------------------------------------------------------


psw_pdf = routes.add("<int:pk>/psw.pdf", document_download(documents.PSW, _visible), name="psw-pdf")


@routes.get("<int:pk>/package.zip")
def package(request, pk):
    return documents.package_response(_visible(request, pk))
