"""Claim pages for customers (file, my claims) and engineers (inbox, workbench controls).

Every read goes through ``Claim.objects.visible_to``: another customer's claim is a 404. Writes go
through ``claims.services``; domain errors become messages and change nothing.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.forms import AttachmentUploadForm, add_service_errors, policy_hint
from core.models import Attachment
from core.pages import (
    FormPage,
    ListPage,
    PageTransitions,
    fresh,
    require_capability,
    run_form,
    transition_buttons,
)
from core.pagination import HorizonPaginator
from core.routes import Routes
from core.tenancy import is_internal
from core.views import handle_attachment_upload

from . import forms, link_views, provisional, provisional_views, selectors, services, similarity
from .filters import ClaimListFilter
from .models import Claim, EightDStep
from .workflow import CLAIM_WORKFLOW, STEP_WORKFLOW, WORK, claim_actions_for, step_actions_for

CLAIMS_PER_PAGE = 25
routes = Routes()
CLAIM_LIST = ListPage(
    "claims/claim_list.html", ClaimListFilter, "claims", paginator=HorizonPaginator
)
# Someone else's save shows the form as posted; a refusal of the whole edit goes back to the claim.
CLAIM_FORM = FormPage(
    "claims/claim_form.html",
    "claim",
    created=lambda claim: _("Claim %s filed.") % claim.number,
    saved=lambda claim: _("Claim %s saved.") % claim.number,
    conflict_page=True,
    refuse=(DomainError,),
)
# Fields of our own that a customer's view of the claim's history leaves out.
INTERNAL_CLAIM_FIELDS = ("defect_source",)
# What a user may have typed into a transition's form: given back when the write was refused.
TYPED_FIELDS = ("reason", "comment", "summary", "internal_note", "evidence")
CLAIM_TRANSITIONS = PageTransitions(
    {**services.CLAIM_SERVICES, **provisional.CLAIM_SERVICES}, "claim", keep_typed=TYPED_FIELDS
)
STEP_TRANSITIONS = PageTransitions(services.STEP_SERVICES, "step", keep_typed=TYPED_FIELDS)


def _visible_claim(request, pk, *, next_due: bool = False) -> Claim:
    claims = Claim.objects.visible_to(request.user).with_related()
    if next_due:
        claims = selectors.with_next_due(claims)  # by when it is our turn (claims.waiting)
    return get_object_or_404(claims.select_related("customer__requirements"), pk=pk)


# --- lists ---------------------------------------------------------------------------------------


@login_required
def claim_list(request):
    return _render_list(request, selectors.claims_for_list(request.user), inbox=False)


@routes("inbox/")
@login_required
def inbox(request):
    require_capability(request.user, WORK)
    return _render_list(request, selectors.inbox_for(request.user), inbox=True)


def _render_list(request, claims, *, inbox: bool):
    user = request.user
    context = {
        "inbox": inbox,
        "show_customer": is_internal(user),
        "can_file": user.has_capability("claims.file"),
    }
    return CLAIM_LIST.render(request, claims, context, per_page=CLAIMS_PER_PAGE)


# --- filing and editing --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def claim_create(request):
    require_capability(request.user, "claims.file")
    form = forms.ClaimForm(request.POST or None, request.FILES or None, user=request.user)
    submit = "save_draft" not in request.POST
    return CLAIM_FORM.create(
        request, form, services.claim_file, submit=submit, on_invalid=_form_errors
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_update(request, pk):
    claim = _visible_claim(request, pk)
    require_capability(request.user, "claims.file")
    form = forms.ClaimForm(
        request.POST or None, instance=fresh(claim), user=request.user, editing=True
    )
    return CLAIM_FORM.edit(request, form, services.claim_update, claim, on_invalid=_form_errors)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict") and "file" in error.error_dict:
        error = ValidationError({"files": error.error_dict["file"]})
    if not hasattr(error, "error_dict"):
        form.add_error("files" if "files" in form.fields else None, error)
        return
    add_service_errors(form, error)


# --- the claim page ------------------------------------------------------------------------------


@login_required
def claim_detail(request, pk):
    claim = _visible_claim(request, pk, next_due=True)
    user = request.user
    internal = is_internal(user)
    # The page's content is cached per browser and data version (claim_detail.html): what only
    # the content shows is read when it is rendered, not when it comes from the cache.
    context = {
        "claim": claim,
        "internal": internal,
        "actions": SimpleLazyObject(
            lambda: transition_buttons(
                CLAIM_WORKFLOW, provisional_views.next_steps(claim_actions_for(claim, user))
            )
        ),
        "steps": SimpleLazyObject(
            lambda: [_step_row(step, claim, user, internal) for step in selectors.steps_for(claim)]
        ),
        "comments": selectors.comments_for(claim, user),
        "comment_form": forms.CommentForm(user=user),
        # Events and field changes as one timeline (partials/history.html shows it).
        "history": SimpleLazyObject(
            lambda: selectors.claim_timeline(claim, hide=() if internal else INTERNAL_CLAIM_FIELDS)
        ),
        "offers_report": selectors.offers_8d_report(claim, internal=internal),
        "attachments": Attachment.objects.visible_to(user)
        .for_owner(claim)
        .select_related("uploaded_by"),
        "upload_form": AttachmentUploadForm(user=user) if claim.is_open_for_files else None,
        "policy_hint": policy_hint(claim.customer.requirements.attachment_policy),
        "assign_form": _assign_form(claim) if internal and user.has_capability(WORK) else None,
        "classify_form": forms.ClassifyForm(initial={"defect_source": claim.defect_source})
        if internal and user.has_capability(WORK) and claim.status != Claim.Status.CANCELLED
        else None,
        "reject_form": forms.RejectResponsibilityForm(),
        "reason_form": forms.ReasonForm(),
        "may_edit": claim.status == Claim.Status.DRAFT and user.has_capability("claims.file"),
        **similarity.claim_page_context(claim, user),
        **provisional_views.claim_page_context(claim, user),
        **link_views.claim_page_context(claim, user),
    }
    return render(request, "claims/claim_detail.html", context)


def _step_row(step: EightDStep, claim: Claim, user, internal: bool) -> dict:
    """One line of the claim page's 8D table; the discipline's own page holds its editor."""
    actions = step_actions_for(step, claim, user)
    return {
        "step": step,
        "actions": actions,
        "labels": {name: STEP_WORKFLOW[name].label for name in actions},
        # A rejected, cancelled or closed claim owes nothing: no traffic light on its steps.
        "deadline_off": step.is_answered or claim.is_final,
    }


def _assign_form(claim: Claim):
    engineers = selectors.assignable_engineers()
    return forms.AssignForm(initial={"engineer": claim.assigned_engineer_id}, engineers=engineers)


# --- writes --------------------------------------------------------------------------------------


@login_required
@require_POST
def claim_transition(request, pk, action):
    claim = _visible_claim(request, pk)
    return CLAIM_TRANSITIONS.run(request, claim, action, **_transition_inputs(action, request))


def _transition_inputs(action: str, request) -> dict:
    post = request.POST
    if action in provisional_views.PAGE_INPUTS:
        return provisional_views.PAGE_INPUTS[action](post)
    if action == "reject_responsibility":
        return {"reason_code": post.get("reason_code", ""), "reason": post.get("reason", "")}
    if action in ("customer_reject_8d", "reopen", "cancel"):
        return {"reason": post.get("reason", "")}
    if action == "customer_accept_8d":
        return {"comment": post.get("reason", "")}
    if action == "classify":
        return {"defect_source": post.get("defect_source", "")}
    return {}


@routes.post("<int:pk>/assign/")
def claim_assign(request, pk):
    claim = _visible_claim(request, pk)
    require_capability(request.user, WORK)
    form = forms.AssignForm(request.POST, engineers=selectors.assignable_engineers())
    invalid = _("Choose an engineer from the list.")
    run_form(
        request, form, services.claim_assign, claim=claim, posted_version=True, invalid=invalid
    )
    return redirect(claim)


@routes.post("<int:pk>/steps/<str:code>/<slug:action>/")
def step_action(request, pk, code, action):
    claim = _visible_claim(request, pk)
    step = get_object_or_404(EightDStep.objects.visible_to(request.user), claim=claim, code=code)
    inputs = _step_inputs(action, request, step)
    back = f"{claim.get_absolute_url()}#step-{step.code}"
    return STEP_TRANSITIONS.run(request, step, action, to=back, **inputs)


def _step_inputs(action: str, request, step: EightDStep) -> dict:
    post = request.POST
    if action == "save":
        return {
            "summary": post.get(f"{step.code}-summary", ""),
            "internal_note": post.get(f"{step.code}-internal_note", ""),
        }
    if action in ("approve", "send_back"):
        return {"comment": post.get("comment", "")}
    return {}


@routes.post("<int:pk>/comments/")
def comment_add(request, pk):
    claim = _visible_claim(request, pk)
    form = forms.CommentForm(request.POST, user=request.user)
    run_form(request, form, services.comment_add, claim=claim, labelled=False)
    return redirect(f"{claim.get_absolute_url()}#comments")


@routes.post("<int:pk>/attachments/")
def attachment_add(request, pk):
    claim = _visible_claim(request, pk)
    closed = "" if claim.is_open_for_files else _("Files cannot be added to a closed claim.")
    return handle_attachment_upload(
        request, owner=claim, policy=claim.customer.requirements.attachment_policy, refused=closed
    )
